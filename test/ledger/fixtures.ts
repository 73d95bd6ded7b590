import { Types } from 'mongoose';
import type { LedgerType } from '@zdec/shared';
import { CheckpointModel } from '../../server/src/modules/ledger/checkpoint.model';
import { entryHash, GENESIS_HASH, shanghaiMonth } from '../../server/src/modules/ledger/ledger.hash';
import { entryId, LedgerEntryModel, LedgerHeadModel } from '../../server/src/modules/ledger/ledger.model';
import type { CsvEntry } from '../../server/src/modules/ledger/ledger.csv';

/** Empties the ledger, its head hint and its checkpoints (raw driver: the models refuse deletes). */
export async function resetLedger(): Promise<void> {
  await LedgerEntryModel.collection.deleteMany({});
  await LedgerHeadModel.collection.deleteMany({});
  await CheckpointModel.collection.deleteMany({});
}

const TYPES: LedgerType[] = [
  'listing.listed',
  'trade.settled',
  'trade.settled',
  'trade.refunded',
  'resource.registered',
];

/**
 * `n` valid, chained entries written straight to the collection, as a bulk loader would: far faster
 * than `n` appends, for tests that need a long ledger. `at` starts at `start` and advances `stepMs`.
 */
export async function bulkLedger(
  n: number,
  opts: { start?: Date; stepMs?: number; orgIds?: string[]; ref?: (seq: number) => string } = {},
): Promise<CsvEntry[]> {
  const start = (opts.start ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const orgs = opts.orgIds ?? [new Types.ObjectId().toHexString(), new Types.ObjectId().toHexString()];
  const entries: CsvEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const at = new Date(start + (seq - 1) * (opts.stepMs ?? 60_000));
    const type = TYPES[seq % TYPES.length]!;
    const order = type.startsWith('trade.') ? new Types.ObjectId().toHexString() : undefined;
    const fields = {
      seq,
      at,
      month: shanghaiMonth(at),
      type,
      ref: opts.ref?.(seq) ?? `bulk-${seq}`,
      ...(order ? { orderId: order } : {}),
      ...(type === 'listing.listed' || order
        ? { listingId: new Types.ObjectId().toHexString(), listingCode: `ZDEC-2026-${String(seq).padStart(6, '0')}` }
        : {}),
      ...(type === 'resource.registered' ? { resourceId: new Types.ObjectId().toHexString() } : {}),
      orgIds: [...orgs].sort(),
      amountFen: type === 'trade.settled' ? seq * 137 : type === 'trade.refunded' ? -seq * 11 : 0,
      ...(seq % 3 ? { grade: 'general' } : {}),
      prevHash,
    };
    const hash = entryHash(fields);
    entries.push({ ...fields, hash });
    prevHash = hash;
  }
  for (let i = 0; i < entries.length; i += 2000) {
    const docs = entries.slice(i, i + 2000).map((e) => ({ _id: entryId(e.seq), ...e }));
    await LedgerEntryModel.collection.insertMany(docs as never[]);
  }
  return entries;
}
