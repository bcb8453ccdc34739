import { inflateSync } from 'node:zlib';
import { isGenuineSignature, labelUrl, signInstrumentCode } from '@bff/services/labelSignature';
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
    const secret = app.server.deps.config.qrSigningSecret;
    expect(isGenuineSignature(code, signInstrumentCode(code, secret), secret)).toBe(true);
    expect(isGenuineSignature(code, signInstrumentCode(code, 'another-secret-another-secret-00'), secret)).toBe(false);
  });

  it('keeps labels of other regions out of reach', async () => {
    const other = await app.tokenFor('regulator', { regionCode: '370104' });
    expect((await app.request(`/api/v1/admin/instruments/${instrumentId}/label.svg`, { token: other })).status).toBe(404);
    // The PDF's streams are compressed: inflate its page contents and count the rectangles the
    // QR codes are drawn with. The owner's sheet has them; another district's request for the same
    // business or instrument gets a sheet with none (only the page header).
    const qrRectangles = async (token: string, query: string) => {
      const res = await fetch(`${app.url}/api/v1/admin/labels.pdf?${query}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return pageContents(Buffer.from(await res.arrayBuffer())).reduce((n, content) => n + (content.match(/ re\n/g) ?? []).length, 0);
    };
    expect(await qrRectangles(reg, `business=${businessId}`)).toBeGreaterThan(100);
    expect(await qrRectangles(other, `business=${businessId}`)).toBe(0);
    expect(await qrRectangles(other, `ids=${instrumentId}`)).toBe(0);
  });
});

/** The inflated content streams of a PDF (streams without /Length1, which only fonts carry). */
function pageContents(pdf: Buffer): string[] {
  const contents: string[] = [];
  const text = pdf.toString('latin1');
  const header = /<<([^<>]*)>>\s*stream\r?\n/g;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    if (!m[1].includes('/FlateDecode') || m[1].includes('/Length1')) continue;
    const length = Number(/\/Length (\d+)/.exec(m[1])?.[1]);
    const start = m.index + m[0].length;
    contents.push(inflateSync(pdf.subarray(start, start + length)).toString('latin1'));
  }
  return contents;
}

describe('label signatures', () => {
  // Fixed vectors (computed with openssl: HMAC-SHA256, base64url, first 12 characters). Every
  // printed label carries one; a change to the algorithm would make all of them "possibly forged".
  it('are the first 12 base64url characters of HMAC-SHA256(secret, code), fixed forever', () => {
    const secret = 'label-secret-for-the-fixed-vector-test';
    expect(signInstrumentCode('3701021001000000017', secret)).toBe('AfcwNmGqsPmr');
    expect(signInstrumentCode('3701021001000000025', secret)).toBe('2gS2ATe2QCEx');
    expect(labelUrl('https://jl.example.cn', '3701021001000000017', secret)).toBe('https://jl.example.cn/i/3701021001000000017-AfcwNmGqsPmr');
  });
});
