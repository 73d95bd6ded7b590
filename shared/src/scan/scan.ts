import type { Level } from '../constants';
import {
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
} from './detectors';
import { DETECTOR_LEVELS, DETECTORS, type DetectorName, maxLevel } from './levels';
import { maskValue } from './mask';
import { normalizeText } from './normalize';

export interface ScanFinding {
  detector: DetectorName;
  /** Non-empty values in which the detector found something. */
  matches: number;
  /** matches / nonEmpty, 0..1. */
  share: number;
  level: Level;
  /** At most 3 distinct examples, masked. */
  examples: string[];
}
export interface FieldScan {
  field: string;
  nonEmpty: number;
  findings: ScanFinding[];
  level: Level;
}
export interface ScanResult {
  rowsScanned: number;
  fields: FieldScan[];
  proposed: { grade: 'general'; level: Level };
}
export interface ScanOptions {
  /** Rows to look at, from the start (default 10 000). */
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 10_000;
const MAX_EXAMPLES = 3;
/** Longest text searched in one value; longer values are searched in their first part only. */
const MAX_TEXT = 20_000;
/** Digit groups longer than this (without separators) cannot hold an ID, card or phone number. */
const MAX_NUMBER_DIGITS = 22;
const MAX_DEPTH = 5;

/** One thing a detector found in a value: the matched text, unmasked. */
export interface Detection {
  detector: DetectorName;
  value: string;
}

/**
 * Numbers in text, written with or without spaces and dashes: "电话 138-0013-8000", "卡号6222 0212 3456 7890 128".
 * Each run of digit groups is tried span by span, longest first, so the ID number is not also read as
 * a card and a date in front of a phone number does not hide it; a span that matched is used up.
 */
const NUMBER_RUN = /(?<![0-9A-Za-z]|\d\.)\+?\d+(?:[ -]{1,3}\d+)*[Xx]?(?![0-9A-Za-z]|\.\d)/g;

function findNumbers(text: string, out: Detection[]): void {
  for (const run of text.matchAll(NUMBER_RUN)) {
    const groups = run[0].split(/[ -]+/);
    const used: boolean[] = groups.map(() => false);
    for (let i = 0; i < groups.length; i++) {
      for (let j = groups.length - 1; j >= i; j--) {
        if (used.slice(i, j + 1).some(Boolean)) continue;
        const span = groups.slice(i, j + 1);
        const digits = span.join('');
        if (digits.length > MAX_NUMBER_DIGITS + 1 || digits.length < 11) continue;
        const detector: DetectorName | undefined = isChineseIdNumber(digits)
          ? 'idNumber'
          : isMobileNumber(digits)
            ? 'mobile'
            : isBankCard(digits)
              ? 'bankCard'
              : undefined;
        if (!detector) continue;
        out.push({ detector, value: span.join(' ') });
        used.fill(true, i, j + 1);
        break;
      }
    }
  }
}

const EMAIL_CANDIDATE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+/g;
const CREDIT_CODE_CANDIDATE = /(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])/g;
const PLATE_CANDIDATE =
  /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][·•・ -]?[0-9A-Za-z]{4,6}[挂学警港澳]?(?![0-9A-Za-z])/g;
const COORDINATE_PAIR_CANDIDATE = /(?<![\d.])[-+]?\d{1,3}\.\d{5,}\s*[,; ]\s*[-+]?\d{1,3}\.\d{5,}(?![\d.])/g;

function findAll(
  text: string,
  pattern: RegExp,
  detector: DetectorName,
  test: (s: string) => boolean,
  out: Detection[],
) {
  for (const m of text.matchAll(pattern)) {
    const candidate = m[0].replace(/\.+$/, '');
    if (test(candidate)) out.push({ detector, value: candidate });
  }
}

/** Everything the detectors find in one value of `field`. */
export function detectInValue(value: string, field: string): Detection[] {
  const text = normalizeText(value).trim().slice(0, MAX_TEXT);
  if (!text) return [];
  const out: Detection[] = [];
  if (isPersonNameField(field) && isPersonName(text)) out.push({ detector: 'personName', value: text });
  if (isCoordinateField(field) && isPreciseCoordinate(text, field)) out.push({ detector: 'coordinate', value: text });
  findNumbers(text, out);
  findAll(text, EMAIL_CANDIDATE, 'email', isEmail, out);
  findAll(text, CREDIT_CODE_CANDIDATE, 'creditCode', (s) => isCreditCode(s) && !isChineseIdNumber(s), out);
  findAll(text, PLATE_CANDIDATE, 'licencePlate', isLicencePlate, out);
  findAll(text, COORDINATE_PAIR_CANDIDATE, 'coordinate', (s) => isPreciseCoordinate(s), out);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (Array.isArray(v)) return v.map((e) => asText(e) ?? '').join(' ');
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** Nested objects (JSON samples) become dotted fields: { location: { lat } } → "location.lat". */
function flatten(
  record: Record<string, unknown>,
  prefix: string,
  depth: number,
  out: Map<string, string | undefined>,
): void {
  for (const [key, v] of Object.entries(record)) {
    const field = prefix + key;
    if (isPlainObject(v) && depth < MAX_DEPTH) {
      flatten(v, `${field}.`, depth + 1, out);
      continue;
    }
    const text = asText(v);
    out.set(field, text !== undefined && text.trim() !== '' ? text : undefined);
  }
}

interface FieldTally {
  nonEmpty: number;
  detectors: Map<DetectorName, { matches: number; examples: Set<string> }>;
}

/**
 * Scans sample records value by value and proposes a grade: `general` at the highest level any
 * field implies (L1 when nothing is found). `important`/`core` are declared by the authority, never
 * proposed here.
 */
export function scanRecords(records: Record<string, unknown>[], opts: ScanOptions = {}): ScanResult {
  const rows = records.slice(0, Math.max(0, opts.maxRows ?? DEFAULT_MAX_ROWS));
  const tallies = new Map<string, FieldTally>();
  for (const record of rows) {
    if (!isPlainObject(record)) continue;
    const values = new Map<string, string | undefined>();
    flatten(record, '', 0, values);
    for (const [field, text] of values) {
      let tally = tallies.get(field);
      if (!tally) tallies.set(field, (tally = { nonEmpty: 0, detectors: new Map() }));
      if (text === undefined) continue;
      tally.nonEmpty++;
      const seen = new Set<DetectorName>();
      for (const { detector, value } of detectInValue(text, field)) {
        let d = tally.detectors.get(detector);
        if (!d) tally.detectors.set(detector, (d = { matches: 0, examples: new Set() }));
        if (!seen.has(detector)) d.matches++;
        seen.add(detector);
        if (d.examples.size < MAX_EXAMPLES) d.examples.add(maskValue(detector, value));
      }
    }
  }

  const fields: FieldScan[] = [...tallies].map(([field, tally]) => {
    const findings: ScanFinding[] = DETECTORS.filter((name) => tally.detectors.has(name)).map((name) => {
      const d = tally.detectors.get(name)!;
      return {
        detector: name,
        matches: d.matches,
        share: tally.nonEmpty ? d.matches / tally.nonEmpty : 0,
        level: DETECTOR_LEVELS[name],
        examples: [...d.examples],
      };
    });
    return { field, nonEmpty: tally.nonEmpty, findings, level: maxLevel(...findings.map((f) => f.level)) };
  });
  return {
    rowsScanned: rows.length,
    fields,
    proposed: { grade: 'general', level: maxLevel(...fields.map((f) => f.level)) },
  };
}
