/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from
 * 0-9 and the 31 capital letters without I, O, Z, S, V; the last is a check character
 * (mod 31 over the first 17 with fixed weights).
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters of a code, or null if they are not valid characters. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/** True when `code` is a well-formed unified social credit code with the right check character. */
export function isValidCreditCode(code: string): boolean {
  if (!SHAPE.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Completes 17 characters into a valid code (for seeds and tests). */
export function withCreditCodeCheck(first17: string): string {
  const c = creditCodeCheckChar(first17);
  if (!c) throw new Error(`not a credit code prefix: ${first17}`);
  return first17 + c;
}
