import { makeInstrumentCode } from '@shared/instrumentCode';
import { formatLabelPath, parseScanQuery } from '@shared/scan';

const code = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 42 });
const sig = 'Ab3_-x9Q';
const badCheckCode = code.slice(0, 18) + String((Number(code[18]) + 1) % 10);

describe('parseScanQuery', () => {
  test.each([
    [`https://cx.example.cn/i/${code}-${sig}`],
    [`http://cx.example.cn/i/${code}-${sig}`],
    [`https://cx.example.cn/i/${code}-${sig}/`],
    [`https://cx.example.cn/i/${code}-${sig}?from=wx#top`],
    [`https://cx.example.cn:8443/base/i/${code}-${sig}`],
    [`HTTPS://CX.EXAMPLE.CN/i/${code}-${sig}`],
    [encodeURIComponent(`https://cx.example.cn/i/${code}-${sig}`)],
    [encodeURIComponent(encodeURIComponent(`https://cx.example.cn/i/${code}-${sig}`))],
    [`  https://cx.example.cn/i/${code}-${sig}  `],
  ])('the label URL %s gives the code and signature', (q) => {
    expect(parseScanQuery(q)).toEqual({ ok: true, kind: 'platform', code, sig, fromUrl: true });
  });

  test('a label URL without a signature gives sig null; a malformed one is passed on for the BFF to reject', () => {
    expect(parseScanQuery(`https://h/i/${code}`)).toEqual({ ok: true, kind: 'platform', code, sig: null, fromUrl: true });
    expect(parseScanQuery(`https://h/i/${code}-x`)).toMatchObject({ ok: true, kind: 'platform', sig: 'x' });
    expect(parseScanQuery(`https://h/i/${code}-`)).toMatchObject({ ok: true, kind: 'platform', sig: '' });
  });

  test('code-with-signature and bare code as typed by a person', () => {
    expect(parseScanQuery(formatLabelPath(code, sig).slice(3))).toEqual({ ok: true, kind: 'platform', code, sig, fromUrl: false });
    expect(parseScanQuery(code)).toEqual({ ok: true, kind: 'platform', code, sig: null, fromUrl: false });
  });

  test('values that must be platform codes fail with the code parse reason', () => {
    expect(parseScanQuery(badCheckCode)).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT' });
    expect(parseScanQuery(`${badCheckCode}-${sig}`)).toMatchObject({ ok: false, reason: 'BAD_CHECK_DIGIT' });
    expect(parseScanQuery(`${code.slice(0, 18)}-${sig}`)).toMatchObject({ ok: false, reason: 'WRONG_LENGTH' });
    expect(parseScanQuery(`https://h/i/ABC-${sig}`)).toMatchObject({ ok: false, reason: 'WRONG_LENGTH' });
    expect(parseScanQuery(`https://h/i/${code.slice(0, 18)}X-${sig}`)).toMatchObject({ ok: false, reason: 'NOT_DIGITS' });
  });

  test('other values are external codes, looked up verbatim', () => {
    for (const value of ['SD-2023-000123', '2023-000123', '12345678', 'GB36377/ABC 001', '鲁制00000123', 'x'.repeat(64)]) {
      expect(parseScanQuery(` ${value} `)).toEqual({ ok: true, kind: 'external', value });
    }
  });

  test('empty, too long, control characters or broken URL encoding → BAD_QUERY; other sites → FOREIGN_URL', () => {
    for (const q of ['', '   ', 'x'.repeat(65), 'ab\u0000c', 'ab\nc', 'x'.repeat(600)]) {
      expect(parseScanQuery(q)).toMatchObject({ ok: false, reason: 'BAD_QUERY' });
    }
    expect(parseScanQuery('https%3A%2F%2Fh%2Fi%2F%E0%A4%A')).toMatchObject({ ok: false, reason: 'BAD_QUERY' });
    const foreign = parseScanQuery('https://weixin.qq.com/r/abc');
    expect(foreign).toMatchObject({ ok: false, reason: 'FOREIGN_URL' });
    if (!foreign.ok) expect(foreign.message).toMatch(/标签/);
  });

  test('formatLabelPath is the inverse of the URL parser', () => {
    expect(formatLabelPath(code, sig)).toBe(`/i/${code}-${sig}`);
    expect(parseScanQuery(`https://h${formatLabelPath(code, sig)}`)).toMatchObject({ code, sig });
  });
});
