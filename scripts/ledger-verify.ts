/**
 * Offline check of a ledger export against the published, signed checkpoints. Needs nothing but the
 * files: no server, no database.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { formatYuan } from '@zdec/shared';
import {
  checkpointSignatureValid,
  publicKeyFromText,
  type SignedCheckpoint,
} from '../server/src/modules/ledger/checkpoint.signing';
import { CSV_COLUMNS, CsvRowError, entryFromCsv } from '../server/src/modules/ledger/ledger.csv';
import { entryHash, GENESIS_HASH } from '../server/src/modules/ledger/ledger.hash';
import { verifyReceiptCli } from './receipt-verify';

const USAGE = `Usage:
  npm run ledger:verify -- <export.csv> --checkpoints <checkpoints.json> --public-key <key.pem> [--filtered]
  npm run ledger:verify -- <export.csv> --no-checkpoints [--filtered]
  npm run ledger:verify -- --receipt <receipt.json> --public-key <key.pem>   (a certificate or receipt; --receipt alone lists its options)

Files, as the platform publishes them:
  export.csv        GET /api/v1/ledger/export.csv            (regulator or exchange token)
  checkpoints.json  GET /api/v1/ledger/checkpoints.json      (public; a page of GET /ledger/checkpoints also works,
                                                              and --checkpoints may be given more than once)
  key.pem           GET /api/v1/ledger/public-key.pem        (public; the JSON of GET /ledger/public-key also works)

Checks: every row's hash is SHA-256 over the RFC 8785 canonical JSON of its fields; every row chains to the
row before (prevHash); amountYuan matches amountFen; every checkpoint's Ed25519 signature verifies with the
public key, and the row at each checkpoint's seq carries the checkpoint's hash.
By default the export must be the whole ledger: starting at seq 1 and without gaps, and reaching every
checkpoint's seq (a missing entry, even the last one, is a break). --filtered accepts an export made with
filters: gaps and a later start are then allowed (links are checked between consecutive seqs only) and
checkpoints beyond the export are listed as not covered.

Exit status: 0 intact, 1 broken (the first broken seq is named), 2 usage or unreadable input.`;

export interface VerifyExportOptions {
  csvPath: string;
  checkpointPaths: string[];
  publicKeyPath?: string;
  filtered?: boolean;
}

export interface Problem {
  seq: number;
  reason: string;
}

export interface VerifyExportReport {
  ok: boolean;
  rows: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  firstBrokenSeq?: number;
  problems: Problem[];
  checkpointsChecked: number;
  checkpointsNotCovered: string[];
}

/** Thrown for unusable input (missing file, not a ledger export): exit status 2. */
export class InputError extends Error {
  override name = 'InputError';
}

function readCheckpoints(paths: string[]): SignedCheckpoint[] {
  const all: SignedCheckpoint[] = [];
  for (const p of paths) {
    const data = JSON.parse(fs.readFileSync(p, 'utf8')) as unknown;
    const items = Array.isArray(data) ? data : (data as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new InputError(`${p}: neither a list of checkpoints nor a page of them`);
    for (const c of items as SignedCheckpoint[]) {
      if (typeof c?.day !== 'string' || !Number.isSafeInteger(c.seq) || typeof c.hash !== 'string') {
        throw new InputError(`${p}: not a checkpoint: ${JSON.stringify(c)}`);
      }
      all.push(c);
    }
  }
  return all;
}

/** Verifies an export offline; streams the CSV, so its size does not matter. */
export async function verifyExport(opts: VerifyExportOptions): Promise<VerifyExportReport> {
  const problems: Problem[] = [];
  const broken = (seq: number, reason: string) => problems.push({ seq, reason });

  const checkpoints = readCheckpoints(opts.checkpointPaths);
  const bySeq = new Map<number, SignedCheckpoint[]>();
  if (checkpoints.length) {
    if (!opts.publicKeyPath) throw new InputError('--public-key is needed to check the checkpoints');
    const key = publicKeyFromText(fs.readFileSync(opts.publicKeyPath, 'utf8'));
    for (const c of checkpoints) {
      if (!checkpointSignatureValid(c, key)) broken(c.seq, `checkpoint of ${c.day}: the signature does not verify`);
      else bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
    }
  }

  if (!fs.existsSync(opts.csvPath)) throw new InputError(`${opts.csvPath}: no such file`);
  const parser = fs
    .createReadStream(opts.csvPath)
    .pipe(parse({ bom: true, columns: true, relax_column_count: false, skip_empty_lines: true }));
  let rows = 0;
  let firstSeq: number | null = null;
  let prev: { seq: number; hash: string } | null = null;
  let checkpointsChecked = 0;
  const matched = new Set<SignedCheckpoint>();
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      if (rows === 0) {
        const missing = CSV_COLUMNS.filter((c) => !(c in record));
        if (missing.length) throw new InputError(`not a ledger export: columns missing: ${missing.join(', ')}`);
      }
      rows++;
      let e: ReturnType<typeof entryFromCsv>;
      try {
        e = entryFromCsv(record);
      } catch (err) {
        if (!(err instanceof CsvRowError)) throw err;
        broken(Number(record.seq) || (prev ? prev.seq + 1 : 1), `row ${rows}: ${err.message}`);
        continue;
      }
      firstSeq ??= e.seq;
      if (prev && e.seq <= prev.seq) {
        broken(e.seq, `seq ${e.seq} comes after seq ${prev.seq}`);
      } else if (prev && e.seq === prev.seq + 1) {
        if (e.prevHash !== prev.hash) broken(e.seq, 'prevHash is not the hash of the entry before');
      } else if (!prev && e.seq === 1) {
        if (e.prevHash !== GENESIS_HASH) broken(e.seq, 'the first entry does not start from the genesis hash');
      } else if (!opts.filtered) {
        const missingSeq = prev ? prev.seq + 1 : 1;
        broken(missingSeq, `entry ${missingSeq}${e.seq - missingSeq > 1 ? `..${e.seq - 1}` : ''} missing`);
      }
      if (entryHash(e) !== e.hash) broken(e.seq, 'the fields do not hash to the stored hash');
      if (e.amountYuan !== formatYuan(e.amountFen)) broken(e.seq, `amountYuan ${e.amountYuan} is not amountFen`);
      for (const c of bySeq.get(e.seq) ?? []) {
        checkpointsChecked++;
        matched.add(c);
        if (c.hash !== e.hash) broken(e.seq, `checkpoint of ${c.day} names another hash for seq ${e.seq}`);
      }
      prev = { seq: e.seq, hash: e.hash };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as { code?: string }).code?.startsWith('CSV_'))
      throw new InputError(`not valid CSV: ${(err as Error).message}`);
    throw err;
  }
  if (!rows) throw new InputError(`${opts.csvPath}: no entries`);

  const lastSeq = prev?.seq ?? null;
  const notCovered = [...bySeq.values()].flat().filter((c) => !matched.has(c));
  for (const c of notCovered) {
    // In a whole export an unmatched checkpoint within the seq range is already a reported gap.
    if (!opts.filtered && (lastSeq === null || c.seq > lastSeq)) {
      broken((lastSeq ?? 0) + 1, `checkpoint of ${c.day} commits to seq ${c.seq}, the export ends at ${lastSeq}`);
    }
  }
  const firstBroken = problems.reduce<number | undefined>(
    (m, p) => (m === undefined || p.seq < m ? p.seq : m),
    undefined,
  );
  return {
    ok: problems.length === 0,
    rows,
    firstSeq,
    lastSeq,
    lastHash: prev?.hash ?? null,
    ...(firstBroken !== undefined ? { firstBrokenSeq: firstBroken } : {}),
    problems: problems.sort((a, b) => a.seq - b.seq),
    checkpointsChecked,
    checkpointsNotCovered: opts.filtered ? notCovered.map((c) => c.day) : [],
  };
}

function parseArgs(argv: string[]): VerifyExportOptions & { noCheckpoints: boolean } {
  const opts = { csvPath: '', checkpointPaths: [] as string[], publicKeyPath: undefined as string | undefined };
  let filtered = false;
  let noCheckpoints = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v) throw new InputError(`${a} needs a file`);
      return v;
    };
    if (a === '--checkpoints') opts.checkpointPaths.push(value());
    else if (a === '--public-key') opts.publicKeyPath = value();
    else if (a === '--filtered') filtered = true;
    else if (a === '--no-checkpoints') noCheckpoints = true;
    else if (a === '-h' || a === '--help') throw new InputError('');
    else if (a.startsWith('-') || opts.csvPath) throw new InputError(`unexpected argument: ${a}`);
    else opts.csvPath = a;
  }
  if (!opts.csvPath) throw new InputError('the export CSV is missing');
  if (!noCheckpoints && (!opts.checkpointPaths.length || !opts.publicKeyPath)) {
    throw new InputError('give --checkpoints and --public-key (or --no-checkpoints to check the chain alone)');
  }
  return { ...opts, filtered, noCheckpoints };
}

async function main(): Promise<number> {
  if (process.argv.includes('--receipt')) return verifyReceiptCli(process.argv.slice(2)); // scripts/receipt-verify.ts
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof InputError && err.message) console.error(`ledger-verify: ${err.message}\n`);
    console.error(USAGE);
    return 2;
  }
  try {
    const r = await verifyExport(opts);
    const range = `${r.rows} entries, seq ${r.firstSeq}..${r.lastSeq}`;
    const cps = opts.noCheckpoints ? 'checkpoints not checked' : `${r.checkpointsChecked} checkpoint(s) matched`;
    if (r.checkpointsNotCovered.length)
      console.log(`not covered by this export: ${r.checkpointsNotCovered.join(', ')}`);
    if (r.ok) {
      console.log(`OK: ${range}; head hash ${r.lastHash}; ${cps}`);
      return 0;
    }
    for (const p of r.problems.slice(0, 20)) console.log(`  seq ${p.seq}: ${p.reason}`);
    if (r.problems.length > 20) console.log(`  … and ${r.problems.length - 20} more`);
    console.log(`BROKEN: first broken seq ${r.firstBrokenSeq} (${range})`);
    return 1;
  } catch (err) {
    if (err instanceof InputError || (err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) {
      console.error(`ledger-verify: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
