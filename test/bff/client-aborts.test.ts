/**
 * A client that goes away in the middle of a streamed answer (a label sheet cancelled in the
 * workspace) is routine: the server frees what the answer held and says so in its log at info
 * level, not as an error on the console (Koa's default for a failed stream).
 */
import { Types } from 'mongoose';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp();
  token = await app.tokenFor('regulator', { regionCode: '370102' });
  const business = new Types.ObjectId();
  await app.server.deps.models.Business.create({ _id: business, name: '历下区中途取消测试商行', industry: 'market', regionCode: '370102', address: '泉城路 1 号' });
  await app.server.deps.models.Instrument.insertMany(
    Array.from({ length: 600 }, (_, i) => ({
      code: makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 880000 + i }),
      category: 'price_scale',
      business,
      regionCode: '370102',
    })),
  );
});
afterAll(() => app.stop());

const sheet = (signal?: AbortSignal) => fetch(`${app.url}/api/v1/admin/labels.pdf?limit=600`, { headers: { authorization: `Bearer ${token}` }, signal });

it('a label sheet cancelled after its first bytes frees the sheet slot and logs no error', async () => {
  const errors = jest.spyOn(console, 'error');
  try {
    const ctrl = new AbortController();
    const res = await sheet(ctrl.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    ctrl.abort();

    // One sheet per user at a time: the next one is refused (429) until the cancelled one has ended on the server.
    let next = await sheet();
    for (let attempt = 0; next.status === 429 && attempt < 100; attempt += 1) {
      await next.arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
      next = await sheet();
    }
    expect(next.status).toBe(200);
    const pdf = Buffer.from(await next.arrayBuffer());
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
  } finally {
    errors.mockRestore();
  }
}, 60_000);
