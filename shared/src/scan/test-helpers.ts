/*
 * Test-only builders that compute check characters independently of the code under test, so that
 * no test copies a real person's ID or card number.
 */

/** Completes 17 digits into an ID number with its GB 11643 check character. */
export function withIdCheck(first17: string): string {
  const weights = first17.split('').map((_, i) => 2 ** (17 - i) % 11);
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Completes a digit prefix with the Luhn check digit. */
export function withLuhn(prefix: string): string {
  for (let check = 0; check <= 9; check++) {
    const digits = prefix + check;
    const sum = digits
      .split('')
      .reverse()
      .reduce((s, ch, i) => {
        const d = Number(ch) * (i % 2 ? 2 : 1);
        return s + (d > 9 ? d - 9 : d);
      }, 0);
    if (sum % 10 === 0) return digits;
  }
  throw new Error('unreachable');
}

/** The same number with its last character changed, so its check character is wrong. */
export function breakLastDigit(value: string): string {
  const last = value.slice(-1);
  return value.slice(0, -1) + (last === 'X' ? '0' : String((Number(last) + 1) % 10));
}

/** Full-width form of ASCII digits and letters (what some Chinese input methods produce). */
export function fullWidth(value: string): string {
  return value.replace(/[0-9A-Za-z@.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
