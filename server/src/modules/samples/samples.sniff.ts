import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors';

/*
 * Recognition of a sample by its content: a ZIP holding xl/workbook.xml is XLSX; text whose first
 * character is `[` or `{` is JSON; other text with a delimiter in its first line is CSV. The file
 * name and the declared MIME type are never asked. Anything else is 415.
 */

export type SampleFormat = 'csv' | 'json' | 'xlsx';
export type SampleEncoding = 'utf-8' | 'gb18030';

/** What a sample's bytes say it is, and what its parser needs to know. */
export type SniffedSample =
  | { format: 'xlsx' }
  | { format: 'json'; encoding: SampleEncoding }
  | { format: 'csv'; encoding: SampleEncoding; delimiter: string };

const TEXT_CHUNK_BYTES = 64 * 1024;

/** The problem for a file that is none of the sample formats. */
export const unsupported = (detail: string) =>
  new AppError('unsupported-sample-format', 415, `${detail}. A sample must be CSV (UTF-8 or GBK), JSON or XLSX.`);

const MAGIC: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF executable'],
  [[0xcf, 0xfa, 0xed, 0xfe], 'a Mach-O executable'],
  [[0xfe, 0xed, 0xfa, 0xce], 'a Mach-O executable'],
  [[0xca, 0xfe, 0xba, 0xbe], 'a Java class or Mach-O file'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'an xz archive'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'a legacy Office (.xls/.doc) or encrypted file; save the sheet as XLSX'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x52, 0x49, 0x46, 0x46], 'a RIFF (WebP, WAV, AVI) file'],
  [[0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module'],
  [[0xff, 0xfe], 'UTF-16 text; save it as UTF-8'],
  [[0xfe, 0xff], 'UTF-16 text; save it as UTF-8'],
];

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

/** Formats whose first bytes could also begin a text file, so they need a closer look. */
function binaryKind(data: Buffer): string | undefined {
  if (data.length >= 64 && startsWith(data, [0x4d, 0x5a])) {
    const pe = data.readUInt32LE(0x3c);
    if (pe + 4 <= data.length && startsWith(data.subarray(pe), [0x50, 0x45, 0, 0])) return 'a Windows executable';
  }
  if (startsWith(data, [0x42, 0x5a, 0x68]) && startsWith(data.subarray(4), [0x31, 0x41, 0x59, 0x26, 0x53, 0x59])) {
    return 'a bzip2 archive';
  }
  return MAGIC.find(([bytes]) => startsWith(data, bytes))?.[1];
}
const isZip = (data: Buffer) =>
  data[0] === 0x50 &&
  data[1] === 0x4b &&
  [0x03, 0x05, 0x07].includes(data[2]!) &&
  [0x04, 0x06, 0x08].includes(data[3]!);

/** Control characters that never occur in text files (tab, LF, FF, CR are allowed). */
// eslint-disable-next-line no-control-regex
const BINARY_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/**
 * The text encoding of a file: strict UTF-8 first, then GB18030 (a superset of GBK and GB2312).
 * Bytes that are neither, or control characters, mean it is not a text file: 415.
 */
function detectEncoding(data: Buffer): SampleEncoding {
  if (isUtf8(data)) return 'utf-8';
  const decoder = iconv.getDecoder('gb18030');
  for (let i = 0; i < data.length; i += TEXT_CHUNK_BYTES) {
    const text = decoder.write(data.subarray(i, i + TEXT_CHUNK_BYTES));
    if (text.includes('\ufffd')) throw unsupported('The file is neither UTF-8 nor GBK/GB18030 text');
  }
  if ((decoder.end() ?? '').includes('\ufffd')) throw unsupported('The file is neither UTF-8 nor GBK/GB18030 text');
  return 'gb18030';
}

/** Decoded text in chunks (a UTF-8 byte-order mark is dropped), so that no parser needs the whole string. */
export function* textChunks(data: Buffer, encoding: SampleEncoding): Generator<string> {
  if (encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < data.length; i += TEXT_CHUNK_BYTES) {
      const last = i + TEXT_CHUNK_BYTES >= data.length;
      const text = decoder.decode(data.subarray(i, i + TEXT_CHUNK_BYTES), { stream: !last });
      if (text) yield text;
    }
    return;
  }
  const decoder = iconv.getDecoder('gb18030');
  for (let i = 0; i < data.length; i += TEXT_CHUNK_BYTES) {
    const text = decoder.write(data.subarray(i, i + TEXT_CHUNK_BYTES));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The whole text, decoded (see textChunks). */
export function decodeAll(data: Buffer, encoding: SampleEncoding): string {
  let out = '';
  for (const chunk of textChunks(data, encoding)) out += chunk;
  return out;
}

const CSV_DELIMITERS = [',', '\t', ';', '|'] as const;

/** The delimiter that occurs most often, outside quotes, in the first line; undefined when none does. */
function csvDelimiter(head: string): string | undefined {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (CSV_DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const d of CSV_DELIMITERS) if ((counts.get(d) ?? 0) > (best ? counts.get(best)! : 0)) best = d;
  return best;
}

/**
 * What the sample is, decided by content (see above). Refuses an empty file (422) and anything
 * that is not one of the formats (415); the XLSX check of the archive itself is the parser's.
 */
export function sniffSample(data: Buffer): SniffedSample {
  if (data.length === 0) throw new AppError('sample-empty', 422, 'The sample file is empty');
  if (isZip(data)) return { format: 'xlsx' };
  const kind = binaryKind(data);
  if (kind) throw unsupported(`The file is ${kind}`);
  if (data.includes(0)) throw unsupported('The file holds binary data (NUL bytes)');

  const encoding = detectEncoding(data);
  // The first chunk only, to look at; a character cut at its end decodes as U+FFFD, which is harmless here.
  const first = data.subarray(0, TEXT_CHUNK_BYTES);
  const head = encoding === 'utf-8' ? new TextDecoder('utf-8').decode(first) : iconv.decode(first, 'gb18030');
  if (BINARY_CHARS.test(head)) throw unsupported('The file holds binary data (control characters)');
  const start = head.replace(/^\ufeff/, '').trimStart();
  if (start.startsWith('[') || start.startsWith('{')) return { format: 'json', encoding };
  const delimiter = csvDelimiter(start);
  if (!delimiter) throw unsupported('The file is text without a CSV delimiter (, ; tab |) in its first line');
  return { format: 'csv', encoding, delimiter };
}
