import type { DetectorName } from '@zdec/shared';

/**
 * Declared coarsenings: the only way a field the scanner found at L3/L4 may be used in a sandbox
 * query. Each is a DuckDB macro defined in every query run (TEMP, so it lives only in that run) and
 * maps a precise value to a class that many records share.
 */
export interface Coarsening {
  name: string;
  /** Which detectors' fields it applies to. */
  detectors: DetectorName[];
  zh: string;
  en: string;
  sql: string;
}

const txt = (x: string) => `CAST(${x} AS VARCHAR)`;
const digits = (x: string) => `regexp_replace(${txt(x)}, '[^0-9Xx]', '', 'g')`;
/** An ID number as stored (trimmed); the scanner found 18-character numbers in these fields. */
const id = (x: string) => `trim(${txt(x)})`;
/** yyyymmdd of birth as an integer, or NULL. */
const birth = (x: string) => `CASE WHEN length(${id(x)}) = 18 THEN TRY_CAST(substr(${id(x)}, 7, 8) AS INTEGER) END`;
/** Whole years of age today, by integer arithmetic on yyyymmdd (cheap: no date parsing per row). */
const age = (x: string) => `((CAST(strftime(current_date, '%Y%m%d') AS INTEGER) - ${birth(x)}) // 10000)`;
const round2 = (x: string) => `printf('%.2f', TRY_CAST(trim(${x}) AS DOUBLE))`;

export const COARSENINGS: Coarsening[] = [
  {
    name: 'age_band',
    detectors: ['idNumber'],
    zh: '年龄段（由身份证号出生日期计算：0-17、18-29、30-39 … 70+）',
    en: 'age band from the birth date in an ID number (0-17, 18-29, 30-39 … 70+)',
    sql:
      `CASE WHEN ${birth('x')} IS NULL OR ${age('x')} < 0 THEN NULL WHEN ${age('x')} < 18 THEN '0-17' ` +
      `WHEN ${age('x')} < 30 THEN '18-29' WHEN ${age('x')} < 40 THEN '30-39' ` +
      `WHEN ${age('x')} < 50 THEN '40-49' WHEN ${age('x')} < 60 THEN '50-59' ` +
      `WHEN ${age('x')} < 70 THEN '60-69' ELSE '70+' END`,
  },
  {
    name: 'birth_decade',
    detectors: ['idNumber'],
    zh: '出生年代（如 1980s）',
    en: 'decade of birth (e.g. 1980s)',
    sql: `CASE WHEN ${birth('x')} IS NULL THEN NULL ELSE concat(substr(${id('x')}, 7, 3), '0s') END`,
  },
  {
    name: 'id_gender',
    detectors: ['idNumber'],
    zh: '性别（身份证号第 17 位）',
    en: 'sex (17th digit of the ID number)',
    sql: `CASE WHEN length(${id('x')}) <> 18 THEN NULL WHEN TRY_CAST(substr(${id('x')}, 17, 1) AS INTEGER) % 2 = 1 THEN '男' ELSE '女' END`,
  },
  {
    name: 'id_province',
    detectors: ['idNumber'],
    zh: '户籍省份代码（前 2 位 + 0000）',
    en: 'province code of registration (first 2 digits + 0000)',
    sql: `concat(substr(${id('x')}, 1, 2), '0000')`,
  },
  {
    name: 'id_city',
    detectors: ['idNumber'],
    zh: '户籍地市代码（前 4 位 + 00）',
    en: 'prefecture code of registration (first 4 digits + 00)',
    sql: `concat(substr(${id('x')}, 1, 4), '00')`,
  },
  {
    name: 'card_bin',
    detectors: ['bankCard'],
    zh: '发卡行标识（前 6 位）',
    en: 'issuer identification number (first 6 digits)',
    sql: `substr(${digits('x')}, 1, 6)`,
  },
  {
    name: 'phone_prefix',
    detectors: ['mobile'],
    zh: '手机号段（前 3 位）',
    en: 'mobile number prefix (first 3 digits)',
    sql: `substr(right(${digits('x')}, 11), 1, 3)`,
  },
  {
    name: 'email_domain',
    detectors: ['email'],
    zh: '邮箱域名',
    en: 'e-mail domain',
    sql: `lower(split_part(${txt('x')}, '@', 2))`,
  },
  {
    name: 'plate_region',
    detectors: ['licencePlate'],
    zh: '车牌归属地（省简称 + 发牌机关代号，如 豫A）',
    en: 'plate region (province and issuing office, e.g. 豫A)',
    sql: `substr(upper(trim(${txt('x')})), 1, 2)`,
  },
  {
    name: 'grid_cell',
    detectors: ['coordinate'],
    zh: '约 1 公里网格（坐标保留 2 位小数）',
    en: 'about 1 km grid cell (coordinates to 2 decimals)',
    sql:
      `CASE WHEN contains(${txt('x')}, ',') THEN concat(${round2(`split_part(${txt('x')}, ',', 1)`)}, ',', ` +
      `${round2(`split_part(${txt('x')}, ',', 2)`)}) ELSE ${round2(txt('x'))} END`,
  },
];

export const COARSENING_BY_NAME = new Map(COARSENINGS.map((c) => [c.name, c]));

/** The macros every query run defines. */
export const COARSENING_MACROS = COARSENINGS.map((c) => `CREATE TEMP MACRO ${c.name}(x) AS (${c.sql})`);

/** Coarsenings declared for a detector. */
export function coarseningsFor(detector: DetectorName | undefined): string[] {
  if (!detector) return [];
  return COARSENINGS.filter((c) => c.detectors.includes(detector)).map((c) => c.name);
}
