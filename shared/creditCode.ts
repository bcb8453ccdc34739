/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character set (digits and capitals without I, O, S, V, Z). Layout: registration
 * authority 1 + organisation type 1 + GB/T 2260 region of the registering authority 6 +
 * organisation code (GB 11714) 9 + check character 1.
 *
 * Check character (GB 32100-2015 §4, after GB/T 17710): C18 = 31 − MOD(Σ Ci·Wi, 31), with
 * Wi = 3^(i−1) mod 31 for i = 1..17, and 31 written as '0'. The standard's worked example
 * 91350100M000100Y4 → sum 1640 → check '3'; a real published code, 华为技术有限公司
 * 914403001922038216, validates (both are unit tests).
 *
 * Because 31 is prime and every weight is non-zero with Wi+1 = 3·Wi, every single-character
 * substitution and every adjacent transposition of distinct characters is detected.
 */

export type CreditCodeErrorReason = 'WRONG_LENGTH' | 'BAD_CHARACTER' | 'BAD_CHECK_CHARACTER';

export type ParseCreditCodeResult =
  | { ok: true; value: { code: string; regionCode: string; checkCharacter: string } }
  | { ok: false; reason: CreditCodeErrorReason; message: string };

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const CREDIT_CODE_LENGTH = 18;

/** 3^(i−1) mod 31 for positions 1..17. */
export const CREDIT_CODE_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let weight = 1;
  for (let k = 0; k < i; k += 1) weight = (weight * 3) % 31;
  return weight;
});

export const CREDIT_CODE_MESSAGES: Record<CreditCodeErrorReason, string> = {
  WRONG_LENGTH: '统一社会信用代码应为18位',
  BAD_CHARACTER: '统一社会信用代码含有无效字符（不使用I、O、S、V、Z）',
  BAD_CHECK_CHARACTER: '统一社会信用代码校验位不正确，请核对是否输错',
};

function characterValue(char: string): number {
  return CREDIT_CODE_CHARSET.indexOf(char);
}

/** The check character for a 17-character body; throws on a malformed body. */
export function creditCodeCheckCharacter(body: string): string {
  if (body.length !== 17) throw new RangeError('a credit code body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = characterValue(body[i]);
    if (value < 0) throw new RangeError(`invalid credit code character: ${body[i]}`);
    sum += value * CREDIT_CODE_WEIGHTS[i];
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

/** Completes a 17-character body with its check character (for tests and demo data). */
export function makeCreditCode(body: string): string {
  return body + creditCodeCheckCharacter(body);
}

function failure(reason: CreditCodeErrorReason): ParseCreditCodeResult {
  return { ok: false, reason, message: CREDIT_CODE_MESSAGES[reason] };
}

/** Input is trimmed and upper-cased first: people type these codes from paper licences. */
export function parseCreditCode(input: string): ParseCreditCodeResult {
  const code = input.trim().toUpperCase();
  if (code.length !== CREDIT_CODE_LENGTH) return failure('WRONG_LENGTH');
  for (const char of code) if (characterValue(char) < 0) return failure('BAD_CHARACTER');
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return failure('BAD_CHECK_CHARACTER');
  return { ok: true, value: { code, regionCode: code.slice(2, 8), checkCharacter: code[17] } };
}

export function isValidCreditCode(input: string): boolean {
  return parseCreditCode(input).ok;
}
