import { isRegionCode } from '../regions';
import { compactNumber } from './normalize';
import type { DetectorName } from './levels';

/*
 * How sure the scanner is that a column holds what a detector found in it, judged the way
 * data-loss-prevention tools judge a column (issue 12, item 9): by the share of the column's
 * candidate values that the detector confirms, the strength of each confirmation, and the context
 * (the column's name, the other columns of the table). A finding counts towards the proposed level
 * only from LIKELIHOOD_THRESHOLD up.
 */

/** Findings with a likelihood from this value up count towards a field's level and the proposed level. */
export const LIKELIHOOD_THRESHOLD = 0.5;
/** A column needs this many candidate values before its confirmed share is taken as evidence. */
export const MIN_CANDIDATES = 5;

/**
 * The likelihood of a single confirmed value, before the column's evidence: check character plus
 * birth date and province for ID numbers; for bank cards Luhn alone (1 in 10 random numbers pass)
 * is weak and a known scheme prefix with its length strong; for credit codes the check character
 * alone (1 in 31) is weak and a valid registration authority and region code strong.
 */
const BASE: Record<DetectorName, { weak: number; strong: number }> = {
  idNumber: { weak: 0.9, strong: 0.9 },
  bankCard: { weak: 0.4, strong: 0.75 },
  coordinate: { weak: 0.8, strong: 0.8 },
  mobile: { weak: 0.7, strong: 0.7 },
  email: { weak: 0.85, strong: 0.85 },
  personName: { weak: 0.75, strong: 0.75 },
  licencePlate: { weak: 0.7, strong: 0.7 },
  creditCode: { weak: 0.45, strong: 0.8 },
};

/** How often a random value of the detector's shape passes its check (where it has one). */
const CHANCE: Partial<Record<DetectorName, number>> = { idNumber: 1 / 11, bankCard: 1 / 10, creditCode: 1 / 31 };
/** A column whose confirmed share is no more than this many times chance holds numbers that pass by chance. */
const CHANCE_FACTOR = 3;
const CHANCE_PENALTY = 0.3;

/** Column names that say what a detector finds. */
const FIELD_HINTS: Partial<Record<DetectorName, RegExp>> = {
  idNumber: /身份证|证件|公民身份|sfz|id_?card|id_?no|id_?num|identity|citizen/i,
  bankCard: /卡号|银行|账号|账户|card|bank|account|acct/i,
  mobile: /手机|电话|联系方式|mobile|phone|tel|cell/i,
  email: /邮箱|邮件|mail/i,
  creditCode: /信用代码|社会信用|统一代码|uscc|credit|纳税人识别|tax_?id/i,
  licencePlate: /车牌|号牌|plate/i,
  coordinate: /经度|纬度|坐标|位置|lat|lng|lon|coord|gps|location|position/i,
};
/** Column names of reference numbers, where a weakly confirmed number is most likely one by chance. */
const REFERENCE_FIELD = /编号|单号|流水|订单|参考|序号|批次|工单|凭证|票号|ref|serial|order|batch|txn|trade/i;
const WEAK_NUMBERS: ReadonlySet<DetectorName> = new Set(['bankCard', 'mobile', 'creditCode']);
const HINT_BONUS = 0.15;
const REFERENCE_PENALTY = 0.15;
/** Detectors a table that holds people (ID numbers or names in another column) makes more likely. */
const PERSONAL_CONTEXT: ReadonlySet<DetectorName> = new Set(['bankCard', 'mobile', 'email', 'licencePlate']);
const CONTEXT_BONUS = 0.05;

/** The detectors whose whole-value shape `text` (normalised) has, confirmed or not: the candidates. */
export function candidateShapes(text: string): DetectorName[] {
  const n = compactNumber(text);
  const out: DetectorName[] = [];
  if (/^\d{17}[\dXx]$/.test(n)) out.push('idNumber');
  if (/^[3-6]\d{12,18}$/.test(n)) out.push('bankCard');
  if (/^[0-9A-Za-z]{18}$/.test(n)) out.push('creditCode');
  if (/^(?:\+86|0086)?1\d{10}$/.test(n)) out.push('mobile');
  return out;
}

/** Card scheme prefixes with their lengths (ISO/IEC 7812 issuer ranges). */
const CARD_SCHEMES: { prefix: RegExp; lengths: number[] }[] = [
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^5[1-5]/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^35(?:2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] }, // JCB
  { prefix: /^3(?:0[0-5]|[68])/, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefix: /^6(?:011|4[4-9]|5)/, lengths: [16, 17, 18, 19] }, // Discover
];
const CREDIT_AUTHORITIES = '123456789ANY';

/** Whether a confirmed value is a strong confirmation (see BASE). */
export function isStrongConfirmation(detector: DetectorName, value: string): boolean {
  const n = compactNumber(value).toUpperCase();
  if (detector === 'bankCard') return CARD_SCHEMES.some((s) => s.prefix.test(n) && s.lengths.includes(n.length));
  if (detector === 'creditCode') return CREDIT_AUTHORITIES.includes(n[0]!) && isRegionCode(`${n.slice(2, 4)}0000`);
  return true;
}

export interface FindingEvidence {
  detector: DetectorName;
  field: string;
  matches: number;
  strong: number;
  candidates: number;
  /** Another column of the same table holds ID numbers or names that count. */
  personalTable: boolean;
}

/** The likelihood (0..1, two decimals) that the column holds what the detector found. */
export function findingLikelihood(e: FindingEvidence): number {
  const base = BASE[e.detector];
  const strongShare = e.matches ? e.strong / e.matches : 0;
  let p = base.weak + (base.strong - base.weak) * strongShare;
  const chance = CHANCE[e.detector];
  const confirmed = e.candidates ? e.matches / e.candidates : 1;
  if (chance && e.candidates >= MIN_CANDIDATES && confirmed <= CHANCE_FACTOR * chance) p *= CHANCE_PENALTY;
  if (FIELD_HINTS[e.detector]?.test(e.field)) p += HINT_BONUS;
  else if (WEAK_NUMBERS.has(e.detector) && REFERENCE_FIELD.test(e.field)) p -= REFERENCE_PENALTY;
  if (e.personalTable && PERSONAL_CONTEXT.has(e.detector)) p += CONTEXT_BONUS;
  return Math.round(Math.min(0.99, Math.max(0.01, p)) * 100) / 100;
}
