/**
 * The workspace's detail drawers and the instrument form (miniapp/admin), as 历下区's regulator,
 * against the real BFF with the demo data: what a drawer shows equals the database and the API,
 * the drawer is in the URL, the form puts each error under its field, and retiring works.
 */
import type { Page } from 'playwright-core';
import type { AdminVerificationItem, ListResponse } from '@shared/api';
import { categoryById } from '@shared/catalogue';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
let page: Page;

beforeEach(async () => {
  page = await ws.newPage();
});

const models = () => ws.stack.server.deps.models;
const drawer = (title: RegExp | string) => page.getByRole('dialog').filter({ has: page.getByText(title) });
const testName = () => expect.getState().currentTestName ?? 'page';

/** GET on the API with the page's own session, as the app calls it. */
async function apiGet<T>(path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const session = JSON.parse(sessionStorage.getItem('cxjl-admin-session') ?? '{}') as { token: string };
    const res = await fetch(`/api/v1${p}`, { headers: { authorization: `Bearer ${session.token}` } });
    return res.json();
  }, path);
}

/** The history table's rows as `date certificateNo`, top to bottom. */
async function historyRows(region: string): Promise<string[]> {
  const table = page.getByRole('region', { name: region });
  await table.locator('.ant-table-row').first().waitFor();
  await settled(page);
  return table.locator('.ant-table-row').evaluateAll((rows) =>
    rows.map((r) => {
      const cells = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return `${cells[0]} ${cells.find((c) => /^(JD|TZ|[A-Z]{2})/.test(c)) ?? ''}`;
    }),
  );
}

/** A 历下区 instrument with at least two verifications, and its business. */
async function verifiedInstrument() {
  const { Instrument, Verification } = models();
  const inLixia = await Instrument.find({ regionCode: '370102' }, { _id: 1 }).lean();
  const [most] = await Verification.aggregate<{ _id: unknown; n: number }>([
    { $match: { instrument: { $in: inLixia.map((i) => i._id) } } },
    { $group: { _id: '$instrument', n: { $sum: 1 } } },
    { $sort: { n: -1, _id: 1 } },
    { $limit: 1 },
  ]);
  if (!most || most.n < 2) throw new Error('the demo data has no 历下区 instrument verified twice');
  const instrument = (await Instrument.findById(most._id).lean())!;
  const business = (await models().Business.findById(instrument.business).lean())!;
  return { instrument, business, verifications: most.n };
}

describe('the business drawer', () => {
  test('opens from the list with the business, its instruments as counted in the database and its history as the API gives it; a reload keeps it open', async () => {
    const { business } = await verifiedInstrument();
    const id = String(business._id);
    await ws.signedInAs('lixia', `/businesses?q=${encodeURIComponent(business.name)}`, page);
    await page.getByRole('button', { name: `查看 ${business.name}` }).click();
    await page.waitForURL((u) => u.searchParams.get('detail') === id);
    const d = drawer(`经营者：${business.name}`);
    await d.getByRole('heading', { name: /计量器具（共 \d+ 台）/ }).waitFor();

    const count = await models().Instrument.countDocuments({ business: business._id });
    await expect(d.getByRole('heading', { name: /计量器具（共 \d+ 台）/ }).textContent()).resolves.toBe(`计量器具（共 ${count} 台）`);
    const byStatus = await d.getByRole('list', { name: '按检定状态' }).locator('li').allInnerTexts();
    expect(byStatus.reduce((sum, t) => sum + Number(/(\d+) 台/.exec(t)![1]), 0)).toBe(count);

    const api = await apiGet<ListResponse<AdminVerificationItem>>(`/admin/verifications?business=${id}&pageSize=10`);
    expect(api.items.length).toBeGreaterThan(0);
    await expect(historyRows('该经营者的检定记录')).resolves.toEqual(api.items.map((v) => `${v.date} ${v.certificateNo}`));

    await shoot(page, 'admin-detail-business');
    await expectSettledAccessible(page, testName());

    await page.reload();
    const again = drawer(`经营者：${business.name}`);
    await again.getByRole('heading', { name: `计量器具（共 ${count} 台）` }).waitFor();

    // 新建器具 opens the instrument form for this business, on the instruments screen filtered to it.
    await again.getByRole('button', { name: '新建器具' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/instruments' && u.searchParams.get('business') === id && u.searchParams.get('form') === 'new');
    await drawer('新建器具').getByText(`${business.name}（历下区）`).waitFor();
    expect(ws.errors(page)).toEqual([]);
  });
});

describe('the instrument drawer', () => {
  test('shows the whole verification history newest first, as the API gives it, with the current verification', async () => {
    const { instrument, business, verifications } = await verifiedInstrument();
    await ws.signedInAs('lixia', `/instruments?code=${instrument.code}`, page);
    await page.getByRole('button', { name: `查看器具 ${instrument.code}` }).click();
    await page.waitForURL((u) => u.searchParams.get('detail') === String(instrument._id));
    const d = drawer(`计量器具：${instrument.code}`);

    const api = await apiGet<ListResponse<AdminVerificationItem>>(`/admin/verifications?instrumentId=${instrument._id}&pageSize=10`);
    expect(api.total).toBe(verifications);
    const rows = await historyRows('该器具的检定记录');
    expect(rows).toEqual(api.items.map((v) => `${v.date} ${v.certificateNo}`));
    const dates = rows.map((r) => r.split(' ')[0]);
    expect([...dates].sort().reverse()).toEqual(dates);

    await expect(d.getByRole('link', { name: business.name }).getAttribute('href')).resolves.toBe(`/admin/businesses?detail=${business._id}`);
    await expect(d.getByText(api.items[0].certificateNo, { exact: true }).count()).resolves.toBeGreaterThanOrEqual(2); // current + history
    await expect(d.getByRole('link', { name: '打印标签' }).getAttribute('href')).resolves.toBe(`/admin/labels?ids=${instrument._id}`);
    await shoot(page, 'admin-detail-instrument');
    await expectSettledAccessible(page, testName());

    // 打印标签: the labels screen with this one instrument ticked.
    await d.getByRole('link', { name: '打印标签' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/labels' && u.searchParams.get('ids') === String(instrument._id));
    await page.locator('.labels__summary', { hasText: '将打印已勾选的 1 台器具的标签' }).waitFor();
    expect(ws.errors(page)).toEqual([]);
  });
});

describe('the instrument form', () => {
  const fieldError = (label: string) =>
    drawer('新建器具').locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) }).locator('.ant-form-item-explain-error');

  test('a bad external code, then a code of another region, each shows under its field; fixed, the instrument is registered; retired, it reads 报废', async () => {
    const { business } = await verifiedInstrument();
    const bid = String(business._id);
    await ws.signedInAs('lixia', `/instruments?business=${bid}`, page);
    await page.getByRole('button', { name: '新建器具' }).click();
    await page.waitForURL((u) => u.searchParams.get('form') === 'new');
    const form = drawer('新建器具');
    await form.locator('.ant-select-content', { hasText: business.name }).or(form.getByTitle(new RegExp(business.name))).first().waitFor();

    await form.getByLabel('器具类别').click();
    await page.locator('.ant-select-item-option', { hasText: '电子计价秤' }).click();
    const otherRegion = makeInstrumentCode({ regionCode: '370103', categoryCode: categoryById('price_scale')!.code, serial: 99_000_001 });
    await form.getByLabel('识别码（可选）').fill(otherRegion);
    await form.getByRole('button', { name: '添加外部编码' }).click();
    await form.getByLabel('外部编码 1', { exact: true }).fill('https://example.com/x');
    await form.getByLabel('型号').fill('ACS-30');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await expect(fieldError('外部编码 1').textContent()).resolves.toBe('外部编码不能是网址');
    await expect(fieldError('识别码（可选）').count()).resolves.toBe(0);
    await shoot(page, 'admin-detail-form-error');
    await expectSettledAccessible(page, testName());

    const external = `SDJL-DETAIL-${Date.now() % 1e6}`;
    await form.getByLabel('外部编码 1', { exact: true }).fill(external);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await expect(fieldError('识别码（可选）').textContent()).resolves.toBe('识别码中的地区与经营者所在地区不一致');
    await fieldError('外部编码 1').waitFor({ state: 'detached' }); // antd lets a cleared error fade out
    expect(await models().Instrument.countDocuments({ code: otherRegion })).toBe(0);

    await form.getByLabel('识别码（可选）').fill('');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => !u.searchParams.has('form'));
    const stored = await models().Instrument.findOne({ externalCodes: external }).lean();
    expect(stored).toMatchObject({ category: 'price_scale', model: 'ACS-30', regionCode: '370102', status: 'in_use' });
    expect(String(stored!.business)).toBe(bid);
    const row = page.locator('.ant-table-row', { hasText: stored!.code });
    await row.waitFor();

    await row.getByRole('button', { name: `查看器具 ${stored!.code}` }).click();
    const d = drawer(`计量器具：${stored!.code}`);
    await d.getByText('暂无检定记录').first().waitFor();
    await expectSettledAccessible(page, `${testName()} (drawer without history)`);
    await d.getByRole('button', { name: /报\s*废/ }).click();
    await page.locator('.ant-popconfirm').getByText(`报废 ${stored!.code}？`).waitFor();
    await expectSettledAccessible(page, `${testName()} (the retire confirmation)`);
    await page.locator('.ant-popconfirm').getByRole('button', { name: /报\s*废/ }).click();
    await d.locator('.ant-descriptions-row', { hasText: '使用状态' }).filter({ hasText: '报废' }).waitFor();
    await expect(models().Instrument.findById(stored!._id).lean().then((i) => i?.status)).resolves.toBe('retired');
    await row.filter({ hasText: '报废' }).waitFor();
    // The browser logs the one refused save (the code of another region) itself; nothing else may be logged.
    expect(ws.errors(page)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});

describe('editing an instrument', () => {
  test('an external code another instrument holds is refused under its own input; a free one is saved', async () => {
    const { Instrument } = models();
    const [holder, edited] = await Instrument.find({ regionCode: '370102', status: 'in_use' }).sort({ _id: 1 }).limit(2).lean();
    const taken = `SDJL-HELD-${Date.now() % 1e6}`;
    await Instrument.updateOne({ _id: holder._id }, { $push: { externalCodes: taken } });
    await ws.signedInAs('lixia', `/instruments?code=${edited.code}`, page);
    await page.getByRole('button', { name: `编辑 ${edited.code}` }).click();
    const form = drawer(`编辑器具：${edited.code}`);
    const n = (edited.externalCodes ?? []).length + 1;
    await form.getByRole('button', { name: '添加外部编码' }).click();
    await form.getByLabel(`外部编码 ${n}`, { exact: true }).fill(taken);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const error = form.locator('.ant-form-item').filter({ has: page.getByText(`外部编码 ${n}`, { exact: true }) }).locator('.ant-form-item-explain-error');
    await expect(error.textContent()).resolves.toBe(`${taken} 已被其他器具使用`);
    await shoot(page, 'admin-detail-edit-error');
    await expectSettledAccessible(page, testName());

    const free = `${taken}-B`;
    await form.getByLabel(`外部编码 ${n}`, { exact: true }).fill(free);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => !u.searchParams.has('form'));
    await expect(Instrument.findById(edited._id).lean().then((i) => i?.externalCodes)).resolves.toEqual([...(edited.externalCodes ?? []), free]);
  });
});

describe('another district', () => {
  test('a 历下区 regulator opening a drawer of 市中区 by URL is told it is not found, and sees nothing of it', async () => {
    const { Business, Instrument } = models();
    const business = (await Business.findOne({ regionCode: '370103' }).lean())!;
    const instrument = (await Instrument.findOne({ regionCode: '370103' }).lean())!;
    await ws.signedInAs('lixia', `/businesses?detail=${business._id}`, page);
    await expect(page.getByRole('dialog').getByRole('alert').textContent()).resolves.toContain('未能加载该经营者');
    await expect(page.getByRole('dialog').textContent()).resolves.not.toContain(business.name);
    await ws.signedInAs('lixia', `/instruments?detail=${instrument._id}`, page);
    await expect(page.getByRole('dialog').getByRole('alert').textContent()).resolves.toContain('未能加载该器具');
    await expect(page.getByRole('dialog').textContent()).resolves.not.toContain(instrument.code);
    await shoot(page, 'admin-detail-not-found');
    await expectSettledAccessible(page, testName());
  });
});

describe('the instruments list filters', () => {
  test("by business (the drawer's link) and by region (the GB/T 2260 picker) ask the API and show only what matches", async () => {
    const { business } = await verifiedInstrument();
    const count = await models().Instrument.countDocuments({ business: business._id });
    await ws.signedInAs('jinan', `/instruments?business=${business._id}`, page);
    await page.getByText(`筛选：经营者 ${business.name}`).waitFor();
    await page.locator('.ant-pagination-total-text', { hasText: `共 ${count} 台` }).waitFor();
    await shoot(page, 'admin-detail-instruments-by-business');
    await page.getByRole('button', { name: '清除经营者筛选' }).click();
    await page.waitForURL((u) => !u.searchParams.has('business'));

    // 济南市's regulator narrows to 历下区 with the picker.
    await page.getByLabel('地区').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '济南市' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '历下区' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL((u) => u.searchParams.get('region') === '370102');
    const inLixia = await models().Instrument.countDocuments({ regionCode: '370102' });
    await page.locator('.ant-pagination-total-text', { hasText: `共 ${inLixia} 台` }).waitFor();
    const codes = await page.locator('.ant-table-row td:first-child').allInnerTexts();
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith('370102'))).toBe(true);
    await expectSettledAccessible(page, testName());
  });
});

describe('the instrument form, typing', () => {
  test('finds the business by searching the region, and keeps what was typed across a reload', async () => {
    const { business } = await verifiedInstrument();
    await ws.signedInAs('lixia', '/instruments?form=new', page);
    const form = drawer('新建器具');
    await form.getByLabel('经营者').fill(business.name.slice(0, 4));
    await page.locator('.ant-select-item-option', { hasText: business.name }).click();
    await form.getByLabel('型号').fill('草稿型号-1');
    await page.reload();
    const again = drawer('新建器具');
    await expect(again.getByLabel('型号').inputValue()).resolves.toBe('草稿型号-1');
    await again.getByText(`${business.name}（历下区）`).waitFor();
    await again.getByRole('button', { name: /取\s*消/ }).click();
    await page.waitForURL((u) => !u.searchParams.has('form'));
    await page.getByRole('button', { name: '新建器具' }).click();
    await expect(drawer('新建器具').getByLabel('型号').inputValue()).resolves.toBe('');
    expect(ws.errors(page)).toEqual([]);
  });
});
