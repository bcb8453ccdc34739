/**
 * The labels screen (/admin/labels) in a desktop Chromium, signed in as the 历下区 regulator,
 * against the real BFF and the demo data: filter to one business, see its count and the preview
 * of its first label, download the PDF sheet and check it is a PDF with ceil(n / 24) pages; tick
 * 3 rows across two table pages and get a 1-page sheet; the busy and cancelled downloads; an
 * empty filter cannot be downloaded; another district's instruments never print.
 */
import fs from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { Types } from 'mongoose';
import { presentSessionUser } from '@bff/presenters/user';
import { signSessionToken } from '@bff/services/credentials';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
const LABELS_PER_PAGE = 24;

interface Chosen {
  id: string;
  name: string;
}
/** A 历下区 business given 30 more instruments in use (so its sheet has two pages and its table two pages of rows). */
let business: Chosen;
/** A 历下区 business with 1000 instruments: a sheet of it stays in flight while nobody reads it. */
let bigBusiness: Chosen;

beforeAll(async () => {
  const { Business, Instrument } = ws.stack.server.deps.models;
  const b = await Business.findOne({ regionCode: '370102', status: 'active' }).sort({ _id: 1 }).lean();
  if (!b) throw new Error('no 历下区 business in the demo data');
  business = { id: String(b._id), name: b.name };
  const extra = (businessId: Types.ObjectId, count: number, from: number) =>
    Array.from({ length: count }, (_, i) => ({
      code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: from + i }),
      category: 'price_scale',
      business: businessId,
      regionCode: '370102',
      status: 'in_use',
      current: null,
    }));
  await Instrument.insertMany(extra(b._id as Types.ObjectId, 30, 700_000));
  const big = await Business.create({ name: '历下区标签大批量测试商行', industry: 'market', regionCode: '370102' });
  bigBusiness = { id: String(big._id), name: big.name };
  await Instrument.insertMany(extra(big._id as Types.ObjectId, 1000, 710_000));
}, 120_000);

const inUse = (businessId: string) => ({ business: new Types.ObjectId(businessId), status: 'in_use' as const });
const countInUse = (businessId: string) => ws.stack.server.deps.models.Instrument.countDocuments(inUse(businessId));
const firstCode = async (businessId: string) => (await ws.stack.server.deps.models.Instrument.findOne(inUse(businessId), { code: 1 }).sort({ code: 1 }).lean<{ code: string }>())!.code;

async function tokenOf(username: string): Promise<string> {
  const user = await ws.stack.server.deps.models.User.findOne({ username }).lean();
  return signSessionToken(presentSessionUser(user!), ws.stack.server.deps.config.jwtSecret, 600);
}

const summary = (page: Page) => page.locator('.labels__summary');
/** The summary once it says `expected` (the count is fetched after each change of the filter). */
async function summaryOnceItSays(page: Page, expected: string | RegExp): Promise<string> {
  await summary(page).filter({ hasText: expected }).waitFor();
  return summary(page).innerText();
}
const downloadButton = (page: Page) => page.getByRole('button', { name: '下载标签 PDF' });

async function chooseBusiness(page: Page, name: string): Promise<void> {
  await page.getByLabel('经营者').click();
  await page.getByLabel('经营者').fill(name.slice(0, 4));
  await page.locator('.ant-select-item-option', { hasText: name }).first().click();
  await page.waitForURL((u) => u.searchParams.has('business'));
  await settled(page);
}

/** Clicks the download button and returns the saved file's bytes and name. */
async function downloadPdf(page: Page): Promise<{ bytes: Buffer; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download') as Promise<Download>, downloadButton(page).click()]);
  const file = await download.path();
  return { bytes: fs.readFileSync(file!), name: download.suggestedFilename() };
}

const pageObjects = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page(?!s)/g) ?? []).length;
const rootCount = (pdf: Buffer) => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);

describe('labels screen', () => {
  test('filters to one business, previews its first label and downloads a PDF of ceil(n / 24) pages', async () => {
    const page = await ws.signedInAs('lixia', '/labels');
    await page.getByRole('heading', { name: '标签打印' }).waitFor();
    await expect(page.locator('nav[aria-label="主菜单"] [role="menuitem"]', { hasText: '标签打印' }).count()).resolves.toBe(1);
    await chooseBusiness(page, business.name);
    const n = await countInUse(business.id);
    expect(n).toBeGreaterThan(LABELS_PER_PAGE);
    const pages = Math.ceil(n / LABELS_PER_PAGE);
    await expect(summaryOnceItSays(page, `按筛选条件共 ${n} 张标签（${pages} 页 A4，每页 24 张；报废器具不打印）`)).resolves.toBe(`按筛选条件共 ${n} 张标签（${pages} 页 A4，每页 24 张；报废器具不打印）`);

    const code = await firstCode(business.id);
    const preview = page.getByRole('img', { name: `识别码 ${code} 的标签` });
    await preview.waitFor();
    await page.waitForFunction((alt) => {
      const img = document.querySelector<HTMLImageElement>(`img[alt="${alt}"]`);
      return !!img && img.complete && img.naturalWidth > 0;
    }, `识别码 ${code} 的标签`);
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
    await shoot(page, 'admin-labels-business');
    await expectSettledAccessible(page, 'labels: one business');

    const { bytes, name } = await downloadPdf(page);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(name).toMatch(/^标签-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(pageObjects(bytes)).toBe(pages);
    expect(rootCount(bytes)).toBe(pages);
    await page.getByRole('status').filter({ hasText: `已下载 ${name}：${n} 张标签，${pages} 页` }).waitFor();
    await shoot(page, 'admin-labels-downloaded');
    await expectSettledAccessible(page, 'labels: downloaded');
    expect(ws.errors(page)).toEqual([]);
  });

  test('three rows ticked on two table pages print on one page, and the selection survives paging', async () => {
    const page = await ws.signedInAs('lixia', `/labels?business=${business.id}`);
    await page.locator('.ant-table-row').first().waitFor();
    await settled(page);
    const rowCodes = async () => page.locator('.ant-table-row td:nth-child(2)').allInnerTexts();
    const first = (await rowCodes()).slice(0, 2);
    for (const code of first) await page.getByRole('checkbox', { name: `选择 ${code}` }).check();
    await page.getByRole('listitem', { name: '2' }).click();
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.locator('.ant-table-row td:nth-child(2)', { hasText: first[0] }).waitFor({ state: 'detached' });
    await settled(page);
    const third = (await rowCodes())[0];
    expect(first).not.toContain(third);
    await page.getByRole('checkbox', { name: `选择 ${third}` }).check();
    await expect(summaryOnceItSays(page, '将打印已勾选的 3 台器具的标签（共 1 页 A4，每页 24 张）')).resolves.toBe('将打印已勾选的 3 台器具的标签（共 1 页 A4，每页 24 张）');
    // The preview follows the selection: the first ticked instrument.
    await page.getByRole('img', { name: `识别码 ${first[0]} 的标签` }).waitFor();
    await shoot(page, 'admin-labels-selection');
    await expectSettledAccessible(page, 'labels: selection');

    const { bytes } = await downloadPdf(page);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageObjects(bytes)).toBe(1);
    await page.getByRole('status').filter({ hasText: /已下载 标签-.*：3 张标签，1 页/ }).waitFor();

    await page.getByRole('button', { name: /清除选择/ }).click();
    await expect(summaryOnceItSays(page, /^按筛选条件共 \d+ 张标签/)).resolves.toMatch(/^按筛选条件共 \d+ 张标签/);
    expect(ws.errors(page)).toEqual([]);
  });

  test('a selection stops at 500 with a message, and its sheet streams with pages received shown', async () => {
    const page = await ws.signedInAs('lixia', `/labels?business=${bigBusiness.id}`);
    const selectAll = page.locator('.ant-table-thead input[type="checkbox"]');
    for (let p = 1; p <= 26; p += 1) {
      if (p > 1) {
        await page.getByRole('listitem', { name: String(p) }).or(page.getByRole('listitem', { name: '下一页' })).first().click();
        await page.waitForURL((u) => u.searchParams.get('page') === String(p));
      }
      await page.locator('.ant-pagination-item-active', { hasText: String(p) }).waitFor();
      await settled(page);
      // Page 26 would make 520: the page keeps 500 and its rows stay unticked.
      if (p < 26) await selectAll.check();
      else await selectAll.click();
    }
    await expect(selectAll.isChecked()).resolves.toBe(false);
    await page.getByText('最多选择 500 台器具（标签编号随下载地址发送），已保留前 500 台；更多请用筛选条件打印').waitFor();
    await expect(summaryOnceItSays(page, '将打印已勾选的 500 台器具的标签（共 21 页 A4，每页 24 张）')).resolves.toBe('将打印已勾选的 500 台器具的标签（共 21 页 A4，每页 24 张）');
    // Every progress text the page shows while the sheet streams.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressTexts: string[] }).progressTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('.labels__progress p')?.textContent;
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const { bytes } = await downloadPdf(page);
    expect(pageObjects(bytes)).toBe(21);
    await page.getByRole('status').filter({ hasText: /：500 张标签，21 页/ }).waitFor();
    const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
    const received = texts.map((t) => /^已接收 (\d+) \/ 21 页（500 张标签）$/.exec(t)).filter((m) => m != null).map((m) => Number(m![1]));
    expect(received.length).toBeGreaterThan(0);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(Math.max(...received)).toBeLessThanOrEqual(21);
    await shoot(page, 'admin-labels-500');
    expect(ws.errors(page)).toEqual([]);
  }, 120_000);

  test('an empty filter cannot be downloaded and says why', async () => {
    // The business has no instrument taken out of use.
    expect(await ws.stack.server.deps.models.Instrument.countDocuments({ business: new Types.ObjectId(bigBusiness.id), status: 'suspended' })).toBe(0);
    const page = await ws.signedInAs('lixia', `/labels?business=${bigBusiness.id}&lifecycle=suspended`);
    await page.getByText('没有可打印的器具：请调整筛选条件或勾选器具').waitFor();
    await expect(downloadButton(page).isDisabled()).resolves.toBe(true);
    await expect(downloadButton(page).getAttribute('aria-describedby')).resolves.toBe('labels-blocked');
    await expect(summaryOnceItSays(page, /^按筛选条件共 0 张标签/)).resolves.toMatch(/^按筛选条件共 0 张标签/);
    await page.getByText('没有可预览的器具。').waitFor();
    await shoot(page, 'admin-labels-empty');
    await expectSettledAccessible(page, 'labels: empty');
  });

  test('while another sheet of the same user streams, the page says to try again in N seconds', async () => {
    const page = await ws.signedInAs('lixia', `/labels?business=${business.id}`);
    await settled(page);
    // Started just before the click and never read: the BFF waits for its reader, the slot stays taken.
    const token = await tokenOf('lixia');
    const held = await fetch(`${ws.stack.baseUrl}/api/v1/admin/labels.pdf?business=${bigBusiness.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect([held.status, held.headers.get('x-label-count')]).toEqual([200, '1000']);
    try {
      await downloadButton(page).click();
      await page.getByRole('alert').filter({ hasText: '另一份标签正在生成，请 10 秒后再试' }).waitFor();
      await shoot(page, 'admin-labels-busy');
      await expectSettledAccessible(page, 'labels: busy');
    } finally {
      await held.body?.cancel();
    }
  });

  test('a download can be cancelled while it waits for the sheet', async () => {
    const page = await ws.signedInAs('lixia', `/labels?business=${business.id}`);
    await settled(page);
    // The sheet's request is held unanswered (a slow network), so the cancel always comes first.
    let requested!: () => void;
    const seen = new Promise<void>((resolve) => (requested = resolve));
    await page.route('**/api/v1/admin/labels.pdf*', () => requested());
    await downloadButton(page).click();
    await seen;
    await page.getByText('正在连接…').waitFor();
    await expect(downloadButton(page).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByText('已取消下载').waitFor();
    await expect(downloadButton(page).isDisabled()).resolves.toBe(false);
  });
});

describe('region isolation of labels (API)', () => {
  test('a 历下区 regulator gets no label of a 市中区 instrument, by business, by id or one by one', async () => {
    const { Instrument } = ws.stack.server.deps.models;
    const other = await Instrument.findOne({ regionCode: '370103', status: 'in_use' }).lean();
    expect(other).not.toBeNull();
    const token = await tokenOf('lixia');
    const get = (path: string) => fetch(`${ws.stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const byBusiness = await get(`/api/v1/admin/labels.pdf?business=${other!.business}`);
    expect([byBusiness.status, byBusiness.headers.get('x-label-count')]).toEqual([200, '0']);
    const pdf = Buffer.from(await byBusiness.arrayBuffer());
    expect(pdf.toString('latin1')).not.toContain(other!.code);
    const byId = await get(`/api/v1/admin/labels.pdf?ids=${other!._id}`);
    expect([byId.status, byId.headers.get('x-label-count')]).toEqual([200, '0']);
    await byId.arrayBuffer();
    expect((await get(`/api/v1/admin/instruments/${other!._id}/label.png`)).status).toBe(404);
    // The same instrument for the city's regulator: one label.
    const jinan = await tokenOf('jinan');
    const forCity = await fetch(`${ws.stack.baseUrl}/api/v1/admin/labels.pdf?ids=${other!._id}`, { headers: { authorization: `Bearer ${jinan}` } });
    expect(forCity.headers.get('x-label-count')).toBe('1');
    await forCity.arrayBuffer();
  });
});
