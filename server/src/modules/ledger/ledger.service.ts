import type { Grade, LedgerType } from '@zdec/shared';
import { faultPoint } from '../../platform/faults';
import { entryHash, GENESIS_HASH, shanghaiMonth } from './ledger.hash';
import { LedgerEntryModel, type LedgerEntry } from './ledger.model';

/** What a business event puts in the ledger. `(type, ref)` identifies the event: appending it twice adds it once. */
export interface AppendInput {
  type: LedgerType;
  ref: string;
  amountFen?: number;
  grade?: Grade;
  orderId?: string;
  listingId?: string;
  listingCode?: string;
  resourceId?: string;
  authorizationId?: string;
  orgIds: string[];
  at?: Date;
}

export type StoredEntry = LedgerEntry & { _id: unknown };

const MAX_ATTEMPTS = 500;

function isDuplicate(err: unknown): err is { code: number; message: string; keyPattern?: Record<string, unknown> } {
  return (err as { code?: unknown })?.code === 11000;
}

/**
 * The single way into the ledger. Gives the event the next `seq` (1, 2, 3 … without gaps) and
 * chains it to the previous entry's hash. No transaction is needed: the unique index on `seq`
 * makes concurrent appenders (in any number of processes) collide instead of forking the chain,
 * and the loser retries on the new head; the unique index on `(type, ref)` makes a repeated
 * append of the same event a no-op that returns the entry already there.
 */
export async function append(input: AppendInput): Promise<StoredEntry> {
  const existing = await LedgerEntryModel.findOne({ type: input.type, ref: input.ref }).lean();
  if (existing) return existing;
  const amountFen = input.amountFen ?? 0;
  if (!Number.isSafeInteger(amountFen)) throw new Error(`ledger amount must be integer fen: ${amountFen}`);

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const head = await LedgerEntryModel.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
    const at = input.at ?? new Date();
    const fields = {
      seq: (head?.seq ?? 0) + 1,
      at,
      month: shanghaiMonth(at),
      type: input.type,
      ref: input.ref,
      orderId: input.orderId,
      listingId: input.listingId,
      listingCode: input.listingCode,
      resourceId: input.resourceId,
      authorizationId: input.authorizationId,
      orgIds: [...new Set(input.orgIds)].sort(),
      amountFen,
      grade: input.grade,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    try {
      const doc = await LedgerEntryModel.create({ ...fields, hash: entryHash(fields) });
      return doc.toObject() as StoredEntry;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      const again = await LedgerEntryModel.findOne({ type: input.type, ref: input.ref }).lean();
      if (again) return again; // the same event was appended by someone else meanwhile
      faultPoint('ledger.appendRetry');
      // Lost the race for this seq: back off a little (jittered) and try on the new head.
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * Math.min(50, 2 + attempt * 2))));
    }
  }
  throw new Error(`ledger append of ${input.type} ${input.ref} did not get a seq after ${MAX_ATTEMPTS} attempts`);
}

/** The newest entry, or null for an empty ledger. */
export async function head(): Promise<StoredEntry | null> {
  return LedgerEntryModel.findOne({}).sort({ seq: -1 }).lean();
}
