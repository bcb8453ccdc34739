import { makeInstrumentCode } from '@shared/instrumentCode';
import { signInstrumentCode } from '@bff/services/labelSignature';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let code: string;
let secret: string;
const DAY = 24 * 3600_000;

beforeAll(async () => {
  app = await startTestApp();
  secret = app.server.deps.config.qrSigningSecret;
  const token = await app.tokenFor('regulator', { regionCode: '370102' });
  const business = await app.request('/api/v1/admin/businesses', {
    token,
    body: { name: '历下区诚信水果店', industry: 'retail', regionCode: '370102', contacts: [{ name: '李老板', phone: '13800000000' }] },
  });
  const instrument = await app.request('/api/v1/admin/instruments', {
    token,
    body: { businessId: business.body.id, category: 'price_scale', externalCodes: ['JN-PS-000123'], model: 'ACS-30' },
  });
  code = instrument.body.code;
});
afterAll(() => app.stop());

const scan = (q: string) => app.request(`/api/v1/scan?q=${encodeURIComponent(q)}`);
const addVerification = (daysAgo: number, result: 'pass' | 'fail', dueInDays: number, certificateNo: string) =>
  app.server.deps.models.Instrument.findOne({ code }).then((i) =>
    app.server.deps.models.Verification.create({
      instrument: i!._id,
      date: new Date(Date.now() - daysAgo * DAY),
      result,
      institution: '济南市计量检定测试院',
      certificateNo,
      dueDate: new Date(Date.now() + dueInDays * DAY),
    }),
  );

describe('scanning a label', () => {
  it('shows an unverified instrument; a genuine label is still not "trustworthy" without a verification', async () => {
    const res = await scan(`https://jl.example.cn/i/${code}-${signInstrumentCode(code, secret)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'unverified', signature: 'valid', trustworthy: false, latestVerification: null });
    expect(res.body.instrument).toMatchObject({ code, categoryName: '电子计价秤', model: 'ACS-30' });
    expect(res.body.business).toMatchObject({ name: '历下区诚信水果店', industryName: '商店超市', regionName: '历下区', grade: null });
  });

  it('never leaks the business contacts in a public answer', async () => {
    const res = await scan(code);
    expect(res.text).not.toContain('13800000000');
    expect(res.text).not.toContain('李老板');
  });

  it('is trustworthy with a genuine label and a valid verification, from every input form', async () => {
    await addVerification(30, 'pass', 300, 'CERT-A');
    const sig = signInstrumentCode(code, secret);
    for (const q of [`https://jl.example.cn/i/${code}-${sig}`, encodeURIComponent(`https://jl.example.cn/i/${code}-${sig}`), `${code}-${sig}`]) {
      const res = await scan(q);
      expect(res.body).toMatchObject({ status: 'valid', signature: 'valid', trustworthy: true });
      expect(res.body.latestVerification).toMatchObject({ result: 'pass', certificateNo: 'CERT-A', institution: '济南市计量检定测试院' });
    }
  });

  it('flags a wrong or missing signature on a label URL as invalid, never trustworthy', async () => {
    const forged = await scan(`https://jl.example.cn/i/${code}-AAAAAAAAAAAA`);
    expect(forged.body).toMatchObject({ signature: 'invalid', trustworthy: false, status: 'valid' });
    const unsigned = await scan(`https://jl.example.cn/i/${code}`);
    expect(unsigned.body).toMatchObject({ signature: 'invalid', trustworthy: false });
  });

  it('reports a typed code or an external code as signature absent', async () => {
    const typed = await scan(code);
    expect(typed.body).toMatchObject({ signature: 'absent', trustworthy: false });
    const external = await scan('JN-PS-000123');
    expect(external.body.instrument.code).toBe(code);
    expect(external.body.signature).toBe('absent');
  });

  it('follows the latest verification: expiring, then failed, then overdue', async () => {
    await addVerification(20, 'pass', 10, 'CERT-B');
    expect((await scan(code)).body.status).toBe('expiring');
    await addVerification(10, 'fail', 355, 'CERT-C');
    expect((await scan(code)).body.status).toBe('failed');
    await addVerification(5, 'pass', -1, 'CERT-D');
    expect((await scan(code)).body.status).toBe('overdue');
  });

  it('answers 404 INSTRUMENT_NOT_FOUND for an unknown valid code or external code', async () => {
    const unknown = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 77_777_777 });
    for (const q of [unknown, 'NO-SUCH-CODE']) {
      const res = await scan(q);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('INSTRUMENT_NOT_FOUND');
    }
  });

  it('answers 400 with the parse reason for a malformed platform code', async () => {
    const badDigit = code.slice(0, 18) + ((+code[18] + 1) % 10);
    const res = await scan(badDigit);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_CODE', details: { reason: 'BAD_CHECK_DIGIT' } });
    const tooShort = await scan(`https://jl.example.cn/i/${code.slice(0, 17)}-AAAAAAAA`);
    expect(tooShort.body.error.details.reason).toBe('WRONG_LENGTH');
    expect((await app.request('/api/v1/scan')).status).toBe(400);
    expect((await scan('x'.repeat(600))).status).toBe(400);
  });

  it('answers the same truth at GET /api/v1/instruments/:code', async () => {
    const res = await app.request(`/api/v1/instruments/${code}`);
    expect(res.status).toBe(200);
    expect(res.body.instrument.code).toBe(code);
    expect(res.body.signature).toBe('absent');
  });

  it('answers a label URL opened in a browser with the H5 app, its verdict already painted and its scan answer embedded', async () => {
    const sig = signInstrumentCode(code, secret);
    const res = await app.request(`/i/${code}-${sig}`);
    // No redirect round trip: the app rewrites /i/... to the instrument page itself (miniapp services/labelUrl.ts).
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const scan = (await app.request(`/api/v1/scan?q=${code}-${sig}`)).body;
    expect(res.text).toContain(`data-verdict="${scan.status}"`);
    const embedded = /<script type="application\/json" id="cx-scan" data-q="([^"]*)">(.*?)<\/script>/.exec(res.text);
    expect(embedded?.[1]).toBe(`${code}-${sig}`);
    expect(JSON.parse(embedded![2])).toEqual(scan);
  });
});
