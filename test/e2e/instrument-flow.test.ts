/**
 * The public walk of issue 9 in the H5 build on the real stack: a shopper scans a label, sees the
 * verdict, likes the instrument (once a day), complains — first without a description, then
 * properly with a photo — gets a tracking number, and finds the complaint in 我的投诉 with its
 * status. Plus the forged and unknown labels. Every page is checked with axe-core and saved as a
 * screenshot.
 */
import fs from 'node:fs';
import { PNG } from 'pngjs';
import { expectAccessible } from './axe';
import type { Page, Request } from 'playwright-core';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { TRACKING_NO_PATTERN } from '@shared/complaints';
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { launchPhoneBrowser, screenshot, type PhoneBrowser } from './browser';

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];
let validLabel: string;

/** A real PNG photo (a 96×96 gradient), as a phone's album would hand it over. */
function photoPng(): Buffer {
  const png = new PNG({ width: 96, height: 96 });
  for (let y = 0; y < 96; y += 1) {
    for (let x = 0; x < 96; x += 1) {
      const i = (y * 96 + x) * 4;
      png.data[i] = 40 + x * 2;
      png.data[i + 1] = 120 + y;
      png.data[i + 2] = 90;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** A valid 1×1 GIF: a browser shows it, the server's photo types leave it out. */
const ONE_PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

function codeOf(labelUrl: string): string {
  return decodeURIComponent(/\/i\/([^/?#]+)/.exec(labelUrl)?.[1] ?? '').split('-')[0];
}

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true });
  validLabel = await stack.demo.instrumentUrl('valid');
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

async function choosePhoto(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.photos__add').click();
  await (await chooser).setFiles(file);
}

test('scan → verdict → like once a day → complain (empty description refused, then sent with a photo) → 我的投诉 → detail', async () => {
  const code = codeOf(validLabel);
  const complaintPosts: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/complaints') complaintPosts.push(request);
  });

  // The label's URL opens the instrument page with the verdict from the scan call.
  await page.goto(validLabel);
  const badge = page.locator('[data-verdict]');
  await expect(badge.getAttribute('data-verdict')).resolves.toBe('valid');
  await expect(badge.locator('.status-badge__text').innerText()).resolves.toBe('检定合格');
  await expect(badge.locator('.status-badge__icon').innerText()).resolves.toBe('✓');
  await expect(page.locator('.status-badge__mark').innerText()).resolves.toContain('标签已核验');
  await expect(page.locator('.card--instrument').innerText()).resolves.toContain(code);
  await expect(page.locator('.card--supervision').innerText()).resolves.toContain('暂无监督检查记录');
  await expect(page.locator('.card--business').innerText()).resolves.toMatch(/诚信等级\s*(暂无评级|评定中|[ABCD] 级)/);
  await expectAccessible(page, 'instrument');
  await screenshot(page, 'flow-instrument');

  // Like: counted once; a second tap the same day says so and the count stays.
  const before = Number(await page.locator('.like__count').innerText());
  await page.locator('.like__button').click();
  await page.locator('.like__note').getByText('感谢您的认可').waitFor();
  await expect(page.locator('.like__count').innerText()).resolves.toBe(String(before + 1));
  await page.locator('.like__button').click();
  await page.locator('.like__note').getByText('今日已点赞').waitFor();
  await expect(page.locator('.like__count').innerText()).resolves.toBe(String(before + 1));
  await screenshot(page, 'flow-instrument-liked');

  // Complaint with no description: the message sits next to the field and nothing is sent.
  await page.getByText('我要投诉', { exact: true }).click();
  await page.waitForURL(/\/pages\/complaint\/index\?code=/);
  await expect(page.locator('.form__target-code').innerText()).resolves.toContain(code);
  await page.locator('[data-category="short_weight"]').click();
  await expect(page.locator('[data-category="short_weight"]').getAttribute('aria-checked')).resolves.toBe('true');
  await page.getByText('提交投诉', { exact: true }).click();
  const contentError = page.locator('#complaint-content-error');
  await expect(contentError.innerText()).resolves.toBe('至少填写5个字');
  await expect(page.locator('textarea').getAttribute('aria-describedby')).resolves.toContain('complaint-content-error');
  await expect(page.locator('textarea').getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(page.locator('#complaint-category-error').count()).resolves.toBe(0);
  expect(complaintPosts).toHaveLength(0);
  await expectAccessible(page, 'complaint form with errors');
  await screenshot(page, 'flow-complaint-errors');

  // Now properly: a description, one photo uploaded through the page's picker, a contact.
  await page.locator('textarea').fill('买了两斤苹果，回家复称只有一斤六两，差了四两。');
  await expect(page.locator('#complaint-content-error').count()).resolves.toBe(0);
  await expect(page.locator('#complaint-content-count').innerText()).resolves.toBe('23/500');
  await choosePhoto({ name: 'apple.png', mimeType: 'image/png', buffer: photoPng() });
  await page.locator('.photos__remove').waitFor();
  await expect(page.locator('.photos__item img').getAttribute('alt')).resolves.toBe('照片 1');
  await page.locator('.field__input input').fill('13800000000');
  await screenshot(page, 'flow-complaint-filled');
  await page.getByText('提交投诉', { exact: true }).click();

  const tracking = page.locator('.success__tracking');
  await tracking.waitFor();
  const trackingNo = (await tracking.innerText()).trim();
  expect(trackingNo).toMatch(TRACKING_NO_PATTERN);
  expect(complaintPosts).toHaveLength(1);
  const sent = complaintPosts[0].postDataJSON() as { instrumentCode: string; category: string; photos: string[]; contact: string };
  expect(sent).toMatchObject({ instrumentCode: code, category: 'short_weight', contact: '13800000000' });
  expect(sent.photos).toHaveLength(1);
  await expectAccessible(page, 'complaint sent');
  await screenshot(page, 'flow-complaint-success');

  // 我的投诉 lists it with its status words.
  await page.getByText('我的投诉', { exact: true }).click();
  await page.waitForURL(/\/pages\/my-complaints\/index/);
  const item = page.locator(`[data-tracking-no="${trackingNo}"]`);
  await item.waitFor();
  await expect(item.innerText()).resolves.toContain('已提交');
  await expect(item.innerText()).resolves.toContain('缺斤少两');
  await expectAccessible(page, 'my complaints');
  await screenshot(page, 'flow-my-complaints');

  // Its detail: tracking number, status, content, the photo (fetched with the token), the history.
  await item.click();
  await page.waitForURL(/\/pages\/complaint-detail\/index\?trackingNo=/);
  await expect(page.locator('.detail-head__tracking').innerText()).resolves.toBe(trackingNo);
  await expect(page.locator('.detail-head__status').innerText()).resolves.toBe('已提交');
  await expect(page.locator('.detail-content').innerText()).resolves.toContain('一斤六两');
  await expect(page.locator('.timeline__status').first().innerText()).resolves.toContain('已提交');
  const photo = page.locator('.detail-photos__image img');
  await photo.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.detail-photos__image img');
    return Boolean(img && img.complete && img.naturalWidth === 96);
  });
  await expect(photo.getAttribute('src')).resolves.toMatch(/^blob:/);
  await expectAccessible(page, 'complaint detail');
  await screenshot(page, 'flow-complaint-detail');
  expect(pageErrors).toEqual([]);
});

test('submitting an untouched form names each missing field next to it and sends nothing; the messages go as the fields are fixed', async () => {
  let posted = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/complaints') posted += 1;
  });
  await page.goto(`${stack.baseUrl}/pages/complaint/index?code=${codeOf(validLabel)}`);
  await page.getByText('提交投诉', { exact: true }).waitFor();
  await expect(page.locator('[role="radio"]').allInnerTexts()).resolves.toEqual(['缺斤少两', '器具未检定或过期', '标签异常', '计量作弊', '其他']);
  await expect(page.locator('[role="radio"][aria-checked="true"]').count()).resolves.toBe(0);

  await page.getByText('提交投诉', { exact: true }).click();

  await expect(page.locator('#complaint-category-error').innerText()).resolves.toBe('请选择投诉类型');
  await expect(page.locator('#complaint-content-error').innerText()).resolves.toBe('至少填写5个字');
  await expect(page.locator('[role="radiogroup"]').getAttribute('aria-describedby')).resolves.toBe('complaint-category-error');
  await expectAccessible(page, 'complaint form, untouched and submitted');
  await screenshot(page, 'flow-complaint-untouched');

  await page.locator('[data-category="cheating"]').click();
  await expect(page.locator('#complaint-category-error').count()).resolves.toBe(0);
  await page.locator('textarea').fill('电子秤');
  await expect(page.locator('#complaint-content-error').innerText()).resolves.toBe('至少填写5个字');
  await page.locator('textarea').fill('电子秤显示的重量跳动');
  await expect(page.locator('#complaint-content-error').count()).resolves.toBe(0);
  expect(posted).toBe(0);
});

test('past the complaint rate limit the form says 提交太频繁，请稍后再试 with the wait, and keeps what was typed', async () => {
  const complaintPage = `${stack.baseUrl}/pages/complaint/index?code=${codeOf(validLabel)}`;
  const fillAndSubmit = async (content: string) => {
    await page.goto(complaintPage);
    await page.locator('[data-category="other"]').click();
    await page.locator('textarea').fill(content);
    await page.getByText('提交投诉', { exact: true }).click();
  };
  // A guest of its own (the other tests' guest has complained already): a guest may file two an hour.
  await page.goto(complaintPage);
  await page.evaluate(() => localStorage.clear());

  for (const content of ['第一次投诉：秤的读数不稳定', '第二次投诉：秤的读数仍不稳定']) {
    await fillAndSubmit(content);
    await page.locator('.success__tracking').waitFor();
  }
  await fillAndSubmit('第三次投诉：秤的读数还是不稳定');

  await expect(page.locator('.form__error').innerText()).resolves.toMatch(/^提交太频繁，请稍后再试（请在约 \d+ 分钟后再试）$/);
  await expect(page.locator('textarea').inputValue()).resolves.toBe('第三次投诉：秤的读数还是不稳定');
  await expect(page.locator('.success__tracking').count()).resolves.toBe(0);
  await screenshot(page, 'flow-complaint-rate-limited');
});

test('我的投诉 of someone who never complained says so and offers the way to scan', async () => {
  await page.goto(`${stack.baseUrl}/pages/my-complaints/index`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();

  await expect(page.locator('.state__title').innerText()).resolves.toBe('还没有投诉');
  await expect(page.getByText('去扫码', { exact: true }).isVisible()).resolves.toBe(true);
  await expectAccessible(page, 'my complaints (empty)');
  await screenshot(page, 'flow-my-complaints-empty');
});

test('a picked file that is no image, and an image of a type not accepted, are each refused with the reason next to the photos', async () => {
  await page.goto(`${stack.baseUrl}/pages/complaint/index?code=${codeOf(validLabel)}`);
  await page.locator('.photos__add').waitFor();

  // The browser cannot decode it, so it never leaves the page.
  await choosePhoto({ name: 'note.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是图片，只是一段文字。') });
  await expect(page.locator('.photos__error').innerText()).resolves.toBe('未能读取所选文件，请选择 JPG、PNG 或 WebP 格式的图片');

  // A GIF decodes in the browser but is not on the server's list: 415 from the upload.
  await choosePhoto({ name: 'dot.gif', mimeType: 'image/gif', buffer: ONE_PIXEL_GIF });
  await expect(page.locator('.photos__error').innerText()).resolves.toBe('只能上传 JPG、PNG 或 WebP 格式的图片');
  await expect(page.locator('.photos__item').count()).resolves.toBe(0);
  await expectAccessible(page, 'complaint form with a photo error');
});

test('a forged label shows 疑似伪造标签 in grey without seal or like, and its complaint starts on 标签异常', async () => {
  await page.goto(`${stack.baseUrl}/i/${codeOf(validLabel)}-AAAAAAAAAA`);

  await page.locator('.forged-banner').waitFor();
  await expect(page.locator('.forged-banner__title').innerText()).resolves.toBe('疑似伪造标签');
  await expect(page.locator('[data-verdict]').getAttribute('class')).resolves.toContain('status-badge--muted');
  await expect(page.getByText('标签已核验').count()).resolves.toBe(0);
  await expect(page.locator('.like__button').count()).resolves.toBe(0);
  await expectAccessible(page, 'instrument (forged)');
  await screenshot(page, 'flow-instrument-forged');

  await page.getByText('举报标签异常', { exact: true }).click();
  await page.waitForURL(/\/pages\/complaint\/index\?/);
  await expect(page.locator('[data-category="label"]').getAttribute('aria-checked')).resolves.toBe('true');
});

test('an unknown code on a label says 未找到该器具', async () => {
  const neverIssued = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 99_999_997 });

  await page.goto(`${stack.baseUrl}/i/${neverIssued}-AAAAAAAAAA`);

  await expect(page.locator('.message__title').innerText()).resolves.toBe('未找到该器具');
  await expect(page.locator('[data-verdict]').count()).resolves.toBe(0);
  await expectAccessible(page, 'instrument (unknown)');
  await screenshot(page, 'flow-instrument-unknown');
});
