/**
 * The CSV import screen of the admin workspace (/admin/import) in a desktop Chromium against
 * the real BFF, the embedded MongoDB and the demo data, as the 历下区 regulator: the template, a
 * file with bad rows shown row by row and as a downloadable report, the fixed file imported,
 * only the good rows imported, files refused before uploading, the server's refusals, and an
 * upload that keeps going while the user leaves the screen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Download, Page } from 'playwright-core';
import { presentSessionUser } from '@bff/presenters/user';
import { signSessionToken } from '@bff/services/credentials';
import { IMPORT_COLUMNS } from '@shared/requests/instruments';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
const models = () => ws.stack.server.deps.models;
let dir: string;
/** A 历下区 business of the demo data (by credit code), and one of another district. */
let mine: { id: string; credit: string };
let elsewhere: { credit: string; regionCode: string };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxjl-import-'));
  const [a] = await models().Business.find({ regionCode: '370102', creditCode: { $type: 'string' } }).sort({ _id: 1 }).limit(1).lean();
  const [b] = await models().Business.find({ regionCode: { $ne: '370102' }, creditCode: { $type: 'string' } }).sort({ _id: 1 }).limit(1).lean();
  mine = { id: String(a._id), credit: a.creditCode! };
  elsewhere = { credit: b.creditCode!, regionCode: b.regionCode };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a file for the page to pick. */
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
const csv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

const dragger = (page: Page) => page.locator('.import__dragger input[type="file"]');

/** The rows of the error table under `caption` as text: 行号, 列, 内容, 原因. */
async function errorTable(page: Page, caption: string): Promise<string[][]> {
  const table = page.locator('.ant-table-wrapper').filter({ has: page.getByRole('heading', { name: caption }) });
  await table.locator('tbody tr.ant-table-row').first().waitFor();
  const rows = await table.locator('tbody tr.ant-table-row').all();
  return Promise.all(rows.map(async (r) => (await r.locator('td').allInnerTexts()).map((t) => t.trim())));
}

/** The CSV a download holds, BOM checked and removed. */
async function downloaded(download: Download): Promise<string[][]> {
  const bytes = fs.readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes, { bom: true, relax_column_count: true }) as string[][];
}

/** Console errors but the 400/429 responses the browser logs for refused uploads (the screen shows those). */
const unexpectedErrors = (page: Page) => ws.errors(page).filter((e) => !/^Failed to load resource: .* status of (400|429)/.test(e));

const instrumentsWithModel = (prefix: string) =>
  models().Instrument.find({ model: { $regex: `^${prefix}` } }).sort({ model: 1 }).lean();

describe('the import screen', () => {
  test('says the columns, offers a template whose example row is a business of the region, and passes axe', async () => {
    const page = await ws.signedInAs('lixia', '/import');
    await page.getByRole('heading', { name: '批量导入计量器具' }).waitFor();
    await expect(page.locator('nav[aria-label="主菜单"] .ant-menu-item-selected').innerText()).resolves.toBe('批量导入');
    for (const column of IMPORT_COLUMNS) await expect(page.getByRole('cell', { name: column, exact: true }).count()).resolves.toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载模板' }).click()]);
    expect(download.suggestedFilename()).toBe('计量器具导入模板.csv');
    const [header, example, ...rest] = await downloaded(download);
    expect(header).toEqual(IMPORT_COLUMNS);
    expect(rest).toEqual([]);
    const business = await models().Business.findOne({ $or: [{ creditCode: example[0] }, { platformId: example[0] }] }).lean();
    expect(business?.regionCode).toBe('370102');

    await shoot(page, 'admin-import-empty');
    await expectSettledAccessible(page, 'import: empty screen');
    expect(unexpectedErrors(page)).toEqual([]);
  });

  test('shows exactly the bad rows of a refused file, downloads them as a report, and imports the fixed file', async () => {
    const page = await ws.signedInAs('lixia', '/import');
    const rows = (category3: string, business5: string) => [
      ['business', 'category', 'model', 'installLocation'],
      [mine.credit, 'price_scale', 'IMP-A1', '1 号摊位'],
      [mine.credit, category3, 'IMP-A2', '2 号摊位'],
      [mine.credit, '0102', 'IMP-A3', '收银台'],
      [business5, 'price_scale', 'IMP-A4', '4 号摊位'],
      [mine.credit, 'price_scale', 'IMP-A5', '5 号摊位'],
    ];
    await dragger(page).setInputFiles(file('器具-有错.csv', csv(rows('teapot', elsewhere.credit))));

    await page.getByRole('alert').filter({ hasText: '未导入任何数据' }).waitFor();
    await expect(page.getByRole('alert').filter({ hasText: '未导入任何数据' }).innerText()).resolves.toContain('器具-有错.csv 中有 2 行有错误（共 2 处），未导入任何数据');
    expect(await errorTable(page, '有错误的行')).toEqual([
      ['3', '器具类别（category，第 2 列）', 'teapot', '未知的器具类别'],
      ['5', '经营者（business，第 1 列）', elsewhere.credit, '找不到该经营者（或不在本辖区）'],
    ]);
    expect(await instrumentsWithModel('IMP-A')).toEqual([]);
    await shoot(page, 'admin-import-errors');
    await expectSettledAccessible(page, 'import: error table');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载错误报告' }).click()]);
    expect(download.suggestedFilename()).toBe('器具-有错-错误报告.csv');
    expect(await downloaded(download)).toEqual([
      ['行号', '列', '错误代码', '原因', 'business', 'category', 'model', 'installLocation'],
      ['3', '器具类别（category，第 2 列）', 'UNKNOWN_CATEGORY', '未知的器具类别', mine.credit, 'teapot', 'IMP-A2', '2 号摊位'],
      ['5', '经营者（business，第 1 列）', 'BUSINESS_NOT_FOUND', '找不到该经营者（或不在本辖区）', elsewhere.credit, 'price_scale', 'IMP-A4', '4 号摊位'],
    ]);

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '修改后重新上传' }).click()]);
    await chooser.setFiles(file('器具-已改.csv', csv(rows('price_scale', mine.credit))));
    await page.getByRole('heading', { name: '已导入 5 台计量器具' }).waitFor();

    const imported = await instrumentsWithModel('IMP-A');
    expect(imported.map((i) => [i.model, String(i.business), i.regionCode, i.category])).toEqual([
      ['IMP-A1', mine.id, '370102', 'price_scale'],
      ['IMP-A2', mine.id, '370102', 'price_scale'],
      ['IMP-A3', mine.id, '370102', 'platform_scale'],
      ['IMP-A4', mine.id, '370102', 'price_scale'],
      ['IMP-A5', mine.id, '370102', 'price_scale'],
    ]);
    await shoot(page, 'admin-import-done');
    await expectSettledAccessible(page, 'import: success');

    await page.getByRole('button', { name: '查看导入的器具' }).click();
    await page.getByRole('heading', { name: '计量器具', exact: true }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/admin/instruments?business=${mine.id}`);
    expect(unexpectedErrors(page)).toEqual([]);
  });

  test('imports only the good rows after asking, and lists the rows it left out', async () => {
    const page = await ws.signedInAs('lixia', '/import');
    const partialRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/instruments/import') && partialRequests.push(new URL(r.url()).search));
    await dragger(page).setInputFiles(
      file('部分.csv', csv([['business', 'category', 'model'], [mine.credit, 'price_scale', 'IMP-B1'], [mine.credit, 'teapot', 'IMP-B2'], [mine.credit, '0101', 'IMP-B3']])),
    );
    await page.getByRole('button', { name: '仅导入正确的 2 行' }).click();
    await page.getByRole('tooltip').getByText('仅导入正确的 2 行？').waitFor();
    expect(await instrumentsWithModel('IMP-B')).toEqual([]);
    await page.getByRole('tooltip').getByRole('button', { name: '导入' }).click();

    await page.getByRole('heading', { name: '已导入 2 台计量器具' }).waitFor();
    await expect(page.getByText('文件 部分.csv；有错误的 1 行未导入').count()).resolves.toBe(1);
    expect(await errorTable(page, '未导入的行')).toEqual([['3', '器具类别（category，第 2 列）', 'teapot', '未知的器具类别']]);
    expect((await instrumentsWithModel('IMP-B')).map((i) => i.model)).toEqual(['IMP-B1', 'IMP-B3']);
    expect(partialRequests).toEqual(['', '?partial=1']);
    await shoot(page, 'admin-import-partial');
    await expectSettledAccessible(page, 'import: partial success');
    expect(unexpectedErrors(page)).toEqual([]);
  });

  test('refuses a non-CSV, an empty and an over-5-MB file in Chinese without uploading them', async () => {
    const page = await ws.signedInAs('lixia', '/import');
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/instruments/import') && sent.push(r.url()));
    const refused = async (p: string, text: string) => {
      await dragger(page).setInputFiles(p);
      const alert = page.getByRole('alert').filter({ hasText: '无法上传该文件' });
      await alert.filter({ hasText: text }).waitFor();
    };
    await refused(file('器具.xlsx', 'PK\u0003\u0004'), '“器具.xlsx”不是 CSV 文件。请上传 .csv 文件');
    await refused(file('空.csv', ''), '“空.csv”是空文件，请填好数据后再上传。');
    await refused(file('大.csv', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41)), '“大.csv”有 5.0 MB，超过了 5 MB 的上限。');
    expect(sent).toEqual([]);
    expect(unexpectedErrors(page)).toEqual([]);
  });

  test("shows the server's refusal of a wrong header in Chinese", async () => {
    const page = await ws.signedInAs('lixia', '/import');
    await dragger(page).setInputFiles(file('表头.csv', csv([['商户', 'category'], [mine.credit, 'price_scale']])));
    const alert = page.getByRole('alert').filter({ hasText: '表头.csv 未能导入' });
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toContain('表头不正确：未知的列 商户；缺少必填列 business');
    expect(unexpectedErrors(page)).toEqual([]);
  });
});

describe('an expired session', () => {
  test('sends the user to log in and back, with the file kept to upload again', async () => {
    const page = await ws.newPage();
    const lixia = await models().User.findOne({ username: 'lixia' }).lean();
    // A session the server no longer accepts (as after a restart with a new key).
    await page.goto(ws.url('/login'));
    await page.evaluate((user) => sessionStorage.setItem('cxjl-admin-session', JSON.stringify({ token: 'expired.token.value', user, expiresAt: Date.now() + 600_000 })), presentSessionUser(lixia!));
    await page.goto(ws.url('/import'));
    await dragger(page).setInputFiles(file('过期.csv', csv([['business', 'category', 'model'], [mine.credit, 'price_scale', 'IMP-C1']])));

    await page.waitForURL((u) => u.pathname === '/admin/login' && u.searchParams.get('next') === '/import');
    await ws.logIn(page, 'lixia');
    const alert = page.getByRole('alert').filter({ hasText: '过期.csv 未能导入' });
    await alert.waitFor();
    expect(await instrumentsWithModel('IMP-C')).toEqual([]);
    await alert.getByRole('button', { name: '重新上传' }).click();
    await page.getByRole('heading', { name: '已导入 1 台计量器具' }).waitFor();
    expect((await instrumentsWithModel('IMP-C')).map((i) => i.model)).toEqual(['IMP-C1']);
    expect(ws.errors(page).filter((e) => !/^Failed to load resource: .* status of 401/.test(e))).toEqual([]);
  });
});

describe('a long upload', () => {
  test('shows its progress, asks before the tab is closed, and keeps going while the user is on another screen', async () => {
    const page = await ws.signedInAs('lixia', '/import');
    // 3,000 rows of a bad category (nothing is written), about 700 KB, sent at 64 KB/s: about 11 s
    // of upload, long enough for what follows on a loaded machine (the throttle is lifted after).
    const rows = [['business', 'category', 'installLocation'], ...Array.from({ length: 3000 }, (_, i) => [mine.credit, 'teapot', `${'长'.repeat(60)}${i}`])];
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    await dragger(page).setInputFiles(file('很多行.csv', csv(rows)));

    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    await expect(page.getByText(/正在上传 很多行\.csv：\d+%/).count()).resolves.toBe(1);
    const dialog = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.close({ runBeforeUnload: true });
    await expect(dialog).resolves.toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await shoot(page, 'admin-import-uploading');
    await expectSettledAccessible(page, 'import: uploading');

    await page.getByRole('menuitem', { name: '计量器具' }).click();
    await page.getByRole('heading', { name: '计量器具', exact: true }).waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByRole('menuitem', { name: '批量导入' }).click();
    await page.getByRole('alert').filter({ hasText: '很多行.csv 中有 3000 行有错误（共 3000 处），未导入任何数据' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText('共 3000 处错误').count()).resolves.toBe(1);
    await settled(page);
    expect(unexpectedErrors(page)).toEqual([]);
  }, 150_000);
});

describe('the rate limit', () => {
  test('a 429 is shown with how long to wait', async () => {
    // jinan's own limit (30 a minute per user), so the 历下区 tests above are not affected.
    const user = await models().User.findOne({ username: 'jinan' }).lean();
    const token = signSessionToken(presentSessionUser(user!), ws.stack.server.deps.config.jwtSecret, 600);
    for (let i = 0; i < 30; i += 1) {
      await fetch(`${ws.stack.baseUrl}/api/v1/admin/instruments/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: 'business,category\n' });
    }
    const page = await ws.signedInAs('jinan', '/import');
    await dragger(page).setInputFiles(file('限流.csv', csv([['business', 'category'], [mine.credit, 'price_scale']])));
    const alert = page.getByRole('alert').filter({ hasText: '限流.csv 未能导入' });
    await alert.waitFor();
    await expect(alert.innerText()).resolves.toMatch(/操作太频繁，请 \d+ 秒后再试/);
    await expect(alert.getByRole('button', { name: '重新上传' }).count()).resolves.toBe(1);
    expect(unexpectedErrors(page)).toEqual([]);
  });
});
