import type { mongo } from 'mongoose';
import type { CsvEntry } from './ledger.csv';
import { LedgerEntryModel } from './ledger.model';

/** An entry as the raw driver reads it for verification and export (`_id` left out). */
export type RawEntry = CsvEntry;

export const SCAN_BATCH = 5000;
/** How far out of seq order the natural order may run before the scan asks the database to sort. */
const MAX_PENDING = 20_000;

/**
 * A cursor a batch at a time, with no await per document. The next batch is requested before the
 * current one is handed over, so the database encodes it while this process hashes or writes.
 */
export async function* batches<T>(cursor: mongo.FindCursor<T>): AsyncGenerator<T[]> {
  let more: Promise<boolean> | undefined;
  try {
    more = cursor.hasNext();
    while (await more) {
      const docs = cursor.readBufferedDocuments();
      more = cursor.hasNext();
      yield docs;
    }
  } finally {
    more?.catch(() => undefined);
    await cursor.close().catch(() => undefined);
  }
}

/**
 * The entries with `from <= seq <= to`, in seq order, in batches, without holding the ledger in
 * memory. It reads in natural order (insertion order, which for an append-only ledger is seq order
 * and, unlike a sort, streams on the embedded engine) and puts the few entries that arrive early back in place.
 * If natural order strays too far (a missing entry, a ledger loaded out of order), it continues with
 * a sorted query from the first seq it has not handed over. Entries with a seq below the next
 * expected one (duplicates, tampering) are handed over where they appear, for the caller to judge.
 */
export async function* entriesInSeqOrder(from: number, to: number, batchSize = SCAN_BATCH): AsyncGenerator<RawEntry[]> {
  if (to < from) return;
  const coll = LedgerEntryModel.collection;
  const projection = { _id: 0 };
  let expected = from;
  const pending = new Map<number, RawEntry>();
  let strayed = false;
  const natural = coll.find<RawEntry>({ seq: { $gte: from, $lte: to } }, { projection, batchSize });
  for await (const docs of batches(natural)) {
    const out: RawEntry[] = [];
    for (const d of docs) {
      if (d.seq === expected) {
        out.push(d);
        expected++;
        for (let next = pending.get(expected); next; next = pending.get(expected)) {
          pending.delete(expected);
          out.push(next);
          expected++;
        }
      } else if (typeof d.seq === 'number' && d.seq > expected) {
        pending.set(d.seq, d);
      } else {
        out.push(d);
      }
    }
    if (out.length) yield out;
    if (pending.size > MAX_PENDING) {
      strayed = true;
      break;
    }
  }
  if (strayed) {
    const sorted = coll.find<RawEntry>(
      { seq: { $gte: expected, $lte: to } },
      { sort: { seq: 1 }, projection, batchSize },
    );
    yield* batches(sorted);
    return;
  }
  if (pending.size) yield [...pending.values()].sort((a, b) => a.seq - b.seq);
}
