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
 *
 * Linear in the text: a span holds at most MAX_NUMBER_DIGITS + 1 characters and every group at least
 * one, so from each group at most that many spans are tried, each of bounded length. (Trying every
 * span of a run, as this once did, is cubic in its groups: 2,000 space-separated `1`s took 12 s.)
 */
const NUMBER_RUN = /(?<![0-9A-Za-z]|\d\.)\+?\d+(?:[ -]{1,3}\d+)*[Xx]?(?![0-9A-Za-z]|\.\d)/g;
const MAX_SPAN_CHARS = MAX_NUMBER_DIGITS + 1;
const MIN_SPAN_CHARS = 11;

function numberDetector(digits: string): DetectorName | undefined {
  if (isChineseIdNumber(digits)) return 'idNumber';
  if (isMobileNumber(digits)) return 'mobile';
  if (isBankCard(digits)) return 'bankCard';
  return undefined;
}

/** The numbers found in `text` (exported for the tests, which compare it with a plain reference). */
export function findNumbers(text: string, out: Detection[] = []): Detection[] {
  for (const run of text.matchAll(NUMBER_RUN)) {
    const groups = run[0].split(/[ -]+/);
    // Spans are tried from left to right and a match uses up its groups, so every group before
    // `free` is used and none after it: a span is free exactly when it starts at or after `free`.
    let free = 0;
    for (let i = 0; i < groups.length; i++) {
      if (i < free) continue;
      // The longest span from i that is not too long: j grows while the characters fit.
      let chars = 0;
      let last = i - 1;
      while (last + 1 < groups.length && chars + groups[last + 1]!.length <= MAX_SPAN_CHARS) {
        chars += groups[++last]!.length;
      }
      for (let j = last; j >= i && chars >= MIN_SPAN_CHARS; chars -= groups[j--]!.length) {
        const span = groups.slice(i, j + 1);
        const detector = numberDetector(span.join(''));
        if (!detector) continue;
        out.push({ detector, value: span.join(' ') });
        free = j + 1;
        break;
      }
    }
  }
  return out;
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
