/**
 * What a label sheet holds and says it holds: the staff list's filters (status, due, lifecycle)
 * reused, the X-Label-Count / X-Label-Pages headers counted with the sheet's own filter, equal to
 * the instrument list's total for the same filter and to the pages the PDF really has.
 */
import { Types } from 'mongoose';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let reg: string;
let businessId: string;
let ids: string[];

const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  app = await startTestApp();
  reg = await app.tokenFor('regulator', { regionCode: '370102' });
  ({ businessId } = await app.registerBusinessWithInstruments(reg, { name: '历下区标签测试商行', industry: 'market', regionCode: '370102' }, 'price_scale', 30));
  ids = ((await app.request(`/api/v1/admin/instruments?business=${businessId}&pageSize=100&sort=code`, { token: reg })).body.items as Array<{ id: string }>).map((i) => i.id);
  // 30 instruments: 1 retired, 1 taken out of use, 3 verified and due in 10 days, the rest never verified.
  expect((await app.request(`/api/v1/admin/instruments/${ids[0]}`, { token: reg, method: 'PATCH', body: { status: 'retired' } })).status).toBe(200);
  expect((await app.request(`/api/v1/admin/instruments/${ids[1]}`, { token: reg, method: 'PATCH', body: { status: 'suspended' } })).status).toBe(200);
  const current = { verificationId: new Types.ObjectId(), date: new Date(Date.now() - 300 * DAY), result: 'pass', dueDate: new Date(Date.now() + 10 * DAY) };
  await app.server.deps.models.Instrument.updateMany({ _id: { $in: ids.slice(2, 5).map((id) => new Types.ObjectId(id)) } }, { $set: { current } });
});
afterAll(() => app.stop());

async function sheet(query: string, token = reg) {
  const res = await fetch(`${app.url}/api/v1/admin/labels.pdf?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const pdf = Buffer.from(await res.arrayBuffer());
  const text = pdf.toString('latin1');
  return {
    status: res.status,
    count: res.headers.get('x-label-count'),
    pages: res.headers.get('x-label-pages'),
    /** Page objects in the file (`/Type /Page`, not the `/Type /Pages` root). */
    pagesInFile: (text.match(/\/Type \/Page(?!s)/g) ?? []).length,
    pdf,
  };
}

const listTotal = async (query: string) => (await app.request(`/api/v1/admin/instruments?${query}`, { token: reg })).body.total as number;

describe('label sheet counts', () => {
  it('announces the labels and pages of a business (retired left out) and the file has that many pages', async () => {
    const s = await sheet(`business=${businessId}`);
    expect(s.status).toBe(200);
    expect(s.count).toBe('29');
    expect(s.pages).toBe('2');
    expect(s.pagesInFile).toBe(2);
  });

  it('counts what the instrument list counts for the same filter', async () => {
    for (const filter of [`business=${businessId}&lifecycle=in_use`, `business=${businessId}&lifecycle=suspended`, `business=${businessId}&status=unverified`, `business=${businessId}&due=30`, `business=${businessId}&status=expiring`]) {
      const s = await sheet(filter);
      expect([filter, s.status, s.count]).toEqual([filter, 200, String(await listTotal(filter))]);
    }
    expect((await sheet(`business=${businessId}&lifecycle=in_use`)).count).toBe('28');
    expect((await sheet(`business=${businessId}&status=unverified`)).count).toBe('25');
    const due = await sheet(`business=${businessId}&due=30`);
    expect([due.count, due.pages, due.pagesInFile]).toEqual(['3', '1', 1]);
  });

  it('counts chosen ids, without the retired one, capped by limit', async () => {
    const chosen = await sheet(`ids=${ids.slice(0, 4).join(',')}`);
    expect([chosen.count, chosen.pagesInFile]).toEqual(['3', 1]);
    const capped = await sheet(`business=${businessId}&limit=25`);
    expect([capped.count, capped.pages, capped.pagesInFile]).toEqual(['25', '2', 2]);
  });

  it('takes 500 ids in the URL (the page caps its selection there)', async () => {
    const many = [...ids, ...Array.from({ length: 470 }, () => String(new Types.ObjectId()))];
    expect(many).toHaveLength(500);
    const s = await sheet(`ids=${many.join(',')}`);
    expect([s.status, s.count]).toEqual([200, '29']);
  });

  it('says 0 labels and one page for another district, and refuses a retired lifecycle', async () => {
    const other = await app.tokenFor('regulator', { regionCode: '370103' });
    const s = await sheet(`business=${businessId}`, other);
    expect([s.status, s.count, s.pages, s.pagesInFile]).toEqual([200, '0', '1', 1]);
    expect((await sheet(`business=${businessId}&lifecycle=retired`)).status).toBe(400);
    expect((await sheet(`business=${businessId}&due=abc`)).status).toBe(400);
  });
});

describe('one sheet at a time', () => {
  it('answers a second sheet while the first streams with 429, Retry-After and the reason LABEL_SHEET_IN_PROGRESS', async () => {
    const { Business, Instrument } = app.server.deps.models;
    const business = await Business.create({ name: '历下区大批标签商行', industry: 'market', regionCode: '370102' });
    // Enough labels that a sheet nobody reads stays in flight (the PDF waits for its reader).
    await Instrument.insertMany(
      Array.from({ length: 400 }, (_, i) => ({ code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 800_000 + i }), category: 'price_scale', business: business._id, regionCode: '370102' })),
    );
    const first = await fetch(`${app.url}/api/v1/admin/labels.pdf?business=${business._id}`, { headers: { authorization: `Bearer ${reg}` } });
    expect([first.status, first.headers.get('x-label-count'), first.headers.get('x-label-pages')]).toEqual([200, '400', '17']);
    const busy = await fetch(`${app.url}/api/v1/admin/labels.pdf?ids=${ids[5]}`, { headers: { authorization: `Bearer ${reg}` } });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('10');
    const body = (await busy.json()) as { error: { code: string; details: { reason: string; retryAfterSeconds: number } } };
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { reason: 'LABEL_SHEET_IN_PROGRESS', retryAfterSeconds: 10 } });
    const pdf = Buffer.from(await first.arrayBuffer());
    expect((pdf.toString('latin1').match(/\/Type \/Page(?!s)/g) ?? []).length).toBe(17);
  });
});
