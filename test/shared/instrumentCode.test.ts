import fc from 'fast-check';
import { CATEGORIES } from '@shared/catalogue';
import {
  hasValidMod1110,
  isValidInstrumentCode,
  makeInstrumentCode,
  mod1110CheckDigit,
  parseInstrumentCode,
} from '@shared/instrumentCode';
import { jinanDistricts, regionsUnder } from '@shared/regions';

const countyCodes = [...jinanDistricts.map((r) => r.code), ...regionsUnder('1101').map((r) => r.code)];
const codeParts = fc.record({
  regionCode: fc.constantFrom(...countyCodes),
  categoryCode: fc.constantFrom(...CATEGORIES.map((c) => c.code)),
  serial: fc.integer({ min: 0, max: 99_999_999 }),
});
const validCode = codeParts.map(makeInstrumentCode);

function isCyclicallyConsecutive(a: string, b: string): boolean {
  const difference = Math.abs(Number(a) - Number(b));
  return difference === 1 || difference === 9;
}

describe('instrument code (MOD 11,10)', () => {
  test('a made code has 19 digits and parses back into its parts', () => {
    const code = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 42 });
    expect(code).toBe('3701020101000000423');
    expect(parseInstrumentCode(code)).toEqual({
      ok: true,
      value: { regionCode: '370102', categoryCode: '0101', serial: '00000042', checkDigit: '3' },
    });
  });

  test('check digit matches hand-computed ISO/IEC 7064 MOD 11,10 values', () => {
    // "0" → state 10+0=10 → 20 mod 11 = 9 → check (11-9) mod 10 = 2
    expect(mod1110CheckDigit('0')).toBe('2');
    // "1" → (10+1) mod 10 = 1 → 2 → check 9
    expect(mod1110CheckDigit('1')).toBe('9');
    expect(hasValidMod1110('02')).toBe(true);
    expect(hasValidMod1110('03')).toBe(false);
  });

  test('every generated code validates', () => {
    fc.assert(fc.property(validCode, (code) => code.length === 19 && isValidInstrumentCode(code)));
  });

  test('every single-digit substitution is caught', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 18 }), fc.integer({ min: 1, max: 9 }), (code, position, shift) => {
        const changed = String((Number(code[position]) + shift) % 10);
        const mutated = code.slice(0, position) + changed + code.slice(position + 1);
        return !isValidInstrumentCode(mutated) && !hasValidMod1110(mutated);
      }),
    );
  });

  test('an adjacent transposition of digits that are not cyclically consecutive is always caught', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: 17 }), (code, i) => {
        const [a, b] = [code[i], code[i + 1]];
        fc.pre(a !== b && !isCyclicallyConsecutive(a, b));
        return !hasValidMod1110(code.slice(0, i) + b + a + code.slice(i + 2));
      }),
      { numRuns: 2000 },
    );
  });

  test('the real limit: some transpositions of cyclically consecutive digits (e.g. 0↔1, 9↔0) pass MOD 11,10', () => {
    // ISO/IEC 7064 hybrid systems do not promise to catch every transposition. This pair of
    // codes is the documented example: swapping the last serial digit '0' with check digit '1'.
    expect(isValidInstrumentCode('3701020101000499901')).toBe(true);
    expect(hasValidMod1110('3701020101000499910')).toBe(true);
  });

  test('parse reasons, each with a Chinese message for the user', () => {
    const code = makeInstrumentCode({ regionCode: '370102', categoryCode: '0201', serial: 7 });
    const badCheck = code.slice(0, 18) + String((Number(code[18]) + 1) % 10);
    const unknownRegion = '370199' + '0201' + '00000007';
    const unknownCategory = '370102' + '9999' + '00000007';
    const cases: Array<[string, string]> = [
      ['', 'WRONG_LENGTH'],
      [code.slice(0, 18), 'WRONG_LENGTH'],
      [code + '0', 'WRONG_LENGTH'],
      [code.slice(0, 18) + 'X', 'NOT_DIGITS'],
      ['３７０１０２０２０１００００００００７', 'NOT_DIGITS'],
      [badCheck, 'BAD_CHECK_DIGIT'],
      [unknownRegion + mod1110CheckDigit(unknownRegion), 'UNKNOWN_REGION'],
      ['370100' + '0201' + '00000007' + mod1110CheckDigit('370100020100000007'), 'UNKNOWN_REGION'],
      [unknownCategory + mod1110CheckDigit(unknownCategory), 'UNKNOWN_CATEGORY'],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseInstrumentCode(input);
      expect(parsed).toMatchObject({ ok: false, reason });
      if (!parsed.ok) expect(parsed.message).toMatch(/识别码/);
    }
  });

  test('makeInstrumentCode refuses parts that cannot fit the layout', () => {
    expect(() => makeInstrumentCode({ regionCode: '37010', categoryCode: '0101', serial: 1 })).toThrow(RangeError);
    expect(() => makeInstrumentCode({ regionCode: '370102', categoryCode: '101', serial: 1 })).toThrow(RangeError);
    expect(() => makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 100_000_000 })).toThrow(RangeError);
    expect(() => makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 1.5 })).toThrow(RangeError);
    expect(makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 99_999_999 }).slice(10, 18)).toBe('99999999');
  });
});
