import fc from 'fast-check';
import {
  CREDIT_CODE_CHARSET,
  CREDIT_CODE_WEIGHTS,
  creditCodeCheckCharacter,
  isValidCreditCode,
  makeCreditCode,
  parseCreditCode,
} from '@shared/creditCode';

const charsetChar = fc.constantFrom(...CREDIT_CODE_CHARSET.split(''));
const validCreditCode = fc.array(charsetChar, { minLength: 17, maxLength: 17 }).map((chars) => makeCreditCode(chars.join('')));

describe('unified social credit code (GB 32100-2015, MOD 31)', () => {
  test('the charset has 31 characters and leaves out I, O, S, V, Z', () => {
    expect(CREDIT_CODE_CHARSET).toHaveLength(31);
    for (const excluded of 'IOSVZ') expect(CREDIT_CODE_CHARSET).not.toContain(excluded);
  });

  test('the weights are those printed in GB 32100-2015 table 2', () => {
    expect(CREDIT_CODE_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });

  test("the standard's worked example: 91350100M000100Y4 → check character 3", () => {
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    // The standard's example ends in 'Z', which is not even in the charset.
    expect(parseCreditCode('91350100M000100Y4Z')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER' });
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  test('a real published code validates (华为技术有限公司 914403001922038216)', () => {
    expect(parseCreditCode('914403001922038216')).toEqual({
      ok: true,
      value: { code: '914403001922038216', regionCode: '440300', checkCharacter: '6' },
    });
  });

  test('input typed in lower case with spaces around it is accepted and normalised', () => {
    expect(parseCreditCode(' 91350100m000100y43 ')).toMatchObject({ ok: true, value: { code: '91350100M000100Y43' } });
  });

  test('reasons for bad input', () => {
    expect(parseCreditCode('91350100M000100Y4')).toMatchObject({ ok: false, reason: 'WRONG_LENGTH' });
    expect(parseCreditCode('91350100M000100Y4I')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER' });
    expect(parseCreditCode('9135010OM000100Y43')).toMatchObject({ ok: false, reason: 'BAD_CHARACTER' });
    const parsed = parseCreditCode('91350100M000100Y44');
    expect(parsed).toMatchObject({ ok: false, reason: 'BAD_CHECK_CHARACTER' });
    if (!parsed.ok) expect(parsed.message).toMatch(/统一社会信用代码/);
  });

  test('every made code validates', () => {
    fc.assert(fc.property(validCreditCode, (code) => isValidCreditCode(code)));
  });

  test('every single-character substitution is caught', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, position, shift) => {
        const replacement = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.indexOf(code[position]) + shift) % 31];
        return !isValidCreditCode(code.slice(0, position) + replacement + code.slice(position + 1));
      }),
    );
  });

  test('every adjacent transposition of distinct characters is caught, including with the check character', () => {
    fc.assert(
      fc.property(validCreditCode, fc.integer({ min: 0, max: 16 }), (code, i) => {
        fc.pre(code[i] !== code[i + 1]);
        return !isValidCreditCode(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
      }),
      { numRuns: 2000 },
    );
  });
});
