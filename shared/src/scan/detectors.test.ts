import {
  idNumberCheckChar,
  isBankCard,
  isChineseIdNumber,
  isCoordinateField,
  isCreditCode,
  isEmail,
  isLicencePlate,
  isMobileNumber,
  isPersonName,
  isPersonNameField,
  isPreciseCoordinate,
  passesLuhn,
} from './detectors';
import { breakLastDigit, fullWidth, withIdCheck, withLuhn } from './test-helpers';

const ID = withIdCheck('41010519900307123'); // 郑州金水, born 1990-03-07
const ID_X = ['41010519850101000', '41010519850101001', '41010519850101002', '41010519850101003']
  .map(withIdCheck)
  .find((id) => id.endsWith('X'))!;

describe('isChineseIdNumber (GB 11643)', () => {
  it('when the test IDs are built, then the code under test agrees on their check characters', () => {
    expect(idNumberCheckChar(ID.slice(0, 17))).toBe(ID[17]);
    expect(ID_X).toMatch(/X$/);
    expect(idNumberCheckChar('4101051990')).toBeNull();
  });

  it.each([
    ['a valid number', ID],
    ['a check character X', ID_X],
    ['a lower-case x', ID_X.toLowerCase()],
    ['another province (Beijing)', withIdCheck('11010119800101002')],
    ['full-width digits', fullWidth(ID)],
    ['spaces between groups', `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`],
    ['dashes between groups', `${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}`],
    ['surrounding spaces', `  ${ID} `],
  ])('when the value has %s, then it is an ID number', (_why, value) => {
    expect(isChineseIdNumber(value)).toBe(true);
  });

  it.each([
    ['a wrong check character', breakLastDigit(ID)],
    ['17 digits', ID.slice(0, 17)],
    ['19 digits', `${ID}0`],
    ['an impossible date (Feb 30)', withIdCheck('41010519900230123')],
    ['month 13', withIdCheck('41010519901301123')],
    ['a birth year before 1900', withIdCheck('41010518990101123')],
    ['a birth date in the future', withIdCheck(`410105${new Date().getUTCFullYear() + 1}0101123`)],
    ['an unknown province 99', withIdCheck('99010519900307123')],
    ['province 00', withIdCheck('00010519900307123')],
    ['a letter inside', `${ID.slice(0, 5)}A${ID.slice(6)}`],
    ['empty', ''],
  ])('when the value has %s, then it is not an ID number', (_why, value) => {
    expect(isChineseIdNumber(value)).toBe(false);
  });
});

describe('isMobileNumber', () => {
  it.each([
    '13800138000',
    '19912345678',
    '+8613800138000',
    '+86 138 0013 8000',
    '0086 13800138000',
    '138-0013-8000',
    '138 0013 8000',
    '(+86)13800138000',
    fullWidth('13800138000'),
  ])('when the value is %p, then it is a mobile number', (value) => {
    expect(isMobileNumber(value)).toBe(true);
  });

  it.each([
    ['second digit 2', '12800138000'],
    ['10 digits', '1380013800'],
    ['12 digits', '138001380001'],
    ['a 12-digit landline', '037165551234'],
    ['a landline with area code', '0371-6555-1234'],
    ['an 8-digit local number', '65551234'],
    ['a Hong Kong prefix', '+85213800138000'],
    ['86 without + or 00', '8613800138000'],
    ['letters', '138OO138OOO'],
  ])('when the value is %s, then it is not a mobile number', (_why, value) => {
    expect(isMobileNumber(value)).toBe(false);
  });
});

describe('isBankCard (Luhn + IIN)', () => {
  const unionPay16 = withLuhn('622202123456789');
  const unionPay19 = withLuhn('622848001234567890');
  const idPassingLuhn = Array.from({ length: 1000 }, (_, i) =>
    withIdCheck(`41010519900307${String(i).padStart(3, '0')}`),
  ).find((id) => passesLuhn(id))!;

  it.each([
    ['a 16-digit UnionPay card', unionPay16],
    ['a 19-digit UnionPay card', unionPay19],
    ['a Visa test card', '4111111111111111'],
    ['an Amex test card (15 digits)', '378282246310005'],
    ['a Mastercard test card', '5555555555554444'],
    ['spaces in groups of four', unionPay19.replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['dashes', unionPay16.replace(/(\d{4})(?=\d)/g, '$1-')],
    ['full-width digits', fullWidth(unionPay16)],
  ])('when the value is %s, then it is a card', (_why, value) => {
    expect(isBankCard(value)).toBe(true);
  });

  it.each([
    ['a wrong check digit', breakLastDigit(unionPay16)],
    ['a 16-digit order number failing Luhn', breakLastDigit(withLuhn('202405310000123'))],
    ['a card-like order number failing Luhn', breakLastDigit(withLuhn('620240531000012'))],
    ['a Luhn-valid number with no card IIN (leading 1)', withLuhn('123456789012345')],
    ['a Luhn-valid number with no card IIN (leading 9)', withLuhn('912345678901234')],
    ['12 digits', withLuhn('62220212345')],
    ['20 digits', withLuhn('6222021234567890123')],
    ['an ID number that happens to pass Luhn', idPassingLuhn],
    ['a mobile number', '13800138000'],
    ['letters', '6222O212345678901'],
  ])('when the value is %s, then it is not a card', (_why, value) => {
    expect(isBankCard(value)).toBe(false);
  });

  it('when an ID number passes Luhn, then it is still an ID number', () => {
    expect(passesLuhn(idPassingLuhn)).toBe(true);
    expect(isChineseIdNumber(idPassingLuhn)).toBe(true);
  });
});

describe('isEmail', () => {
  it.each([
    'zhang@example.cn',
    'zhang.san+data@mail.example.com.cn',
    'ZHANG_SAN@EXAMPLE.ORG',
    ' zhang@example.cn ',
    fullWidth('zhang@example.cn'),
  ])('when the value is %p, then it is an e-mail address', (value) => {
    expect(isEmail(value)).toBe(true);
  });

  it.each([
    ['no top-level domain', 'zhang@example'],
    ['a one-letter top-level domain', 'zhang@example.c'],
    ['a numeric top-level domain', 'zhang@10.0.0.1'],
    ['two @', 'zhang@@example.cn'],
    ['no local part', '@example.cn'],
    ['no domain label', 'zhang@.cn'],
    ['a space', 'zhang san@example.cn'],
    ['two dots', 'zhang..san@example.cn'],
    ['no @', 'zhang.example.cn'],
  ])('when the value has %s, then it is not an e-mail address', (_why, value) => {
    expect(isEmail(value)).toBe(false);
  });
});

describe('isCreditCode', () => {
  it.each([
    ['a valid code', '91350100M000100Y43', true],
    ['lower case', '91350100m000100y43', true],
    ['full-width characters', fullWidth('91350100M000100Y43'), true],
    ['a wrong check character', '91350100M000100Y44', false],
    ['17 characters', '91350100M000100Y4', false],
  ])('when the value is %s, then the answer is %p', (_why, value, expected) => {
    expect(isCreditCode(value)).toBe(expected);
  });
});

describe('isLicencePlate', () => {
  it.each([
    ['a regular plate', '豫A12345'],
    ['letters among digits', '豫AB123C'],
    ['a small new-energy plate', '豫AD12345'],
    ['a new-energy plate with F and a letter', '京AFA1234'],
    ['a large new-energy plate', '豫A12345D'],
    ['a middle dot', '豫A·12345'],
    ['a space', '沪B 12345'],
    ['a learner plate', '豫A1234学'],
    ['full-width letters and digits', `豫${fullWidth('A12345')}`],
    ['a lower-case letter', '豫a12345'],
  ])('when the value is %s, then it is a licence plate', (_why, value) => {
    expect(isLicencePlate(value)).toBe(true);
  });

  it.each([
    ['the letter I', '豫I12345'],
    ['the letter O', '豫A1234O'],
    ['only 4 characters', '豫A1234'],
    ['7 characters', '豫A1234567'],
    ['6 characters not new-energy', '豫AA12345'],
    ['fewer than two digits', '豫ABCDE1'],
    ['no province', 'XA12345'],
    ['an unknown province character', '河A12345'],
  ])('when the value has %s, then it is not a licence plate', (_why, value) => {
    expect(isLicencePlate(value)).toBe(false);
  });
});

describe('isPreciseCoordinate', () => {
  it.each([
    ['a lat,lon pair', '34.74651,113.62536', undefined],
    ['a lon,lat pair', '113.62536, 34.74651', undefined],
    ['a pair in brackets separated by a space', '(34.746510 113.625360)', undefined],
    ['a negative pair', '-33.86882,151.20929', undefined],
    ['a full-width pair', '３４.７４６５１，１１３.６２５３６', undefined],
    ['a latitude in a lat field', '34.74651', 'lat'],
    ['a longitude in a 经度 field', '113.62536', '经度'],
    ['a value in a camel-cased field', '34.746512', 'gpsLatitude'],
  ])('when the value is %s, then it is a precise coordinate', (_why, value, field) => {
    expect(isPreciseCoordinate(value, field)).toBe(true);
  });

  it.each([
    ['4 decimals', '34.7465,113.6253', undefined],
    ['one value with 4 decimals', '34.7465', 'lat'],
    ['a single value without a coordinate field', '34.74651', undefined],
    ['a single value in another field', '34.74651', 'temperature'],
    ['out of range', '95.12345,195.12345', undefined],
    ['both values above 90', '95.12345,95.12345', undefined],
    ['three numbers', '34.74651,113.62536,100.00001', undefined],
    ['an integer', '34', 'lat'],
  ])('when the value has %s, then it is not a precise coordinate', (_why, value, field) => {
    expect(isPreciseCoordinate(value, field)).toBe(false);
  });

  it.each([
    ['lat', true],
    ['LNG', true],
    ['longitude', true],
    ['gpsLat', true],
    ['location.lon', true],
    ['start_latitude', true],
    ['纬度', true],
    ['所在经度', true],
    ['platform', false],
    ['population', false],
    ['translation', false],
  ])('when the field is %p, then isCoordinateField is %p', (field, expected) => {
    expect(isCoordinateField(field)).toBe(expected);
  });
});

describe('isPersonName', () => {
  it.each(['张三', '王小明', '欧阳娜娜', '诸葛亮', '李四', 'John Smith', 'Mary-Jane Watson', 'Anne Marie Smith'])(
    'when the value is %p, then it is a name',
    (value) => {
      expect(isPersonName(value)).toBe(true);
    },
  );

  it.each([
    ['a single character', '张'],
    ['five characters', '张三丰李四'],
    ['a city', '郑州'],
    ['a district', '金水'],
    ['an organisation', '气象局'],
    ['a station', '郑州东站'],
    ['a total row', '合计'],
    ['a word with no surname', '数据平台'],
    ['a mixed value', '张3'],
    ['lower-case Latin', 'john smith'],
    ['a single Latin word', 'John'],
  ])('when the value is %s, then it is not a name', (_why, value) => {
    expect(isPersonName(value)).toBe(false);
  });

  it.each([
    ['姓名', true],
    ['患者姓名', true],
    ['联系人', true],
    ['负责人', true],
    ['name', true],
    ['fullName', true],
    ['real_name', true],
    ['Contact Name', true],
    ['xm', true],
    ['station', false],
    ['productName', false],
    ['username', false],
    ['人数', false],
  ])('when the field is %p, then isPersonNameField is %p', (field, expected) => {
    expect(isPersonNameField(field)).toBe(expected);
  });
});
