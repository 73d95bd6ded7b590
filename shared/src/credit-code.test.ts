import { creditCodeCheckChar, isValidCreditCode, withCreditCodeCheck } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    '91350100M000100Y43', // published example codes
    '91110000600037341L',
  ])('when %s is a real code, then it is valid', (code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it.each([
    ['wrong check character', '91350100M000100Y44'],
    ['too short', '91350100M000100Y4'],
    ['lower case', '91350100m000100y43'],
    ['forbidden letter I', '91350100I000100Y43'],
    ['letters in the region part', '9135A100M000100Y43'],
    ['empty', ''],
  ])('when the code has a %s, then it is invalid', (_why, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('when 17 characters are completed, then the result is valid', () => {
    expect(isValidCreditCode(withCreditCodeCheck('91410100MA9XPLAT0'))).toBe(true);
    expect(creditCodeCheckChar('9141010')).toBeNull();
  });
});
