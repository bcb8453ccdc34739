/**
 * 我的 and 我的点赞 in a phone browser (a guest: no WeChat here), on the real stack with demo
 * data. A like given with this browser's own guest session shows up in 我的点赞 and leads back
 * to the instrument.
 */
import type { Page } from 'playwright-core';
import type { MyLikeView, ListResponse } from '@shared/api';
import { chinaCalendarDay } from '@shared/chinaDate';
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchPhoneBrowser, screenshotWhole, type PhoneBrowser } from './browser';

type Stack = Awaited<ReturnType<typeof startStack>>;

const SESSION_KEY = 'cxjl.session';

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true });
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
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterEach(async () => {
  await page?.close();
});

/** Each test starts as a new visitor: no guest id, no session. */
async function forgetVisitor(): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  await page.evaluate(() => localStorage.clear());
}

async function openMine(): Promise<void> {
  await page.goto(`${stack.baseUrl}/pages/mine/index`);
  await page.locator('.mine__entries').waitFor();
}

async function openMyLikes(): Promise<void> {
  await page.goto(`${stack.baseUrl}/pages/my-likes/index`);
  await page.waitForFunction(() => document.querySelector('.my-likes') && !document.querySelector('.my-likes .state--loading'));
}

/** The session the page's own guest login stored (Taro's H5 storage wraps values as `{ data }`). */
async function guestSession(): Promise<{ token: string; user: { id: string } }> {
  const stored = await page.evaluate((key) => localStorage.getItem(key), SESSION_KEY);
  if (!stored) throw new Error('the page stored no session');
  return (JSON.parse(stored) as { data: { token: string; user: { id: string } } }).data;
}

async function guestToken(): Promise<string> {
  return (await guestSession()).token;
}

async function likeAs(token: string, code: string): Promise<void> {
  const response = await fetch(`${stack.baseUrl}/api/v1/instruments/${code}/likes`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBeLessThan(300);
}

async function myLikes(token: string): Promise<ListResponse<MyLikeView>> {
  const response = await fetch(`${stack.baseUrl}/api/v1/likes/mine`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ListResponse<MyLikeView>;
}

async function demoInstrumentCodes(count: number): Promise<string[]> {
  const instruments = await stack.server.deps.models.Instrument.find({}, { code: 1 }).sort({ code: 1 }).limit(count).lean();
  return instruments.map((instrument) => instrument.code);
}

describe('我的', () => {
  test('a browser visitor is told they are a guest whose records stay on this device', async () => {
    await forgetVisitor();
    await openMine();

    const account = page.locator('.mine__account');
    await expect(account.locator('.account__state').innerText()).resolves.toBe('访客身份');
    await expect(account.innerText()).resolves.toContain('只保存在这台设备的浏览器里');
    await expect(page.locator('.mine__entries .link-row__title').allInnerTexts()).resolves.toEqual(['我的投诉', '我的点赞', '计量知识']);
    await expectAccessible(page, '我的');
    await screenshotWhole(page, 'mine');
    expect(pageErrors).toEqual([]);
  });

  test.each([
    ['我的投诉', /\/pages\/my-complaints\/index/],
    ['我的点赞', /\/pages\/my-likes\/index/],
    ['计量知识', /\/pages\/articles\/index/],
  ])('the entry %s opens its page', async (title, url) => {
    await openMine();

    await page.locator('.mine__entries .link-row', { hasText: title }).click();

    await page.waitForURL(url);
  });
});

test('an entry can be reached and opened with the keyboard (Taro\'s H5 views are not links by themselves)', async () => {
  await openMine();
  const entry = page.locator('.mine__entries .link-row', { hasText: '我的点赞' });
  await expect(entry.getAttribute('role')).resolves.toBe('link');

  await entry.focus();
  await expect(entry.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
  await page.keyboard.press('Enter');

  await page.waitForURL(/\/pages\/my-likes\/index/);
});

describe('我的点赞', () => {
  test('with no likes yet it says so and offers the way to scan', async () => {
    await forgetVisitor();
    await openMyLikes();

    await expect(page.locator('.my-likes .state__title').innerText()).resolves.toBe('还没有点赞');
    await expect(page.locator('.my-likes .state__action').innerText()).resolves.toBe('去扫码');
    await expectAccessible(page, '我的点赞 (empty)');
  });

  test('an instrument liked in this browser is listed, and tapping it opens the instrument', async () => {
    await forgetVisitor();
    await openMyLikes();
    const token = await guestToken();
    const [code] = await demoInstrumentCodes(1);
    await likeAs(token, code);

    await openMyLikes();

    const row = page.locator('.my-likes__item');
    await expect(row.count()).resolves.toBe(1);
    const [like] = (await myLikes(token)).items;
    const text = await row.innerText();
    for (const part of [like.instrument.categoryName, like.business.name, code, like.day]) expect(text).toContain(part);
    await expect(page.locator('.my-likes__end').innerText()).resolves.toBe('共 1 条点赞记录');
    await expectAccessible(page, '我的点赞');
    await screenshotWhole(page, 'my-likes');

    await row.click();
    await page.waitForURL(/\/pages\/instrument\/index\?q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe(code);
  });

  test('more likes than one page: the first 20 are shown, 加载更多 brings the rest, and the end says how many', async () => {
    await forgetVisitor();
    await openMyLikes();
    // A guest may like 10 times a minute, so the 21 likes are written as the like service stores them.
    const userId = (await guestSession()).user.id;
    const instruments = await stack.server.deps.models.Instrument.find().sort({ code: 1 }).limit(21).lean();
    const day = chinaCalendarDay(new Date());
    await stack.server.deps.models.Like.insertMany(
      instruments.map((instrument) => ({ instrument: instrument._id, user: userId, day, business: instrument.business, code: instrument.code, category: instrument.category })),
    );
    const codes = instruments.map((instrument) => instrument.code);

    await openMyLikes();
    const rows = page.locator('.my-likes__item');
    await expect(rows.count()).resolves.toBe(20);
    await expect(page.locator('.my-likes__end').count()).resolves.toBe(0);

    await page.locator('.my-likes__more').click();

    await page.locator('.my-likes__end').waitFor();
    await expect(page.locator('.my-likes__end').innerText()).resolves.toBe('共 21 条点赞记录');
    const shown = await page.locator('.my-likes__item').allInnerTexts();
    expect(shown).toHaveLength(21);
    expect(new Set(codes.filter((code) => shown.some((text) => text.includes(code)))).size).toBe(21);
  });
});
