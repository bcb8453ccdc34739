import { isGenuineSignature } from '@bff/services/labelSignature';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let reg: string;
let businessId: string;
let instrumentId: string;
let code: string;

beforeAll(async () => {
  app = await startTestApp();
  reg = await app.tokenFor('regulator', { regionCode: '370102' });
  businessId = (await app.request('/api/v1/admin/businesses', { token: reg, body: { name: '历下区<诚信>肉铺 & 熟食', industry: 'market', regionCode: '370102' } })).body.id;
  const inst = await app.request('/api/v1/admin/instruments', { token: reg, body: { businessId, category: 'price_scale' } });
  instrumentId = inst.body.id;
  code = inst.body.code;
  for (let i = 0; i < 29; i += 1) await app.request('/api/v1/admin/instruments', { token: reg, body: { businessId, category: 'platform_scale' } });
});
afterAll(() => app.stop());

describe('label output', () => {
  it('gives one label as SVG carrying the signed URL, the code and the escaped business name', async () => {
    const res = await app.request(`/api/v1/admin/instruments/${instrumentId}/label.svg`, { token: reg });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    expect(res.text).toContain('&lt;诚信&gt;肉铺');
    expect(res.text).toContain('&amp; 熟食');
    expect(res.text).not.toContain('<诚信>');
    expect(res.text).toContain(code.slice(0, 6));
  });

  it('gives one label as PNG', async () => {
    const res = await fetch(`${app.url}/api/v1/admin/instruments/${instrumentId}/label.png`, { headers: { authorization: `Bearer ${reg}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('streams an A4 PDF sheet of a business’s labels', async () => {
    const res = await fetch(`${app.url}/api/v1/admin/labels.pdf?business=${businessId}`, { headers: { authorization: `Bearer ${reg}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2); // 30 labels do not fit on one A4 page
  });

  it('signs label URLs so that the scan endpoint accepts them', () => {
    const { signInstrumentCode } = require('@bff/services/labelSignature');
    const secret = app.server.deps.config.qrSigningSecret;
    expect(isGenuineSignature(code, signInstrumentCode(code, secret), secret)).toBe(true);
    expect(isGenuineSignature(code, signInstrumentCode(code, 'another-secret-another-secret-00'), secret)).toBe(false);
  });

  it('keeps labels of other regions out of reach', async () => {
    const other = await app.tokenFor('regulator', { regionCode: '370104' });
    expect((await app.request(`/api/v1/admin/instruments/${instrumentId}/label.svg`, { token: other })).status).toBe(404);
    const res = await fetch(`${app.url}/api/v1/admin/labels.pdf?business=${businessId}`, { headers: { authorization: `Bearer ${other}` } });
    const pdf = Buffer.from(await res.arrayBuffer()).toString('latin1');
    expect(pdf).not.toContain(code);
  });
});
