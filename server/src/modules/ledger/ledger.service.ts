import type { Grade, LedgerType } from '@zdec/shared';
import { now } from '../../platform/clock';
import { faultPoint } from '../../platform/faults';
import { entryHash, GENESIS_HASH, shanghaiMonth } from './ledger.hash';
import { entryId, LedgerEntryModel, LedgerHeadModel, type LedgerEntry } from './ledger.model';
import { isDuplicateKey as isDuplicate } from '../../platform/db';
import { recordPathsLater } from './ledger.paths';
import { recordAppendedLater } from './merkle.service';

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

/** The newest entry's seq and hash (`{0, GENESIS_HASH}` for an empty ledger). */
export interface HeadRef {
  seq: number;
  hash: string;
}

const MAX_ATTEMPTS = 500;
const HEAD_ID = 'ledger';
const EMPTY: HeadRef = { seq: 0, hash: GENESIS_HASH };

// Appends of one process run one at a time, so they never race each other (only other processes),
// and a burst of N appends costs N inserts instead of N² collisions.
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The single way into the ledger. Gives the event the next `seq` (1, 2, 3 … without gaps) and
 * chains it to the previous entry's hash. No transaction is needed: the unique index on `seq` (and
 * `_id = entryId(seq)`) makes concurrent appenders in any number of processes collide instead of
 * forking the chain, and the loser retries on the new head; the unique index on `(type, ref)` makes
 * a repeated append of the same event a no-op that returns the entry already there.
 *
 * Cost does not grow with the ledger: the head comes from a one-document hint (`ledger_head`),
 * the insert is checked by the unique indexes, and only a lost race or a repeated event looks
 * further (the embedded engine answers nothing but `_id` equality without reading the whole collection).
 */
export async function append(input: AppendInput): Promise<StoredEntry> {
  const amountFen = input.amountFen ?? 0;
  if (!Number.isSafeInteger(amountFen)) throw new Error(`ledger amount must be integer fen: ${amountFen}`);
  if (!input.ref) throw new Error('ledger ref must not be empty');
  for (const org of input.orgIds) {
    // orgIds travel as one ';'-joined CSV cell in the export, which must parse back exactly.
    if (!org || org.includes(';')) throw new Error(`ledger orgIds must be non-empty ids without ';': ${org}`);
  }
  return oneAtATime(() => appendNow(input));
}

/**
 * The fields of the entry that follows `head` (what its hash covers): ids that are '' stored as
 * absent ('' would be hashed as a value but exported as an absent cell), orgIds once each, sorted.
 */
export function entryFields(input: AppendInput, head: HeadRef, at: Date) {
  return {
    seq: head.seq + 1,
    at,
    month: shanghaiMonth(at),
    type: input.type,
    ref: input.ref,
    orderId: input.orderId || undefined,
    listingId: input.listingId || undefined,
    listingCode: input.listingCode || undefined,
    resourceId: input.resourceId || undefined,
    authorizationId: input.authorizationId || undefined,
    orgIds: [...new Set(input.orgIds)].sort(),
    amountFen: input.amountFen ?? 0,
    grade: input.grade || undefined,
    prevHash: head.hash,
  };
}

async function appendNow(input: AppendInput): Promise<StoredEntry> {
  let head = await hintedHead();
  let behind = 0; // races lost in a row without the hint being ahead of the winner
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const at = input.at ?? now(); // the platform clock: seeders lay down history through append
    const fields = entryFields(input, head, at);
    try {
      const doc = await LedgerEntryModel.create({ _id: entryId(fields.seq), ...fields, hash: entryHash(fields) });
      await moveHint({ seq: fields.seq, hash: doc.hash });
      recordAppendedLater(doc); // the Merkle tree's nodes for this leaf, off the append's path (merkle.service)
      recordPathsLater(fields.seq); // its place in the audit list's access paths, likewise (ledger.paths)
      return doc.toObject() as StoredEntry;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
      const occupant = await LedgerEntryModel.findById(entryId(fields.seq)).lean();
      if (occupant) {
        if (occupant.type === input.type && occupant.ref === input.ref) return occupant;
        // Lost the race for this seq: go on from the hint when the winner has moved it past this
        // seq, else from the winner; when that keeps failing the hint is far behind (entries were
        // loaded without it), so take the head from the ledger itself.
        const hint = await readHint();
        if (hint && hint.seq > occupant.seq) [head, behind] = [hint, 0];
        else if (++behind >= 3) [head, behind] = [await scannedHead(), 0];
        else head = { seq: occupant.seq, hash: occupant.hash };
        faultPoint('ledger.appendRetry');
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * Math.min(20, 1 + attempt))));
        continue;
      }
      // The seq was free, so the duplicate was the event itself: it is already in the ledger.
      const existing = await LedgerEntryModel.findOne({ type: input.type, ref: input.ref }).lean();
      if (existing) return existing;
      head = await scannedHead(); // the seq belongs to an entry not keyed by entryId (written by hand)
    }
  }
  throw new Error(`ledger append of ${input.type} ${input.ref} did not get a seq after ${MAX_ATTEMPTS} attempts`);
}

async function readHint(): Promise<HeadRef | null> {
  const h = await LedgerHeadModel.findById(HEAD_ID).lean();
  return h ? { seq: h.seq, hash: h.hash } : null;
}

/** Moves the hint forward (never back); a concurrent appender that moved it further wins. */
async function moveHint(h: HeadRef): Promise<void> {
  await LedgerHeadModel.updateOne({ _id: HEAD_ID, seq: { $lt: h.seq } }, { $set: h }, { upsert: true }).catch(
    (err: unknown) => {
      if (!isDuplicate(err)) throw err; // duplicate: the hint is already at or past this seq
    },
  );
}

/**
 * The head found by sorting the ledger: the truth, but it reads every entry on the embedded engine. `reset`
 * replaces a hint that named no real entry; otherwise the hint only moves forward.
 */
async function scannedHead(reset = false): Promise<HeadRef> {
  const last = await LedgerEntryModel.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
  const found = last ? { seq: last.seq, hash: last.hash } : EMPTY;
  if (reset) await LedgerHeadModel.replaceOne({ _id: HEAD_ID }, found, { upsert: true });
  else if (found.seq) await moveHint(found);
  return found;
}

// The hint is checked against the ledger once per process and database, so a hint left behind
// by a ledger that was dropped or restored from a backup is never chained onto.
let hintCheckedIn: string | null = null;

/**
 * A head to start from: the hint once it is known to name a real entry, else the scanned head.
 * It may lag behind the true head (another process appended meanwhile), never run ahead of it.
 */
export async function hintedHead(): Promise<HeadRef> {
  const hint = await readHint();
  const db = LedgerEntryModel.db.name;
  if (hint && hintCheckedIn === db) return hint;
  if (hint) {
    const entry = hint.seq ? await LedgerEntryModel.findById(entryId(hint.seq), { hash: 1 }).lean() : null;
    if ((hint.seq === 0 && hint.hash === GENESIS_HASH) || entry?.hash === hint.hash) {
      hintCheckedIn = db;
      return hint;
    }
  }
  const scanned = await scannedHead(hint !== null);
  hintCheckedIn = db;
  return scanned;
}

/** The true head: the hint, then walked forward past entries appended after it was written. */
export async function headRef(): Promise<HeadRef> {
  let h = await hintedHead();
  for (;;) {
    const next = await LedgerEntryModel.findById(entryId(h.seq + 1), { seq: 1, hash: 1 }).lean();
    if (!next) return h;
    h = { seq: next.seq, hash: next.hash };
  }
}

/** The newest entry, or null for an empty ledger. */
export async function head(): Promise<StoredEntry | null> {
  const h = await headRef();
  if (!h.seq) return null;
  return (
    (await LedgerEntryModel.findById(entryId(h.seq)).lean()) ?? (await LedgerEntryModel.findOne({ seq: h.seq }).lean())
  );
}

// ---------------------------------------------------------------------------------------------
// Reads for other modules

/** The database the ledger lives in: caches of ledger sums are kept per database. */
export function ledgerDatabase(): string {
  return LedgerEntryModel.db.name;
}

/** The entry with this seq, by `_id` (the one cheap lookup on every engine); null past the head. */
export function entryBySeq(seq: number): Promise<StoredEntry | null> {
  return LedgerEntryModel.findById(entryId(seq)).lean();
}

/** Per month and type: how many entries, and (trade entries only) their amounts. */
export interface MonthTypeTotals {
  counts: { _id: { month: string; type: LedgerType }; v: number }[];
  amounts: { _id: { month: string; type: LedgerType }; v: number }[];
}

/**
 * Counts of the entries `1..uptoSeq` per month and type, and sums of `amountFen` of their trade
 * entries, grouped in the database. One accumulator per `$group`: the embedded engine answers 0
 * for every `$sum` after the first in the same stage.
 */
export async function monthTypeTotals(uptoSeq: number): Promise<MonthTypeTotals> {
  type Row = MonthTypeTotals['counts'][number];
  const match = { $match: { seq: { $lte: uptoSeq } } };
  const key = { month: '$month', type: '$type' };
  const [counts, amounts] = await Promise.all([
    LedgerEntryModel.aggregate<Row>([match, { $group: { _id: key, v: { $sum: 1 } } }]),
    LedgerEntryModel.aggregate<Row>([
      { $match: { seq: { $lte: uptoSeq }, type: { $in: ['trade.settled', 'trade.refunded'] } } },
      { $group: { _id: key, v: { $sum: '$amountFen' } } },
    ]),
  ]);
  return { counts, amounts };
}

/**
 * Count and sum of `trade.settled` / `trade.refunded` per authorization in a year, keyed
 * `<authorizationId>|<type>`. One accumulator per `$group`: the embedded engine computes only the first
 * `$sum` of a group stage correctly (the others come back 0), so count and sum are two stages.
 */
export async function tradeTotalsByAuthorization(
  authorizationIds: string[],
  year: number,
): Promise<Map<string, { count: number; sum: number }>> {
  const match = {
    $match: {
      type: { $in: ['trade.settled', 'trade.refunded'] },
      authorizationId: { $in: authorizationIds },
      month: { $gte: `${year}-01`, $lte: `${year}-12` },
    },
  };
  const key = { a: '$authorizationId', t: '$type' };
  type Row = { _id: { a: string; t: string }; v: number };
  const [counts, sums] = await Promise.all([
    LedgerEntryModel.aggregate<Row>([match, { $group: { _id: key, v: { $sum: 1 } } }]),
    LedgerEntryModel.aggregate<Row>([match, { $group: { _id: key, v: { $sum: '$amountFen' } } }]),
  ]);
  const out = new Map<string, { count: number; sum: number }>();
  for (const r of counts) out.set(`${r._id.a}|${r._id.t}`, { count: r.v, sum: 0 });
  for (const r of sums) {
    const k = `${r._id.a}|${r._id.t}`;
    out.set(k, { count: out.get(k)?.count ?? 0, sum: r.v });
  }
  return out;
}
