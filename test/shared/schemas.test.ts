import { makeCreditCode } from '@shared/creditCode';
import { makeInstrumentCode } from '@shared/instrumentCode';
import {
  categorySchema,
  creditCodeSchema,
  industrySchema,
  instrumentCodeSchema,
  regionCodeSchema,
  verificationResultSchema,
} from '@shared/schemas';

function messagesOf(result: { success: boolean; error?: { issues: Array<{ message: string }> } }): string[] {
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('shared zod schemas', () => {
  test('instrument code: valid passes, invalid carries a stable code', () => {
    const code = makeInstrumentCode({ regionCode: '370112', categoryCode: '0201', serial: 1 });
    expect(instrumentCodeSchema.parse(code)).toBe(code);
    expect(messagesOf(instrumentCodeSchema.safeParse('123'))).toEqual(['INSTRUMENT_CODE_WRONG_LENGTH']);
    expect(messagesOf(instrumentCodeSchema.safeParse(code.slice(0, 18) + String((Number(code[18]) + 1) % 10)))).toEqual([
      'INSTRUMENT_CODE_BAD_CHECK_DIGIT',
    ]);
  });

  test('credit code: normalised to upper case, bad ones rejected', () => {
    const code = makeCreditCode('91370102MA3C00001');
    expect(creditCodeSchema.parse(` ${code.toLowerCase()} `)).toBe(code);
    expect(messagesOf(creditCodeSchema.safeParse('91370102MA3C00001Z'))).toEqual(['CREDIT_CODE_BAD_CHARACTER']);
  });

  test('region code must be a known 6-digit GB/T 2260 code', () => {
    expect(regionCodeSchema.parse('370100')).toBe('370100');
    expect(messagesOf(regionCodeSchema.safeParse('3701'))).toContain('REGION_CODE_FORMAT');
    expect(messagesOf(regionCodeSchema.safeParse('379999'))).toEqual(['REGION_CODE_UNKNOWN']);
  });

  test('enums', () => {
    expect(industrySchema.parse('optical')).toBe('optical');
    expect(industrySchema.safeParse('bank').success).toBe(false);
    expect(categorySchema.parse('taximeter')).toBe('taximeter');
    expect(categorySchema.safeParse('0301').success).toBe(false);
    expect(verificationResultSchema.options).toEqual(['pass', 'fail']);
  });

  test('every schema carries a description for the OpenAPI document', () => {
    for (const schema of [instrumentCodeSchema, creditCodeSchema, regionCodeSchema, industrySchema, categorySchema, verificationResultSchema]) {
      expect(schema.description).toEqual(expect.any(String));
    }
  });
});
