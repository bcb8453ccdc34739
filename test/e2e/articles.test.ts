/**
 * 计量知识 in the H5 build: the shipped publicity articles by category, and one article read as
 * plain paragraphs, on the real stack.
 */
import type { Page } from 'playwright-core';
import { ARTICLE_CATEGORIES, type ArticleCategory } from '@shared/articles';
import { startStack, type Stack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchPhoneBrowser, screenshot, type PhoneBrowser } from './browser';

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true, businesses: 10 });
  browser = await launchPhoneBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  await page?.close();
});

const titles = () => page.locator('.articles__title').allInnerTexts();

async function published(category?: ArticleCategory) {
  const { Article } = stack.server.deps.models;
  return Article.find({ status: 'published', ...(category ? { category } : {}) }).sort({ publishedOn: -1, _id: -1 }).lean<Array<{ _id: unknown; title: string; source: string; paragraphs: string[] }>>();
}

test('the list shows every published article, newest first, with its category, source and date', async () => {
  const all = await published();
  expect(all.length).toBeGreaterThan(3);

  await page.goto(`${stack.baseUrl}/pages/articles/index`);

  await page.locator('.articles__item').first().waitFor();
  await expect(titles()).resolves.toEqual(all.map((a) => a.title));
  await expect(page.getByText('中华人民共和国计量法', { exact: true }).isVisible()).resolves.toBe(true);
  await expect(page.locator('.articles__meta').first().innerText()).resolves.toMatch(/ · \d{4}-\d{2}-\d{2}$/);
  await page.getByText(`已经到底了，共 ${all.length} 篇`).waitFor();
  await expect(page.locator('.articles__tab[aria-selected="true"]').innerText()).resolves.toBe('全部');
  await expectAccessible(page, 'articles');
  await screenshot(page, 'articles');
  expect(pageErrors).toEqual([]);
});

test.each(ARTICLE_CATEGORIES.map((c) => [c.name, c.id] as const))('the %s tab lists only that category', async (name, id) => {
  const inCategory = await published(id);
  await page.goto(`${stack.baseUrl}/pages/articles/index`);
  await page.locator('.articles__item').first().waitFor();

  await page.locator('.articles__tab', { hasText: name }).click();

  await page.waitForFunction((n) => document.querySelectorAll('.articles__item').length === n, inCategory.length);
  await expect(titles()).resolves.toEqual(inCategory.map((a) => a.title));
  const tags = await page.locator('.articles__tag').allInnerTexts();
  expect(new Set(tags)).toEqual(new Set([name]));
  await expect(page.locator('.articles__tab[aria-selected="true"]').innerText()).resolves.toBe(name);
});

test('an article opens from the list and reads as its title, source, date and paragraphs', async () => {
  const [law] = await published('law');
  await page.goto(`${stack.baseUrl}/pages/articles/index`);
  await page.locator('.articles__item').first().waitFor();

  await page.locator('.articles__item', { hasText: law.title }).first().click();

  await page.waitForURL(/\/pages\/article\/index\?id=/);
  await expect(page.locator('.article__title').innerText()).resolves.toBe(law.title);
  await expect(page.locator('.article__meta').innerText()).resolves.toContain(law.source);
  await expect(page.locator('.article__paragraph').allInnerTexts()).resolves.toEqual(law.paragraphs);
  await expectAccessible(page, 'article');
  await screenshot(page, 'article');
  expect(pageErrors).toEqual([]);
});

test('markup in an article is shown as text, never run as HTML', async () => {
  const { Article } = stack.server.deps.models;
  const html = '<img src=x onerror="window.__injected=1">请以<b>正式文本</b>为准';
  const article = await Article.create({
    slug: 'e2e-markup',
    title: '带尖括号的测试文章',
    category: 'publicity',
    summary: '测试',
    paragraphs: [html],
    source: '测试',
    publishedOn: new Date('2026-01-01T00:00:00+08:00'),
    status: 'published',
  });

  await page.goto(`${stack.baseUrl}/pages/article/index?id=${String(article._id)}`);

  await expect(page.locator('.article__paragraph').innerText()).resolves.toBe(html);
  await expect(page.locator('.article__body img, .article__body b').count()).resolves.toBe(0);
  await expect(page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).resolves.toBeUndefined();
  await Article.deleteOne({ _id: article._id });
});

test('an unknown article says 未找到这篇文章', async () => {
  await page.goto(`${stack.baseUrl}/pages/article/index?id=0123456789abcdef01234567`);

  await page.locator('.state--not-found').waitFor();
  await expect(page.locator('.state__title').innerText()).resolves.toBe('未找到这篇文章');
  await expectAccessible(page, 'article not found');
  await screenshot(page, 'article-not-found');
});
