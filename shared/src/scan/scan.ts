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
import { candidateShapes, findingLikelihood, isStrongConfirmation, LIKELIHOOD_THRESHOLD } from './likelihood';
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
  /** Values of the detector's shape (checked or not) that it confirmed: matches / candidates, 0..1. */
  confirmedShare: number;
  /** How likely the field holds what the detector found, 0..1 (see likelihood.ts). */
  likelihood: number;
  /** likelihood ≥ LIKELIHOOD_THRESHOLD: the finding counts towards the field's level. */
  counted: boolean;
}
export interface FieldScan {
  field: string;
  nonEmpty: number;
  /** Every finding, counted or not. */
  findings: ScanFinding[];
  /** The highest level of the counted findings (L1 when none counts). */
  level: Level;
}
export interface ScanResult {
  rowsScanned: number;
  fields: FieldScan[];
  proposed: { grade: 'general'; level: Level };
  /**
   * True when every row of every part and every character of every value was scanned. Review
   * fails closed on a scan that is not complete (and on one stored before this flag existed).
   */
  complete: boolean;
  /** What could not be scanned, when `complete` is false. */
  incomplete?: string[];
}
export interface ScanOptions {
  /** Rows to look at, from the start (default 10 000); a scan that leaves rows out is not complete. */
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 10_000;
const MAX_EXAMPLES = 3;
const MAX_DEPTH = 5;
/** Reasons kept for an incomplete scan. */
const MAX_GAPS = 10;

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
 * Linear in the text: a span holds at most MAX_SPAN_CHARS characters and every group at least
 * one, so from each group at most that many spans are tried, each of bounded length. (Trying every
 * span of a run, as this once did, is cubic in its groups: 2,000 space-separated `1`s took 12 s.)
 */
const NUMBER_RUN = /(?<![0-9A-Za-z]|\d\.)\+?\d+(?:[ -]{1,3}\d+)*[Xx]?(?![0-9A-Za-z]|\.\d)/g;
/** The longest number a detector takes: a card of 19 digits (an ID has 18, "0086" + a mobile 15). */
const MAX_SPAN_CHARS = 19;
const MIN_SPAN_CHARS = 11;
const code = (s: string, i: number) => s.charCodeAt(i);
const isDigitAt = (s: string, i: number, lo = 48, hi = 57) => code(s, i) >= lo && code(s, i) <= hi;

/**
 * The detector a span of digits (already normalised, separators removed) matches. Cheap tests of
 * length and leading digits come first, so that a run of a million groups costs little more than
 * reading it; the full predicates decide.
 */
function numberDetector(digits: string): DetectorName | undefined {
  const n = digits.length;
  // ID: 18 characters, birth year 19xx or 20xx.
  if (n === 18 && (digits.startsWith('19', 6) || digits.startsWith('20', 6)) && isChineseIdNumber(digits)) {
    return 'idNumber';
  }
  const mobileAt =
    n === 11 ? 0 : n === 14 && digits.startsWith('+86') ? 3 : n === 15 && digits.startsWith('0086') ? 4 : -1;
  if (mobileAt >= 0 && code(digits, mobileAt) === 49 && isDigitAt(digits, mobileAt + 1, 51) && isMobileNumber(digits)) {
    return 'mobile';
  }
  if (n >= 13 && isDigitAt(digits, 0, 51, 54) && isBankCard(digits)) return 'bankCard';
  return undefined;
}

/** The numbers found in `text`, normalised (exported for the tests, which compare it with a plain reference). */
export function findNumbers(text: string, out: Detection[] = []): Detection[] {
  for (const run of text.matchAll(NUMBER_RUN)) {
    const groups = run[0].split(/[ -]+/);
    // The run without separators, and where each group starts in it, so a span is one slice.
    const compact = groups.join('');
    const starts = new Array<number>(groups.length + 1);
    starts[0] = 0;
    for (let g = 0; g < groups.length; g++) starts[g + 1] = starts[g]! + groups[g]!.length;
    // Spans are tried from left to right and a match uses up its groups, so every group before
    // `free` is used and none after it: a span is free exactly when it starts at or after `free`.
    let free = 0;
    for (let i = 0; i < groups.length; i++) {
      if (i < free) continue;
      // The longest span from i that is not too long, then shorter ones down to the shortest number.
      let j = i;
      while (j + 1 < groups.length && starts[j + 2]! - starts[i]! <= MAX_SPAN_CHARS) j++;
      for (; j >= i; j--) {
        const length = starts[j + 1]! - starts[i]!;
        if (length < MIN_SPAN_CHARS) break;
        if (length > MAX_SPAN_CHARS) continue;
        const detector = numberDetector(compact.slice(starts[i], starts[j + 1]));
        if (!detector) continue;
        out.push({ detector, value: groups.slice(i, j + 1).join(' ') });
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
  const text = normalizeText(value).trim();
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

/**
 * A value as the text the detectors read. Arrays and objects (JSON nested deeper than MAX_DEPTH)
 * become their keys and leaves joined by spaces, walked with a stack of their own: a sample nested
 * 200,000 arrays deep must not overflow the call stack (issue 12, item 7).
 */
function asText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v !== 'object') return leafText(v);
  const parts: string[] = [];
  const stack: unknown[] = [v];
  while (stack.length) {
    const next = stack.pop();
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
    } else if (isPlainObject(next)) {
      const entries = Object.entries(next);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]![1], entries[i]![0]);
    } else {
      const text = leafText(next);
      if (text !== undefined) parts.push(text);
    }
  }
  return parts.join(' ');
}

function leafText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'object') return String(v);
  return undefined;
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
  detectors: Map<DetectorName, { matches: number; strong: number; examples: Set<string> }>;
  /** Values that had a detector's shape or a match of it. */
  candidates: Map<DetectorName, number>;
}

/** Whole-value shapes are looked for in values up to this long (an ID, card or code with separators). */
const MAX_CANDIDATE_CHARS = 40;

/** The pseudo-field under which the column names themselves are reported (see Scanner.scanName). */
export const COLUMN_NAMES = '(column names)';

function newTally(): FieldTally {
  return { nonEmpty: 0, detectors: new Map(), candidates: new Map() };
}

/** Counts one non-empty value of a field: what each detector found in it, and what had a detector's shape. */
function tallyValue(tally: FieldTally, text: string, field: string): void {
  tally.nonEmpty++;
  const seen = new Set<DetectorName>();
  const strong = new Set<DetectorName>();
  for (const { detector, value } of detectInValue(text, field)) {
    let d = tally.detectors.get(detector);
    if (!d) tally.detectors.set(detector, (d = { matches: 0, strong: 0, examples: new Set() }));
    if (!seen.has(detector)) d.matches++;
    seen.add(detector);
    if (!strong.has(detector) && isStrongConfirmation(detector, value)) {
      strong.add(detector);
      d.strong++;
    }
    if (d.examples.size < MAX_EXAMPLES) d.examples.add(maskValue(detector, value));
  }
  const shapes = text.length <= MAX_CANDIDATE_CHARS ? candidateShapes(normalizeText(text).trim()) : [];
  for (const detector of new Set([...shapes, ...seen])) {
    tally.candidates.set(detector, (tally.candidates.get(detector) ?? 0) + 1);
  }
}

/**
 * Scans records one at a time (a parser feeds it row by row, so no file needs to be held whole) and
 * then reports every field and the level it proposes: `general` at the highest level any field
 * implies (L1 when nothing is found). `important`/`core` are declared by the authority, never
 * proposed here. A part that could not be scanned is recorded with `markIncomplete`, and the result
 * then says `complete: false`, so that review fails closed.
 */
export class Scanner {
  private rows = 0;
  private readonly tallies = new Map<string, FieldTally>();
  private readonly gaps: string[] = [];

  /** Scans one record; `prefix` names the part it comes from (an XLSX worksheet after the first). */
  add(record: Record<string, unknown>, prefix = ''): void {
    this.rows++;
    if (!isPlainObject(record)) {
      this.markIncomplete(`row ${this.rows} is not a record`);
      return;
    }
    const values = new Map<string, string | undefined>();
    flatten(record, prefix, 0, values);
    for (const [field, text] of values) {
      let tally = this.tallies.get(field);
      if (!tally) {
        this.tallies.set(field, (tally = newTally()));
        this.scanName(field.slice(prefix.length));
      }
      if (text === undefined) continue;
      tallyValue(tally, text, field);
    }
  }

  /**
   * A column's name is data too: a CSV without a header row (or with personal data in it) turns its
   * first row into the column names, and JSON keys can be anything. Each name, and each part of a
   * dotted one, is scanned once, as a value of the field COLUMN_NAMES.
   */
  private scanName(name: string): void {
    let tally = this.tallies.get(COLUMN_NAMES);
    if (!tally) this.tallies.set(COLUMN_NAMES, (tally = newTally()));
    for (const part of new Set([name, ...name.split('.')])) {
      if (part.trim() !== '') tallyValue(tally, part, COLUMN_NAMES);
    }
  }

  /** Records that a part of the input was not scanned (the result is then incomplete). */
  markIncomplete(reason: string): void {
    if (this.gaps.length < MAX_GAPS) this.gaps.push(reason);
  }

  result(): ScanResult {
    // Two passes: which fields hold people (counted ID numbers or names) is context for the others.
    const judge = (personalFields: ReadonlySet<string>) =>
      [...this.tallies]
        // The column names are reported (last) only when something was found in them.
        .filter(([field, tally]) => field !== COLUMN_NAMES || tally.detectors.size > 0)
        .sort(([a], [b]) => Number(a === COLUMN_NAMES) - Number(b === COLUMN_NAMES))
        .map(([field, tally]): FieldScan => {
          const personalTable = [...personalFields].some((f) => f !== field);
          const findings: ScanFinding[] = DETECTORS.filter((name) => tally.detectors.has(name)).map((name) => {
            const d = tally.detectors.get(name)!;
            const candidates = Math.max(d.matches, tally.candidates.get(name) ?? 0);
            const likelihood = findingLikelihood({
              detector: name,
              field,
              matches: d.matches,
              strong: d.strong,
              candidates,
              personalTable,
            });
            return {
              detector: name,
              matches: d.matches,
              share: tally.nonEmpty ? d.matches / tally.nonEmpty : 0,
              level: DETECTOR_LEVELS[name],
              examples: [...d.examples],
              confirmedShare: candidates ? d.matches / candidates : 0,
              likelihood,
              counted: likelihood >= LIKELIHOOD_THRESHOLD,
            };
          });
          const level = maxLevel(...findings.filter((f) => f.counted).map((f) => f.level));
          return { field, nonEmpty: tally.nonEmpty, findings, level };
        });
    const first = judge(new Set());
    const personal = new Set(
      first
        .filter((f) => f.findings.some((x) => x.counted && (x.detector === 'idNumber' || x.detector === 'personName')))
        .map((f) => f.field),
    );
    const fields = personal.size ? judge(personal) : first;
    return {
      rowsScanned: this.rows,
      fields,
      proposed: { grade: 'general', level: maxLevel(...fields.map((f) => f.level)) },
      complete: this.gaps.length === 0,
      ...(this.gaps.length ? { incomplete: [...this.gaps] } : {}),
    };
  }
}

/** Scans sample records value by value (at most `maxRows` of them) and proposes a grade, see Scanner. */
export function scanRecords(records: Record<string, unknown>[], opts: ScanOptions = {}): ScanResult {
  const max = Math.max(0, opts.maxRows ?? DEFAULT_MAX_ROWS);
  const scanner = new Scanner();
  for (const record of records.slice(0, max)) scanner.add(record);
  if (records.length > max) scanner.markIncomplete(`rows ${max + 1} to ${records.length} were not scanned`);
  return scanner.result();
}
