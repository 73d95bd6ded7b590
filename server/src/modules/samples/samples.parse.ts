import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { AppError } from '../../platform/errors';
import {
  decodeAll,
  sniffSample,
  textChunks,
  unsupported,
  type SampleEncoding,
  type SampleFormat,
} from './samples.sniff';

/*
 * The streaming parsers of the sample formats (CSV, JSON, XLSX), with their limits: columns, JSON
 * nesting, record length, and the zip-bomb guard of an XLSX. Every row can be handed to a callback
 * as it streams past (the scan), beyond the rows kept.
 */

/** Rows kept for the scan by default; the parser streams past them without keeping them. */
export const SAMPLE_ROW_CAP = 5_000;
/** An XLSX whose entries inflate to more than this in total is refused as a zip bomb. */
export const XLSX_MAX_UNCOMPRESSED = 100 * 1024 * 1024;
/** ... and so is one whose entry larger than XLSX_RATIO_MIN_ENTRY inflates more than this many times. */
export const XLSX_MAX_RATIO = 100;
const XLSX_RATIO_MIN_ENTRY = 1024 * 1024;
const XLSX_MAX_ENTRIES = 10_000;
/** Reading an XLSX that takes longer than this is given up (a malformed archive must not hang a request). */
const XLSX_READ_TIMEOUT_MS = 60_000;
export const SAMPLE_MAX_COLUMNS = 1_000;
/**
 * Deepest nesting of arrays and objects in a JSON sample (the outer array is level 1). Records are
 * flat or a few levels deep; a file nested 200,000 deep is refused (422) instead of being walked.
 */
export const SAMPLE_MAX_JSON_DEPTH = 64;
/** Longest CSV record, in characters: an unclosed quote fails here instead of swallowing the file. */
const CSV_MAX_RECORD_CHARS = 2_000_000;

export interface ParsedSample {
  format: SampleFormat;
  /** Text encoding of CSV and JSON samples. */
  encoding?: SampleEncoding;
  columns: string[];
  /** The first `rowCap` data rows. */
  records: Record<string, unknown>[];
  /** Data rows the parser went through: every row of a CSV or JSON file; an XLSX is read up to the cap only. */
  rowsRead: number;
  /** True when the file has more rows than `records` holds. */
  truncated: boolean;
}

export interface ParseOptions {
  /** Rows to keep in `records` (default SAMPLE_ROW_CAP). */
  rowCap?: number;
  /**
   * Called with every data row of the file, past the cap too: every row of a CSV or JSON file, and
   * every row of every worksheet of an XLSX (read to its end when this is given). `part` prefixes the
   * field names of a worksheet after the first (`名单!`, its name), and is empty for the first.
   */
  onRecord?: (record: Record<string, unknown>, part: string) => void;
}

function unparseable(format: string, where: string, message: string, at: Record<string, number> = {}): AppError {
  return new AppError('sample-unparseable', 422, `The ${format} sample does not parse at ${where}: ${message}`, {
    errors: [{ path: `file (${where})`, message }],
    extra: { format: format.toLowerCase(), at },
  });
}

const emptySample = (format: string) =>
  new AppError('sample-empty', 422, `The ${format} sample has no data rows`, {
    errors: [{ path: 'file', message: 'no data rows' }],
  });

/**
 * Parses a sample, its type decided by content (samples.sniff.ts): anything but CSV, JSON or XLSX
 * is 415; a file of a known type that does not parse is 422 and says where; an XLSX that inflates
 * past the limits is 413.
 */
export async function parseSample(data: Buffer, opts: ParseOptions = {}): Promise<ParsedSample> {
  const rowCap = Math.max(0, Math.floor(opts.rowCap ?? SAMPLE_ROW_CAP));
  const sniffed = sniffSample(data);
  if (sniffed.format === 'xlsx') return parseXlsx(data, rowCap, opts.onRecord);
  if (sniffed.format === 'json') return parseJson(data, sniffed.encoding, rowCap, opts.onRecord);
  return parseCsvText(data, sniffed.encoding, sniffed.delimiter, rowCap, opts.onRecord);
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Column names from a header row: trimmed, blanks named column_<n>, duplicates refused. */
function headerColumns(names: unknown[], format: string, place: 'line' | 'row', n: number): string[] {
  const fail = (column: number, message: string) =>
    unparseable(format, `${place} ${n}, column ${column}`, message, { [place]: n, column });
  if (names.length > SAMPLE_MAX_COLUMNS) throw fail(SAMPLE_MAX_COLUMNS + 1, `more than ${SAMPLE_MAX_COLUMNS} columns`);
  const seen = new Set<string>();
  return names.map((value, i) => {
    const name = String(value ?? '').trim() || `column_${i + 1}`;
    if (seen.has(name)) throw fail(i + 1, `the column name "${name}" occurs twice`);
    seen.add(name);
    return name;
  });
}

async function parseCsvText(
  data: Buffer,
  encoding: SampleEncoding,
  delimiter: string,
  rowCap: number,
  onRecord?: ParseOptions['onRecord'],
): Promise<ParsedSample> {
  let columns: string[] = [];
  const parser = parseCsv({
    delimiter,
    bom: true,
    skip_empty_lines: true,
    max_record_size: CSV_MAX_RECORD_CHARS,
    columns: (header: string[]) => (columns = headerColumns(header, 'CSV', 'line', 1)),
  });
  const source = Readable.from(textChunks(data, encoding));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  const records: Record<string, unknown>[] = [];
  let rowsRead = 0;
  try {
    for await (const record of parser) {
      rowsRead++;
      if (records.length < rowCap) records.push(record as Record<string, unknown>);
      onRecord?.(record as Record<string, unknown>, '');
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as CsvError & { lines?: number; column?: number | string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      const line = e.lines ?? rowsRead + 1;
      throw unparseable('CSV', `line ${line}`, e.message, { line });
    }
    throw err;
  } finally {
    source.destroy();
  }
  if (rowsRead === 0) throw emptySample('CSV');
  return { format: 'csv', encoding, columns, records, rowsRead, truncated: rowsRead > records.length };
}

// ---------------------------------------------------------------------------------------------
// JSON

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

async function parseJson(
  data: Buffer,
  encoding: SampleEncoding,
  rowCap: number,
  onRecord?: ParseOptions['onRecord'],
): Promise<ParsedSample> {
  const text = decodeAll(data, encoding).replace(/^\ufeff/, '');
  const tooDeep = jsonNestingPastLimit(text);
  if (tooDeep) {
    const { line, column } = lineColumn(text, tooDeep.offset);
    throw unparseable(
      'JSON',
      `line ${line}, column ${column}`,
      `nested more than ${SAMPLE_MAX_JSON_DEPTH} levels deep (a sample is an array of records)`,
      { line, column, depth: SAMPLE_MAX_JSON_DEPTH + 1 },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    const message = (err as Error).message
      .replace(/,\s*"[\s\S]*" is not valid JSON$/, '')
      .replace(/ in JSON at position \d+[\s\S]*$/, '');
    throw unparseable('JSON', `line ${line}, column ${column}`, message, { line, column });
  }
  if (!Array.isArray(value)) {
    throw new AppError('sample-unparseable', 422, 'A JSON sample must be an array of objects ([{...}, ...])', {
      errors: [{ path: 'file', message: `expected an array, got ${value === null ? 'null' : typeof value}` }],
      extra: { format: 'json' },
    });
  }
  const seen = new Set<string>();
  const columns: string[] = [];
  value.forEach((row: unknown, index: number) => {
    if (!isPlainObject(row)) {
      throw new AppError('sample-unparseable', 422, `Element [${index}] of the JSON sample is not an object`, {
        errors: [
          {
            path: `file[${index}]`,
            message: `expected an object, got ${Array.isArray(row) ? 'array' : row === null ? 'null' : typeof row}`,
          },
        ],
        extra: { format: 'json', at: { index } },
      });
    }
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      if (seen.size >= SAMPLE_MAX_COLUMNS)
        throw unparseable('JSON', `[${index}]`, `more than ${SAMPLE_MAX_COLUMNS} fields`);
      seen.add(key);
      columns.push(key);
    }
  });
  if (value.length === 0) throw emptySample('JSON');
  const records = value.slice(0, rowCap) as Record<string, unknown>[];
  if (onRecord) for (const row of value as Record<string, unknown>[]) onRecord(row, '');
  return {
    format: 'json',
    encoding,
    columns,
    records,
    rowsRead: value.length,
    truncated: value.length > records.length,
  };
}

/**
 * Where JSON text first opens an array or object deeper than SAMPLE_MAX_JSON_DEPTH, or undefined.
 * One pass over the characters with a counter (no recursion, no parse), so a file nested 200,000
 * deep is refused as cheaply as it is read; brackets inside strings do not count.
 */
function jsonNestingPastLimit(text: string): { offset: number } | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > SAMPLE_MAX_JSON_DEPTH) return { offset: i };
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/**
 * Where JSON text stops being valid (an offset), for the error message: JSON.parse of Node 20 does
 * not always say. Only called once JSON.parse has failed.
 */
function jsonErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (s[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        if (s[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(s[i] ?? 'x')) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m || !m[0]) fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 2000) fail();
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        string();
        ws();
        if (s[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value(0);
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, s.length) : s.length;
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * Opens the ZIP with yauzl and inflates every entry without keeping it, counting what comes out:
 * refuses (415) a ZIP that is not a workbook and (413) one that inflates past the limits. yauzl
 * checks that every entry inflates to exactly the size its header declares.
 */
/**
 * Checks the archive (zip-bomb guards, hidden entries, encryption) and says whether the workbook part
 * comes before the first worksheet, as ExcelJS's streaming reader needs (it names a worksheet from
 * xl/workbook.xml and fails on one that comes first: "Cannot read properties of undefined (reading
 * 'sheets')"; ExcelJS's own writer sometimes orders them so).
 */
async function checkXlsxArchive(data: Buffer): Promise<{ workbookFirst: boolean }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true, validateEntrySizes: true }, (err, z) =>
      err ? reject(unparseable('XLSX', 'the ZIP structure', err.message)) : resolve(z),
    ),
  );
  // Where the central directory starts (before any entry is read, yauzl's cursor points at it).
  const centralDirectoryOffset = (zip as unknown as { readEntryCursor?: number }).readEntryCursor;
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let declared = 0;
      zip.on('error', (err: Error) => reject(unparseable('XLSX', 'the ZIP structure', err.message)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        declared += entry.uncompressedSize;
        if (entries.length > XLSX_MAX_ENTRIES) return reject(zipBomb(`more than ${XLSX_MAX_ENTRIES} entries`));
        if (declared > XLSX_MAX_UNCOMPRESSED)
          return reject(zipBomb(`it inflates to more than ${mb(XLSX_MAX_UNCOMPRESSED)}`));
        if (
          entry.uncompressedSize > XLSX_RATIO_MIN_ENTRY &&
          entry.uncompressedSize > XLSX_MAX_RATIO * Math.max(1, entry.compressedSize)
        ) {
          return reject(zipBomb(`${entry.fileName} inflates more than ${XLSX_MAX_RATIO} times`));
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
    if (!entries.some((e) => e.fileName === 'xl/workbook.xml')) {
      throw unsupported('The file is a ZIP archive but not an XLSX workbook (no xl/workbook.xml)');
    }
    if (entries.some((e) => e.isEncrypted())) throw unsupported('The workbook is encrypted');
    assertNoHiddenEntries(data, entries, centralDirectoryOffset);
    for (const entry of entries) await drainEntry(zip, entry);
    const names = entries.map((e) => e.fileName);
    const firstSheet = names.findIndex((n) => WORKSHEET_PART.test(n));
    return { workbookFirst: firstSheet < 0 || names.indexOf('xl/workbook.xml') < firstSheet };
  } finally {
    zip.close();
  }
}

const WORKSHEET_PART = /^xl\/worksheets\/sheet\d+\.xml$/;
/** The parts the streaming reader must have read before any worksheet, in this order. */
const LEADING_PARTS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];

/** The same workbook with the workbook's own parts ahead of the worksheets (an archive already checked). */
async function workbookPartsFirst(data: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(data);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  const rank = (n: string) => (LEADING_PARTS.includes(n) ? LEADING_PARTS.indexOf(n) : LEADING_PARTS.length);
  const out = new JSZip();
  for (const n of [...names].sort((a, b) => rank(a) - rank(b))) out.file(n, await zip.file(n)!.async('uint8array'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * exceljs reads the archive front to back by its local headers, yauzl by the central directory.
 * So that both see the same entries (and no undeclared entry slips past the size checks), the
 * declared entries must tile the file from offset 0 up to the central directory.
 */
function assertNoHiddenEntries(data: Buffer, entries: yauzl.Entry[], centralDirectoryOffset: number | undefined): void {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let expected = 0;
  let slack = 0; // a data descriptor (12 to 24 bytes) may follow an entry's data
  const check = (offset: number, what: string) => {
    if (offset < expected || offset > expected + slack) {
      throw unparseable('XLSX', 'the ZIP structure', `unexpected bytes before ${what}`);
    }
  };
  for (const entry of sorted) {
    const at = entry.relativeOffsetOfLocalHeader;
    check(at, entry.fileName);
    if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) {
      throw unparseable('XLSX', 'the ZIP structure', `no local header for ${entry.fileName}`);
    }
    expected = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28) + entry.compressedSize;
    slack = entry.generalPurposeBitFlag & 0x8 ? 24 : 0;
  }
  if (centralDirectoryOffset !== undefined) check(centralDirectoryOffset, 'the central directory');
}

async function drainEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) =>
      err ? reject(unparseable('XLSX', `entry ${entry.fileName}`, err.message)) : resolve(s),
    ),
  );
  try {
    for await (const _chunk of stream) {
      // Inflated and dropped; yauzl errors if the output exceeds the declared size.
    }
  } catch (err) {
    const message = (err as Error).message;
    if (/too many bytes/.test(message)) throw zipBomb(`${entry.fileName} inflates past the size it declares`);
    throw unparseable('XLSX', `entry ${entry.fileName}`, message);
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const zipBomb = (why: string) =>
  new AppError('sample-too-large', 413, `The XLSX workbook is refused: ${why} (a zip bomb?)`);

/** A cell as a plain value: rich text and hyperlinks become their text, formulas their result, dates ISO text. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v !== 'object') return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellValue((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in v) return cellValue((v as { text: ExcelJS.CellValue }).text);
  if ('error' in v) return v.error;
  return String(v);
}

interface SheetRow {
  number: number;
  values: ExcelJS.CellValue[] | Record<string, ExcelJS.CellValue>;
}

async function parseXlsx(data: Buffer, rowCap: number, onRecord?: ParseOptions['onRecord']): Promise<ParsedSample> {
  const { workbookFirst } = await checkXlsxArchive(data);
  const source = Readable.from([workbookFirst ? data : await workbookPartsFirst(data)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell dates from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let columns: string[] | undefined;
  const records: Record<string, unknown>[] = [];
  let truncated = false;
  let rowsRead = 0;
  let rowNumber = 0;
  let sheetIndex = 0;
  let sheetLabel = '';
  const read = async () => {
    for await (const worksheet of reader) {
      sheetIndex++;
      // The first worksheet is the sample; the others are read (and scanned) only with onRecord.
      if (sheetIndex > 1 && !onRecord) return;
      const first = sheetIndex === 1;
      const name = (worksheet as { name?: string }).name || `Sheet${sheetIndex}`;
      const part = first ? '' : `${name}!`;
      sheetLabel = first ? '' : `worksheet ${name}, `;
      let sheetColumns: string[] | undefined;
      for await (const row of worksheet as AsyncIterable<SheetRow>) {
        rowNumber = row.number;
        // row.values is 1-based and sparse: holes are empty cells.
        const raw = row.values as ExcelJS.CellValue[];
        const cells = Array.from({ length: Math.max(0, raw.length - 1) }, (_, i) => cellValue(raw[i + 1]));
        if (cells.every((c) => c === '')) continue;
        if (!sheetColumns) {
          while (cells.length && cells[cells.length - 1] === '') cells.pop();
          sheetColumns = headerColumns(cells, 'XLSX', 'row', row.number);
          if (first) columns = sheetColumns;
          continue;
        }
        if (cells.length > sheetColumns.length && cells.slice(sheetColumns.length).some((c) => c !== '')) {
          throw unparseable(
            'XLSX',
            `${sheetLabel}row ${row.number}`,
            `${cells.length} cells but ${sheetColumns.length} header columns`,
            { row: row.number },
          );
        }
        const record = Object.fromEntries(sheetColumns.map((name, i) => [name, cells[i] ?? '']));
        if (first) {
          if (records.length >= rowCap) {
            truncated = true;
            if (!onRecord) return;
          } else records.push(record);
          rowsRead++;
        }
        onRecord?.(record, part);
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(unparseable('XLSX', `${sheetLabel}row ${rowNumber}`, 'reading the workbook took too long')),
          XLSX_READ_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unparseable(
      'XLSX',
      rowNumber ? `${sheetLabel}row ${rowNumber}` : 'the workbook structure',
      (err as Error).message,
      {
        row: rowNumber,
      },
    );
  } finally {
    clearTimeout(timer);
    source.destroy();
  }
  if (!columns) throw unparseable('XLSX', 'the first worksheet', 'no header row (the sheet is empty)');
  if (rowsRead === 0) throw emptySample('XLSX');
  return { format: 'xlsx', columns, records, rowsRead, truncated };
}
