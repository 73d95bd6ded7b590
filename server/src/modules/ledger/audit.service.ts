import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { LedgerFilter, LedgerQuery, Page, VerifyQuery, VerifyResult } from '@zdec/shared';
import { hasIndexedQueries } from '../../platform/db';
import { unprocessable } from '../../platform/errors';
import { CheckpointModel } from './checkpoint.model';
import { checkpointSignatureValid, type SignedCheckpoint } from './checkpoint.signing';
import type { SigningKey } from './checkpoint.service';
import { CSV_BOM, csvHeader, csvLine } from './ledger.csv';
import { entryHash, GENESIS_HASH } from './ledger.hash';
import { entryId, LedgerEntryModel, type LedgerEntry } from './ledger.model';
import { batches, entriesInSeqOrder, SCAN_BATCH, type RawEntry } from './ledger.scan';
import { pageByPaths } from './ledger.paths';
import { headRef } from './ledger.service';

export type LedgerEntryView = Omit<LedgerEntry, '_id'> & { id: string };

/** Why verification stopped; `firstBrokenSeq` says where. */
export type BreakReason =
  | 'hash-mismatch' // the entry's fields do not hash to its stored hash (e.g. a changed amount)
  | 'prev-hash-mismatch' // the entry does not chain to the one before (e.g. a reordered pair)
  | 'missing-entry' // no entry has this seq although a later one (or a checkpoint) exists
  | 'seq-out-of-place' // a seq that was already seen, or that is not a number
  | 'checkpoint-mismatch' // a signed checkpoint names another hash for this seq
  | 'checkpoint-signature'; // a stored checkpoint's signature does not verify

export interface VerifyReport extends VerifyResult {
  reason?: BreakReason;
  /** signed checkpoints inside the range that were checked (signature, and hash when reached) */
  checkpointsChecked: number;
}

/** The Mongo filter for the audit filters: `from <= at < to`, org in orgIds, minimum amount. */
export function ledgerFilter(f: LedgerFilter): Record<string, unknown> {
  if (f.from && f.to && f.to <= f.from) {
    throw unprocessable('validation', 'The range is empty', [{ path: 'query.to', message: 'must be after from' }]);
  }
  const q: Record<string, unknown> = {};
  if (f.from || f.to) q.at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
  if (f.type) q.type = f.type;
  if (f.org) q.orgIds = f.org;
  if (f.listingCode) q.listingCode = f.listingCode;
  if (f.minAmountFen !== undefined) q.amountFen = { $gte: f.minAmountFen };
  return q;
}

function isUnfiltered(f: LedgerFilter): boolean {
  return Object.values(f).every((v) => v === undefined);
}

/**
 * Ledger entries matching the filters, newest first. Unfiltered, a page is a seq range below the
 * head (seq has no gaps), so neither a count nor a sort of the whole ledger is needed. Filtered by
 * one type, one organisation or a date range alone, where only `_id` reads are cheap, the page
 * comes from the access paths (ledger.paths) when they cover the ledger; otherwise the query.
 */
export async function listEntries(q: LedgerQuery): Promise<Page<LedgerEntryView>> {
  const { page, pageSize, ...f } = q;
  const filter = ledgerFilter(f);
  let docs: (LedgerEntry & { _id: unknown })[];
  let total: number;
  let byPaths: Awaited<ReturnType<typeof pageByPaths>>;
  if (isUnfiltered(f)) {
    total = (await headRef()).seq;
    const top = total - (page - 1) * pageSize;
    docs = await pageBySeq(top, pageSize);
  } else if ((byPaths = await pageByPaths(f, page, pageSize, headRef))) {
    ({ docs, total } = byPaths);
  } else {
    [docs, total] = await Promise.all([
      LedgerEntryModel.find(filter)
        .sort({ seq: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean(),
      LedgerEntryModel.countDocuments(filter),
    ]);
  }
  const items = docs.map(({ _id, ...e }) => ({ id: String(_id), ...e }));
  return { items, total, page, pageSize };
}

/**
 * Entries `top`, `top - 1` … (at most `n`, none below 1), newest first. Where only `_id` reads are
 * cheap, one `entryId(seq)` read each; an entry not keyed by its seq (written by hand) makes it
 * fall back to the query.
 */
async function pageBySeq(top: number, n: number): Promise<(LedgerEntry & { _id: unknown })[]> {
  const seqs: number[] = [];
  for (let s = top; s > Math.max(0, top - n); s--) seqs.push(s);
  if (!(await hasIndexedQueries())) {
    const found = await Promise.all(seqs.map((s) => LedgerEntryModel.findById(entryId(s)).lean()));
    if (found.every((e, i) => e?.seq === seqs[i])) return found as (LedgerEntry & { _id: unknown })[];
  }
  return LedgerEntryModel.find({ seq: { $gt: top - n, $lte: top } })
    .sort({ seq: -1 })
    .lean();
}

function recomputedHash(e: RawEntry): string | null {
  try {
    return entryHash(e);
  } catch {
    return null; // a field was tampered into something that cannot even be hashed
  }
}

/**
 * Recomputes the hash chain over `from..to` (default: the whole ledger) and names the first broken
 * seq. Entries are streamed in seq order a batch at a time and checked without awaiting per entry.
 * For each seq in turn: it must be present (a deleted entry is reported as its own, missing, seq,
 * found from the gap before the next entry or from a signed checkpoint beyond the head), it must
 * chain to the previous entry's stored hash (`prevHash`: a reordered pair breaks here), its fields
 * must hash to its stored hash (a changed amount breaks here), and every signed checkpoint of that
 * seq must name that hash. A checkpoint whose signature fails is reported at its seq. The check of
 * `from` chains to the stored hash of `from - 1`. Stops at the first break; `checked` counts the
 * entries read until then. `headSeq`/`headHash` are the ledger's head when verification started.
 */
export async function verifyChain(q: VerifyQuery, key: SigningKey): Promise<VerifyReport> {
  const head = await headRef();
  const from = q.from ?? 1;
  const to = Math.min(q.to ?? head.seq, head.seq);
  const result = (checked: number, checkpointsChecked: number, broken?: { seq: number; reason: BreakReason }) => ({
    ok: !broken,
    checked,
    ...(broken ? { firstBrokenSeq: broken.seq, reason: broken.reason } : {}),
    headSeq: head.seq,
    headHash: head.seq ? head.hash : null,
    checkpointsChecked,
  });

  let broken: { seq: number; reason: BreakReason } | undefined;
  const breakAt = (seq: number, reason: BreakReason) => {
    if (!broken || seq < broken.seq) broken = { seq, reason };
  };

  // Checkpoints in the range: signatures first (cheap), hashes as the scan reaches their seq.
  const inRange = (await CheckpointModel.find({}, { _id: 0 }).lean()).filter(
    (c) => c.seq >= from && (q.to === undefined || c.seq <= q.to),
  );
  const bySeq = new Map<number, SignedCheckpoint[]>();
  for (const c of inRange) {
    if (c.keyId === key.keyId && !checkpointSignatureValid(c, key.publicKey)) breakAt(c.seq, 'checkpoint-signature');
    if (c.seq > head.seq) breakAt(head.seq + 1, 'missing-entry'); // signed as there, now gone
    bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  }

  let prevHash = GENESIS_HASH;
  if (from > 1 && from <= to) {
    const anchor =
      (await LedgerEntryModel.findById(entryId(from - 1), { hash: 1 }).lean()) ??
      (await LedgerEntryModel.findOne({ seq: from - 1 }, { hash: 1 }).lean());
    if (!anchor) return result(0, inRange.length, { seq: from - 1, reason: 'missing-entry' });
    prevHash = anchor.hash;
  }

  let expected = from;
  let checked = 0;
  scan: for await (const docs of entriesInSeqOrder(from, to)) {
    for (const e of docs) {
      if (broken && expected >= broken.seq) break scan;
      if (e.seq !== expected) {
        if (typeof e.seq === 'number' && e.seq > expected) breakAt(expected, 'missing-entry');
        else breakAt(expected, 'seq-out-of-place');
        break scan;
      }
      checked++;
      if (e.prevHash !== prevHash) breakAt(e.seq, 'prev-hash-mismatch');
      else if (recomputedHash(e) !== e.hash) breakAt(e.seq, 'hash-mismatch');
      else if (bySeq.get(e.seq)?.some((c) => c.hash !== e.hash)) breakAt(e.seq, 'checkpoint-mismatch');
      if (broken && broken.seq <= e.seq) break scan; // (a bad signature further on lets the scan go on)
      prevHash = e.hash;
      expected++;
    }
  }
  if (!broken && expected <= to) breakAt(expected, 'missing-entry'); // the head says more entries exist
  return result(checked, inRange.length, broken);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) throw new Error('the client went away');
  if (!out.write(chunk)) {
    const done = new AbortController(); // removes the listener of whichever event did not come
    await Promise.race([once(out, 'drain', done), once(out, 'close', done)]).finally(() => done.abort());
    if (out.destroyed) throw new Error('the client went away');
  }
}

/**
 * Streams the filtered ledger as CSV (UTF-8 with BOM, CRLF, oldest first) to `out`, a batch at a
 * time with back-pressure, so memory stays flat however long the ledger is. Unfiltered, it covers
 * seq 1..head as of the start, in chain order; the offline verifier can check the whole chain.
 * Returns the number of entries written.
 */
export async function writeLedgerCsv(f: LedgerFilter, out: Writable): Promise<number> {
  const filter = ledgerFilter(f);
  const source = isUnfiltered(f)
    ? entriesInSeqOrder(1, (await headRef()).seq)
    : batches(
        LedgerEntryModel.collection.find<RawEntry>(filter, {
          sort: { seq: 1 },
          projection: { _id: 0 },
          batchSize: SCAN_BATCH,
        }),
      );
  await write(out, CSV_BOM + csvHeader());
  let n = 0;
  for await (const docs of source) {
    let chunk = '';
    for (const e of docs) chunk += csvLine(e);
    n += docs.length;
    await write(out, chunk);
  }
  return n;
}
