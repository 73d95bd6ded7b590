import type { LedgerFilter } from '@zdec/shared';
import { appendOnce, hasIndexedQueries, headOf, membersAt, newestPage } from '../../platform/db';
import { entryId, LedgerEntryModel, type LedgerEntry } from './ledger.model';
import type { HeadRef } from './ledger.service';

/**
 * The audit list's access paths, for engines where only `_id` reads are cheap (platform/db,
 * `hasIndexedQueries()` false); where filters are index-served the list queries instead and
 * nothing here is written.
 *
 * - Every entry is a member of `ledger|<gen>|type:<type>` and `ledger|<gen>|org:<org>` (each of its
 *   orgIds), in seq order; a member's ref is `<seq>:<hash>`. A page of one type or one organisation
 *   is `newestPage` and one `entryId` read per entry; the total is the sequence's head. Type and
 *   organisation together are not a path (the query answers them).
 * - `ledger|<gen>|done` is the watermark: its member p is entry p (`<p>:<hash>`) and is appended
 *   only after entry p is in all its sequences and entries 1..p-1 are done, so its head W says
 *   "entries 1..W are in their sequences", and each sequence holds them in seq order (whoever
 *   records entry p first finishes every entry before it). Its member's `at` is the latest `at`
 *   of entries 1..p.
 * - A date range is found by binary search over `entryId(seq)` reads: `at` grows with seq for
 *   entries appended as events happen, but not always (`at` is the event's time, fixed before the
 *   append: an outbox event completed by the sweep after a crash, or two requests appending in the
 *   other order, lands after a later `at`). Such an entry (its `at` before the latest `at` ahead of
 *   it) is also put in `ledger|<gen>|late`; the search is used only while that is empty, else
 *   the query answers date ranges.
 *
 * Entries the paths do not hold yet (appended before this existed, written by the bulk loader,
 * or left unrecorded by a crash): a read whose watermark is behind the head catches up inline when
 * few are missing, else answers by the query and starts a catch-up in the background
 * (`backfillPaths`, one `_id` read and a few appends per entry), so a page is never wrong, only
 * slow until the paths are complete. `<gen>` (the first entry's hash, short) keeps the paths of a
 * ledger that was emptied and rebuilt (tests) apart; a watermark that does not match the ledger's
 * entry at its seq (a ledger rebuilt with the same first entry) makes reads fall back to the query.
 */
const PATH = 'ledger';
/** Missing entries a read or an append records inline; more are left to the background catch-up. */
const INLINE = 64;

type Stored = LedgerEntry & { _id: unknown };

const refOf = (e: { seq: number; hash: string }) => `${e.seq}:${e.hash}`;
const seqOfRef = (ref: string) => Number(ref.slice(0, ref.indexOf(':')));
const keysOf = (e: Stored) => [`type:${e.type}`, ...e.orgIds.map((o) => `org:${o}`)];

async function entryAt(seq: number): Promise<Stored | null> {
  const e = await LedgerEntryModel.findById(entryId(seq)).lean();
  return e?.seq === seq ? e : null;
}

async function generation(): Promise<{ gen: string; first: Stored } | null> {
  const first = await entryAt(1);
  return first ? { gen: first.hash.slice(0, 16), first } : null;
}

/**
 * Records entries W+1..upTo in their sequences (W: the watermark), unless more than `max` are
 * missing. The paths' generation when entries 1..upTo are recorded (by this call or before), else null.
 */
async function catchUp(upTo: number, max: number): Promise<string | null> {
  const g = await generation();
  if (!g) return null;
  const done = `${g.gen}|done`;
  const w = await headOf(PATH, done);
  if (w >= upTo) return g.gen;
  if (upTo - w > max) return null;
  let prev: { hash: string; latest: number } | null = null;
  if (w > 0) {
    const [m] = await membersAt(PATH, done, [w]);
    const e = await entryAt(w);
    if (!m?.at || !e || m.ref !== refOf(e)) return null; // paths of another ledger: reads query
    prev = { hash: e.hash, latest: m.at.getTime() };
  }
  for (let s = w + 1; s <= upTo; s++) {
    const e = s === 1 ? g.first : await entryAt(s);
    if (!e || (prev && e.prevHash !== prev.hash)) return null;
    const at = e.at.getTime();
    const late = prev !== null && at < prev.latest;
    const ref = refOf(e);
    await Promise.all([
      ...keysOf(e).map((k) => appendOnce(PATH, `${g.gen}|${k}`, ref, e.at)),
      ...(late ? [appendOnce(PATH, `${g.gen}|late`, ref, e.at)] : []),
    ]);
    prev = { hash: e.hash, latest: Math.max(prev?.latest ?? at, at) };
    const p = await appendOnce(PATH, done, ref, new Date(prev.latest));
    if (p !== 0 && p !== s) return null; // the watermark is not entry-for-entry: reads query
  }
  return g.gen;
}

// Recording runs one job at a time per process, in append order.
let queue: Promise<unknown> = Promise.resolve();
let backfilling = false;
function onQueue<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

let deferred = false;
/**
 * For a process that lays down a whole history (the demo-world seeder): it records no paths as it
 * appends (about 14 `_id` writes per entry, a tenth of the world's load time); the first filtered
 * read afterwards answers by the query and catches the paths up in the background (backfillPaths).
 */
export function deferPathRecording(): void {
  deferred = true;
}

/** Queues the recording of an entry just appended (ledger.service `append`); off the append's path. */
export function recordPathsLater(seq: number): void {
  if (deferred) return;
  // A failure leaves the watermark behind: the next append or read catches up, reads query meanwhile.
  void onQueue(async () => ((await hasIndexedQueries()) ? null : catchUp(seq, INLINE))).catch(() => undefined);
}

/** Records every entry up to the head in its sequences (start-up, or after a bulk load). */
export function backfillPaths(head: () => Promise<HeadRef>): Promise<boolean> {
  backfilling = true;
  return onQueue(
    async () => (await hasIndexedQueries()) || (await catchUp((await head()).seq, Infinity)) !== null,
  ).finally(() => {
    backfilling = false;
  });
}

/** Resolves when every queued recording of this process is done (tests). */
export function pathsIdle(): Promise<unknown> {
  return queue;
}

type Shape = { key: string } | { from?: Date; to?: Date } | null;

/** Which path serves the filter: one type, one organisation, a date range alone; else none. */
function shapeOf(f: LedgerFilter): Shape {
  if (f.listingCode !== undefined || f.minAmountFen !== undefined) return null;
  const dated = f.from !== undefined || f.to !== undefined;
  if (f.type && !f.org && !dated) return { key: `type:${f.type}` };
  if (f.org && !f.type && !dated) return { key: `org:${f.org}` };
  if (dated && !f.type && !f.org) return { from: f.from, to: f.to };
  return null;
}

/** The first seq in lo..hi+1 whose entry's `at` is at or after `t` (hi+1: none); null if an entry is missing. */
async function firstAtOrAfter(t: number, lo: number, hi: number): Promise<number | null> {
  let [a, b] = [lo, hi + 1];
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    const e = await entryAt(mid);
    if (!e) return null;
    if (e.at.getTime() >= t) b = mid;
    else a = mid + 1;
  }
  return a;
}

/**
 * A filtered page (newest first) and its total through the access paths, or null when the filter
 * has none or the paths do not cover the ledger yet (the caller queries). Same answer as the query.
 */
export async function pageByPaths(
  f: LedgerFilter,
  page: number,
  pageSize: number,
  head: () => Promise<HeadRef>,
): Promise<{ docs: Stored[]; total: number } | null> {
  const shape = shapeOf(f);
  if (!shape || (await hasIndexedQueries())) return null;
  const h = await head();
  if (h.seq === 0) return { docs: [], total: 0 };
  if (backfilling) return null;
  const gen = await onQueue(() => catchUp(h.seq, INLINE));
  if (!gen) {
    if (!backfilling) void backfillPaths(head).catch(() => undefined);
    return null;
  }
  const [mark] = await membersAt(PATH, `${gen}|done`, [h.seq]);
  if (mark?.ref !== refOf(h)) return null; // the watermark is of another ledger
  const skip = (page - 1) * pageSize;

  if ('key' in shape) {
    const { total, items } = await newestPage(PATH, `${gen}|${shape.key}`, skip, pageSize);
    const docs = await Promise.all(items.map((m) => entryAt(seqOfRef(m.ref))));
    const ok = docs.every((d, i) => d && refOf(d) === items[i]!.ref);
    if (!ok || docs.length !== Math.min(pageSize, Math.max(0, total - skip))) return null;
    // The newest member must be in this ledger too, or the total counts entries of another one
    // (a ledger restored from a backup: its paths' newest members name entries it no longer has).
    // On the first page the newest member was just checked; past it, it is read.
    if (skip > 0 && total > 0) {
      const [top] = await membersAt(PATH, `${gen}|${shape.key}`, [total]);
      const e = top && (await entryAt(seqOfRef(top.ref)));
      if (!e || refOf(e) !== top!.ref) return null;
    }
    return { docs: docs as Stored[], total };
  }

  if ((await headOf(PATH, `${gen}|late`)) > 0) return null; // `at` does not grow with seq
  const lo = shape.from ? await firstAtOrAfter(shape.from.getTime(), 1, h.seq) : 1;
  const end = shape.to ? await firstAtOrAfter(shape.to.getTime(), 1, h.seq) : h.seq + 1;
  if (lo === null || end === null) return null;
  const total = Math.max(0, end - lo);
  const top = end - 1 - skip;
  const seqs: number[] = [];
  for (let s = top; s >= Math.max(lo, top - pageSize + 1); s--) seqs.push(s);
  const docs = await Promise.all(seqs.map(entryAt));
  if (!docs.every((d) => d !== null)) return null;
  return { docs, total };
}
