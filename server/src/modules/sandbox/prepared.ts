import crypto from 'node:crypto';
import path from 'node:path';
import { DETECTOR_LEVELS, levelOrder, type DetectorName, type Level, type ScanResult } from '@zdec/shared';
import { AppError } from '../../platform/errors';
import { parseSample } from '../samples/samples.parse';
import { readFile } from '../../platform/storage';
import { resourcesByIds } from '../resources/resources.service';
import type { ListingRecord } from '../listings/listings.service';
import { coarseningsFor } from './coarsenings';
import type { ProductSchema, SandboxField } from './disclosure';
import { preparedDatabase, trustedRead, type PrepareInput } from './engine';

/**
 * The prepared form of a deliverable: a DuckDB database file per deliverable version and field
 * schema, under DATA_DIR/sandbox, named by the deliverable's SHA-256 (and a hash of the schema). It is
 * built once, on first use, from the file in GridFS, and then serves both the sandbox (typed table
 * `records`) and API delivery (the raw rows in `__rows`, so `GET /data/:code` reads a page instead of
 * parsing the whole file on every call).
 */

/** Bumped when the prepared layout changes, so old files are not reused. */
const FORMAT = 'zdec-sandbox-1';
export const PRODUCT_TABLE = 'records';

const SQL_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMP',
  geo: 'VARCHAR',
  other: 'VARCHAR',
};

type DataFile = NonNullable<ListingRecord['dataFile']>;

function requireDataFile(listing: ListingRecord): DataFile {
  if (!listing.dataFile) throw new AppError('no-data-file', 409, 'The provider has not uploaded the data yet');
  return listing.dataFile;
}

const asText = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString()
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

/** A type for a column no source describes, from its values (all integers, all numbers, all dates …). */
function inferType(values: (string | null)[]): { type: string; sqlType: string } {
  const present = values.filter((v): v is string => v !== null && v.trim() !== '').slice(0, 5_000);
  if (present.length === 0) return { type: 'string', sqlType: 'VARCHAR' };
  if (present.every((v) => /^-?\d{1,15}$/.test(v.trim()))) return { type: 'integer', sqlType: 'BIGINT' };
  if (present.every((v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())))
    return { type: 'number', sqlType: 'DOUBLE' };
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v.trim()))) return { type: 'date', sqlType: 'DATE' };
  return { type: 'string', sqlType: 'VARCHAR' };
}

interface SourceField {
  name: string;
  type: string;
  description: string;
}

async function sourceFields(listing: ListingRecord): Promise<Map<string, SourceField>> {
  const sources = await resourcesByIds(listing.sourceResourceIds, ['fields']);
  const out = new Map<string, SourceField>();
  for (const s of sources) for (const f of s.fields ?? []) if (!out.has(f.name)) out.set(f.name, f);
  return out;
}

/** What the scanner found in each field of the deliverable: its level and strongest detector. */
function scanLevels(scan: unknown): Map<string, { level: Level; detector?: DetectorName }> {
  const out = new Map<string, { level: Level; detector?: DetectorName }>();
  const fields = (scan as ScanResult | undefined)?.fields ?? [];
  for (const f of fields) {
    let detector: DetectorName | undefined;
    for (const finding of f.findings ?? []) {
      if (!detector || levelOrder(DETECTOR_LEVELS[finding.detector]) > levelOrder(DETECTOR_LEVELS[detector])) {
        detector = finding.detector;
      }
    }
    out.set(f.field, { level: f.level, detector });
  }
  return out;
}

/** Limits of the platform's own reads (API delivery, metadata): no buyer SQL runs there. */
const PAGE_LIMITS = { timeoutMs: 10_000, memoryLimitMb: 256 };

export interface Prepared {
  path: string;
  schema: ProductSchema;
  dataSha256: string;
}

/** The fields of each prepared database, read once from its __meta. */
const schemaMemo = new Map<string, SandboxField[]>();

/**
 * The prepared database of the listing's deliverable, built if needed, and its schema: the columns
 * of the file, typed and described by the sources' field schema, levelled by the scanner.
 */
export async function prepare(dataDir: string, listing: ListingRecord): Promise<Prepared> {
  const file = requireDataFile(listing);
  const sources = await sourceFields(listing);
  const levels = scanLevels(listing.dataScan);
  const inputsHash = crypto
    .createHash('sha256')
    .update(JSON.stringify([FORMAT, [...sources.values()].map((f) => [f.name, f.type, f.description]), [...levels]]))
    .digest('hex')
    .slice(0, 16);
  const dbPath = path.join(dataDir, 'sandbox', `${file.sha256}-${inputsHash}.duckdb`);

  const load = async (): Promise<PrepareInput> => {
    const data = await parseSample(await readFile(file.fileId), { rowCap: Number.MAX_SAFE_INTEGER });
    const rows = data.records.map((r) => data.columns.map((c) => asText(r[c])));
    const fields = data.columns.map((name, i): SandboxField => {
      const src = sources.get(name);
      const { type, sqlType } = src
        ? { type: src.type, sqlType: SQL_TYPES[src.type] ?? 'VARCHAR' }
        : inferType(rows.map((r) => r[i] ?? null));
      const scanned = levels.get(name);
      const level: Level = scanned?.level ?? 'L1';
      return {
        name,
        type,
        sqlType,
        description: src?.description ?? '',
        level,
        detector: scanned?.detector,
        sensitive: levelOrder(level) >= levelOrder('L3'),
        coarsenings: coarseningsFor(scanned?.detector),
      };
    });
    return {
      columns: fields.map((f) => ({ name: f.name, sqlType: f.sqlType })),
      columnNames: data.columns,
      fieldsJson: JSON.stringify(fields),
      rows,
      json: data.records.map((r) => JSON.stringify(r)),
    };
  };

  await preparedDatabase(dbPath, load);
  let fields = schemaMemo.get(dbPath);
  if (!fields) {
    const out = await trustedRead(dbPath, [{ sql: 'SELECT fields FROM __meta', maxRows: 1 }], PAGE_LIMITS);
    if (out.error) throw new AppError('sandbox-unavailable', 503, 'The prepared data could not be read; try again');
    fields = JSON.parse(String(out.results[0]!.rows[0]![0])) as SandboxField[];
    schemaMemo.set(dbPath, fields);
  }
  return { path: dbPath, schema: { table: PRODUCT_TABLE, fields }, dataSha256: file.sha256 };
}

/**
 * One page of the deliverable's rows, exactly as the file holds them, read from the prepared form
 * (rows are stored in file order under `rid`, so a page is a range read whatever the file's size).
 */
export async function dataPage(
  dataDir: string,
  listing: ListingRecord,
  page: { offset: number; limit: number },
): Promise<{ columns: string[]; rows: Record<string, unknown>[]; hasMore: boolean }> {
  const { path: dbPath } = await prepare(dataDir, listing);
  const offset = Math.max(0, Math.trunc(page.offset));
  const limit = Math.max(0, Math.trunc(page.limit));
  const out = await trustedRead(
    dbPath,
    [
      { sql: 'SELECT columns FROM __meta', maxRows: 1 },
      {
        sql: `SELECT raw FROM __rows WHERE rid >= ${offset} AND rid < ${offset + limit + 1} ORDER BY rid`,
        maxRows: limit + 1,
      },
    ],
    PAGE_LIMITS,
  );
  if (out.error) throw new AppError('delivery-failed', 503, 'The data could not be read; try again');
  const [meta, page1] = out.results;
  const rows = page1!.rows.map((r) => JSON.parse(String(r[0])) as Record<string, unknown>);
  return {
    columns: JSON.parse(String(meta!.rows[0]![0])) as string[],
    rows: rows.slice(0, limit),
    hasMore: rows.length > limit,
  };
}
