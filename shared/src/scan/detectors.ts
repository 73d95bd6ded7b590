import { isValidCreditCode } from '../credit-code';
import { REGIONS, isRegionCode } from '../regions';
import { compactNumber, normalizeText } from './normalize';
import { COMPOUND_SURNAMES, SINGLE_SURNAMES } from './surnames';

/*
 * Whole-value predicates. Each normalises its input first (full-width → half-width, and for numbers
 * spaces and dashes removed), then validates beyond the shape: check characters, dates, prefixes.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** GB 11643 check character (mod 11, 'X' for 10) for the first 17 digits, or null if they are not 17 digits. */
export function idNumberCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

function isPlausibleBirthDate(yyyymmdd: string, today = new Date()): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < 1900) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  const isCalendarDate =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isCalendarDate && date.getTime() <= today.getTime();
}

/**
 * Mainland resident ID number (GB 11643, 18 characters): a real province prefix (11..82), a birth
 * date between 1900 and today, and the right check character.
 */
export function isChineseIdNumber(value: string): boolean {
  const id = compactNumber(value).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  return (
    isRegionCode(`${id.slice(0, 2)}0000`) &&
    isPlausibleBirthDate(id.slice(6, 14)) &&
    idNumberCheckChar(id.slice(0, 17)) === id[17]
  );
}

/** Mainland mobile number 1[3-9] + 9 digits, optionally with +86 or 0086 in front. */
export function isMobileNumber(value: string): boolean {
  const n = compactNumber(value).replace(/[()]/g, '');
  return /^(?:\+86|0086)?1[3-9]\d{9}$/.test(n);
}

/** Luhn (mod 10) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Payment card number: 13–19 digits passing Luhn with a card-scheme first digit (3 Amex/JCB,
 * 4 Visa, 5 Mastercard, 6 UnionPay 62/Discover). An ID number is never taken for a card.
 */
export function isBankCard(value: string): boolean {
  const n = compactNumber(value);
  return /^[3-6]\d{12,18}$/.test(n) && passesLuhn(n) && !isChineseIdNumber(n);
}

const EMAIL = /^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/;

/** E-mail address with a dotted domain and an alphabetic top-level domain. */
export function isEmail(value: string): boolean {
  const e = normalizeText(value).trim();
  return e.length <= 254 && EMAIL.test(e) && !e.startsWith('.') && !e.includes('..');
}

/** Unified social credit code (GB 32100), case-insensitive; it identifies an organisation, not a person. */
export function isCreditCode(value: string): boolean {
  return isValidCreditCode(compactNumber(value).toUpperCase());
}

const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE = new RegExp(`^[${PLATE_PROVINCES}][A-HJ-NP-Z]([A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$`);
const PLATE_SEPARATORS = /[·•・ -]/g;

/**
 * Mainland licence plate: province abbreviation, issuing-office letter, then 5 characters with at
 * least two digits (豫A12345, 豫A1234学) or a new-energy 6 (豫AD12345 for small, 豫A12345D for large vehicles).
 */
export function isLicencePlate(value: string): boolean {
  const plate = normalizeText(value).trim().replace(PLATE_SEPARATORS, '').toUpperCase();
  const m = PLATE.exec(plate);
  if (!m) return false;
  const tail = m[1]!;
  if (tail.length === 6) return /^[DF][A-HJ-NP-Z0-9]\d{4}$/.test(tail) || /^\d{5}[DF]$/.test(tail);
  return (tail.match(/\d/g)?.length ?? 0) >= 2;
}

const COORDINATE_FIELD_WORDS = new Set(['lat', 'lng', 'lon', 'long', 'latitude', 'longitude']);

/** True for a field holding one coordinate: lat, lng, gpsLat, location.longitude, 经度, 所在纬度 … */
export function isCoordinateField(field: string): boolean {
  if (/经度|纬度/.test(field)) return true;
  const words = field
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((w) => COORDINATE_FIELD_WORDS.has(w));
}

const DEGREES = /^[-+]?(\d{1,3})\.(\d+)$/;
const PAIR = /^\(?\s*([-+]?\d{1,3}\.\d+)\s*[,; ]\s*([-+]?\d{1,3}\.\d+)\s*\)?$/;
const MIN_DECIMALS = 5;

function preciseDegrees(text: string, limit: number): boolean {
  const m = DEGREES.exec(text);
  return !!m && m[2]!.length >= MIN_DECIMALS && Math.abs(Number(text)) <= limit;
}

/**
 * Precise location (≥ 5 decimals, about a metre): a "lat,lon" or "lon,lat" pair in one value, or,
 * when `field` names a coordinate (see isCoordinateField), a single value in range.
 */
export function isPreciseCoordinate(value: string, field?: string): boolean {
  const text = normalizeText(value).trim();
  const pair = PAIR.exec(text);
  if (pair) {
    const [a, b] = [pair[1]!, pair[2]!];
    return (preciseDegrees(a, 90) && preciseDegrees(b, 180)) || (preciseDegrees(a, 180) && preciseDegrees(b, 90));
  }
  return field !== undefined && isCoordinateField(field) && preciseDegrees(text, 180);
}

const NAME_FIELDS = new Set([
  'name',
  'fullname',
  'realname',
  'personname',
  'contact',
  'contactname',
  'contactperson',
  'xm',
  'xingming',
]);
const NAME_FIELDS_ZH = new Set(['户主', '患者', '驾驶员', '法人代表']);

/** True for a column of people's names: 姓名, 患者姓名, 联系人, 负责人, name, fullName, real_name, xm … */
export function isPersonNameField(field: string): boolean {
  const f = normalizeText(field).trim();
  if (/姓名|名字/.test(f) || (/人$/.test(f) && f.length >= 2) || NAME_FIELDS_ZH.has(f)) return true;
  return NAME_FIELDS.has(f.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** Values of a name column that are not names. */
const NOT_NAMES = new Set(['未知', '不详', '匿名', '无名', '暂无', '全部', '合计', '总计', '小计', '其他', '测试']);
/** Last characters of places and organisations (郑州市, 金水区, 东站, 气象局, 第一中学校 …). */
const NOT_NAME_ENDINGS = /[省市县区镇乡村站局厅院所厂店馆校司社队处部委办路街]$/;
const PLACE_NAMES: ReadonlySet<string> = new Set(
  Object.values(REGIONS).flatMap((name) => [name, name.replace(/(?:回族区|自治区|特别行政区|[省市县区])$/, '')]),
);

/** The surname of a Chinese name: a compound surname (欧阳) when it has one, else its first character. */
export function chineseSurname(name: string): string {
  return name.length >= 3 && COMPOUND_SURNAMES.has(name.slice(0, 2)) ? name.slice(0, 2) : name.slice(0, 1);
}

const LATIN_NAME = /^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?: [A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?){1,2}$/;

/**
 * A person's name: 2–4 Han characters starting with a common surname and not a place or
 * organisation, or a Latin "First Last". Only meaningful for values of a name column
 * (isPersonNameField): on its own "王强" could be anything.
 */
export function isPersonName(value: string): boolean {
  const name = normalizeText(value).trim();
  if (LATIN_NAME.test(name)) return true;
  if (!/^\p{Script=Han}{2,4}$/u.test(name)) return false;
  if (NOT_NAMES.has(name) || NOT_NAME_ENDINGS.test(name) || PLACE_NAMES.has(name)) return false;
  const surname = chineseSurname(name);
  return surname.length === 2 || SINGLE_SURNAMES.has(surname);
}
