/**
 * The admin workspace's 检定记录 screen (miniapp/admin/src/pages/VerificationsPage.tsx) in a
 * desktop Chromium against the real BFF, the embedded MongoDB and the demo data: a regulator
 * of 历下区 sees only 历下区's verifications, as many as the API counts; the 结论 and date
 * filters agree with the API and live in the URL; the code links to the instrument list; empty
 * and error states; axe on each view.
 */
import type { Page } from 'playwright-core';
import type { AdminVerificationItem, ListResponse } from '@shared/api';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
let page: Page;

beforeEach(async () => {
  page = await ws.newPage();
});

const testName = () => expect.getState().currentTestName ?? 'page';
/** Columns: 检定日期, 器具编码, 类别, 经营者, 地区, 结论, 有效期至, 检定机构, 证书编号, 修订. */
const column = (n: number) => page.locator(`.ant-table-row td:nth-child(${n})`).allInnerTexts();

/** The same list through the API, with the page's own token. */
async function fromApi(query: string): Promise<ListResponse<AdminVerificationItem>> {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('cxjl-admin-session')!).token as string);
  const res = await fetch(`${ws.stack.baseUrl}/api/v1/admin/verifications?${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ListResponse<AdminVerificationItem>;
}

/** Clicks 查询 and waits for the list the new filters asked for. */
async function query() {
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/admin/verifications'));
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await answered;
  await settled(page);
}

/** What the screen announces (aria-live) once the list is loaded. */
const shownTotal = () => page.locator('.sr-status').innerText();

async function open(path: string) {
  await ws.signedInAs('lixia', path, page);
  await page.getByRole('heading', { name: '检定记录' }).waitFor();
  await settled(page);
}

test('a regulator of 历下区 sees only 历下区 verifications, as many as the API counts, and the screen passes axe', async () => {
  await open('/verifications');
  await page.locator('.ant-table-row').first().waitFor();
  const api = await fromApi('page=1&pageSize=20');
  expect(api.total).toBeGreaterThan(20);
  expect(new Set(api.items.map((v) => v.regionCode))).toEqual(new Set(['370102']));
  await page.getByText(`共 ${api.total} 条`).first().waitFor();
  expect(new Set(await column(5))).toEqual(new Set(['历下区']));
  // Newest first, the same rows as the API's first page.
  expect(await column(9)).toEqual(api.items.map((v) => v.certificateNo));
  expect(await column(1)).toEqual(api.items.map((v) => v.date));
  await shoot(page, 'admin-verifications-list');
  await expectSettledAccessible(page, testName());
  expect(ws.errors(page)).toEqual([]);
});

test('结论 = 不合格: every row says 不合格, the total is the API\'s, and the filter is kept in the URL', async () => {
  await open('/verifications');
  await page.getByLabel('结论').click();
  await page.locator('.ant-select-item-option').filter({ hasText: /^不合格$/ }).click();
  await query();
  expect(new URL(page.url()).searchParams.get('result')).toBe('fail');
  const api = await fromApi('result=fail&page=1&pageSize=20');
  expect(api.total).toBeGreaterThan(0);
  await expect(shownTotal()).resolves.toBe(`共 ${api.total} 条检定记录`);
  expect(new Set(await column(6))).toEqual(new Set(['不合格']));
  expect(new Set(await column(5))).toEqual(new Set(['历下区']));
  await shoot(page, 'admin-verifications-failed');
  await expectSettledAccessible(page, testName());

  // A reload comes back to the same filtered view.
  await page.reload();
  await page.getByText(`共 ${api.total} 条`).first().waitFor();
  await expect(page.locator('.ant-form-item').filter({ hasText: '结论' }).first().innerText()).resolves.toContain('不合格');
  expect(ws.errors(page)).toEqual([]);
});

test('a date range from the URL fills the picker and narrows the list to those days, as the API does', async () => {
  const all = await (async () => {
    await open('/verifications');
    return fromApi('page=1&pageSize=100');
  })();
  // A range around the newest verifications, so the list is not empty.
  const to = all.items[0].date;
  const from = all.items[Math.min(all.items.length - 1, 30)].date;
  await page.goto(ws.url(`/verifications?from=${from}&to=${to}`));
  await page.getByRole('heading', { name: '检定记录' }).waitFor();
  const api = await fromApi(`from=${from}&to=${to}&page=1&pageSize=20`);
  expect(api.total).toBeGreaterThan(0);
  expect(api.total).toBeLessThan(all.total);
  await page.getByText(`共 ${api.total} 条`).first().waitFor();
  await settled(page);
  for (const day of await column(1)) expect(day >= from && day <= to).toBe(true);
  await expect(page.getByPlaceholder('开始日期').inputValue()).resolves.toBe(from);
  await expect(page.getByPlaceholder('结束日期').inputValue()).resolves.toBe(to);
});

test('the instrument code links to the instrument list filtered by that code', async () => {
  await open('/verifications');
  const first = page.locator('.ant-table-row').first();
  await first.waitFor();
  const code = (await first.locator('td:nth-child(2) code').innerText()).trim();
  await first.getByRole('link', { name: `在计量器具中查看 ${code}` }).click();
  await page.waitForURL((u) => u.pathname === '/admin/instruments' && u.searchParams.get('code') === code);
  await page.getByRole('heading', { name: '计量器具' }).waitFor();
  await page.locator('.ant-table-row').filter({ hasText: code }).first().waitFor();
  expect(ws.errors(page)).toEqual([]);
});

test('no match says so; a request the API refuses shows the error', async () => {
  await open('/verifications?instrument=NO-SUCH-CODE-404');
  await page.getByText('没有符合筛选条件的检定记录').waitFor();
  await page.getByText('共 0 条').first().waitFor();
  await shoot(page, 'admin-verifications-empty');
  await expectSettledAccessible(page, testName());

  await page.goto(ws.url('/verifications?from=2026-03-10&to=2026-03-01'));
  await page.getByRole('alert').filter({ hasText: '检定记录加载失败' }).waitFor();
  await shoot(page, 'admin-verifications-error');
  await expectSettledAccessible(page, testName());
});

test('a regulator of 济南市 narrows the list with the region picker: 历下区 gives only 历下区 rows, as many as the API counts', async () => {
  await ws.signedInAs('jinan', '/verifications', page);
  await page.getByRole('heading', { name: '检定记录' }).waitFor();
  await page.locator('.ant-table-row').first().waitFor();
  const all = await fromApi('page=1&pageSize=20');
  await page.getByText(`共 ${all.total} 条`).first().waitFor();
  // The picker offers 济南市 and what lies under it; the city itself (370100) means all of it, not no row.
  await page.getByLabel('地区').click();
  await page.locator('.ant-cascader-menu-item').filter({ hasText: /^济南市$/ }).click();
  await query();
  expect(new URL(page.url()).searchParams.get('region')).toBe('370100');
  await expect(shownTotal()).resolves.toBe(`共 ${all.total} 条检定记录`);
  await page.getByLabel('地区').click();
  await page.locator('.ant-cascader-menu-item').filter({ hasText: /^历下区$/ }).click();
  await query();
  expect(new URL(page.url()).searchParams.get('region')).toBe('370102');
  const lixia = await fromApi('region=370102&page=1&pageSize=20');
  expect(lixia.total).toBeGreaterThan(0);
  expect(lixia.total).toBeLessThan(all.total);
  await expect(shownTotal()).resolves.toBe(`共 ${lixia.total} 条检定记录`);
  expect(new Set(await column(5))).toEqual(new Set(['历下区']));
  await shoot(page, 'admin-verifications-region');
  await expectSettledAccessible(page, testName());
  expect(ws.errors(page)).toEqual([]);
});
