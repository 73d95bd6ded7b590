import { formatYuan, LEDGER_TYPES, type LedgerType } from '@zdec/shared';
import type { HashedFields } from './ledger.hash';

/**
 * The CSV form of the ledger, shared by the export and the offline verifier (scripts/ledger-verify.ts):
 * every field the hash covers is a column, written so that it parses back to exactly the same value
 * (`at` as ISO 8601 with milliseconds, an empty cell for an absent optional, orgIds joined by ';').
 * `amountYuan` is for people and is not hashed; the verifier checks it against `amountFen`.
 */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'month',
  'type',
  'ref',
  'listingCode',
  'orderId',
  'listingId',
  'resourceId',
  'authorizationId',
  'orgIds',
  'amountFen',
  'amountYuan',
  'grade',
  'prevHash',
  'hash',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** UTF-8 byte order mark: without it Excel reads the file in the local code page and garbles Chinese text. */
export const CSV_BOM = '\uFEFF';
/** RFC 4180 line ending. */
export const CSV_EOL = '\r\n';

export type CsvEntry = HashedFields & { hash: string };

/** One CSV cell, quoted when it holds a comma, a quote, a line break or edge whitespace. */
export function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + CSV_EOL;
}

/**
 * One entry as a CSV line (with its line ending). A field tampered into the wrong type in the
 * database is written as it is found, for the verifier to report, rather than breaking the export.
 */
export function csvLine(e: CsvEntry): string {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const cells: Record<CsvColumn, string> = {
    seq: String(e.seq),
    at: e.at instanceof Date && !Number.isNaN(e.at.getTime()) ? e.at.toISOString() : String(e.at),
    month: text(e.month),
    type: text(e.type),
    ref: text(e.ref),
    listingCode: text(e.listingCode),
    orderId: text(e.orderId),
    listingId: text(e.listingId),
    resourceId: text(e.resourceId),
    authorizationId: text(e.authorizationId),
    orgIds: Array.isArray(e.orgIds) ? e.orgIds.join(';') : text(e.orgIds),
    amountFen: String(e.amountFen),
    amountYuan: Number.isSafeInteger(e.amountFen) ? formatYuan(e.amountFen) : '',
    grade: text(e.grade),
    prevHash: text(e.prevHash),
    hash: text(e.hash),
  };
  return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',') + CSV_EOL;
}

/** Thrown by `entryFromCsv` for a row that cannot be an entry; the message names the column. */
export class CsvRowError extends Error {
  override name = 'CsvRowError';
}

const INTEGER = /^-?\d+$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Reads a parsed CSV record (column → text) back into the fields the hash covers. */
export function entryFromCsv(row: Record<string, string | undefined>): CsvEntry & { amountYuan: string } {
  const cell = (c: CsvColumn): string => {
    const v = row[c];
    if (v === undefined) throw new CsvRowError(`column ${c} is missing`);
    return v;
  };
  const optional = (c: CsvColumn) => cell(c) || undefined;
  const integer = (c: CsvColumn) => {
    const v = cell(c);
    if (!INTEGER.test(v) || !Number.isSafeInteger(Number(v))) throw new CsvRowError(`${c} is not an integer: ${v}`);
    return Number(v);
  };
  const at = cell('at');
  if (!ISO_INSTANT.test(at) || Number.isNaN(Date.parse(at))) throw new CsvRowError(`at is not an ISO instant: ${at}`);
  const type = cell('type');
  if (!(LEDGER_TYPES as readonly string[]).includes(type)) throw new CsvRowError(`unknown type: ${type}`);
  const orgIds = cell('orgIds');
  return {
    seq: integer('seq'),
    at: new Date(at),
    month: cell('month'),
    type: type as LedgerType,
    ref: cell('ref'),
    listingCode: optional('listingCode'),
    orderId: optional('orderId'),
    listingId: optional('listingId'),
    resourceId: optional('resourceId'),
    authorizationId: optional('authorizationId'),
    orgIds: orgIds ? orgIds.split(';') : [],
    amountFen: integer('amountFen'),
    amountYuan: cell('amountYuan'),
    grade: optional('grade'),
    prevHash: cell('prevHash'),
    hash: cell('hash'),
  };
}
