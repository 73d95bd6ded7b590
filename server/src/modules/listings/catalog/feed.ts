/**
 * The catalog's change feed: an append-only sequence of "these listings may have changed" entries
 * that every server process polls to keep its in-memory catalog current (engine.ts).
 *
 * Cheap on both engines: every read and write is by `_id` alone, the one filter the embedded engine
 * pushes down (MongoDB serves it from `_id_`). An entry's `_id` is its sequence number, zero-padded,
 * claimed by inserting it (the unique `_id` makes a number exactly one writer's). A writer takes the
 * number after the highest it has seen and probes forward on a duplicate, so numbers never skip:
 * an entry n is only ever inserted while n - 1 exists. Readers therefore read n + 1, n + 2, … with
 * `findOne({_id})` until one is missing, and find the head at start-up by exponential then binary
 * probing. Delivery is at-least-once (re-reading a listing is idempotent).
 *
 * Nothing is missed, including a writer that crashes between its change and its entry: every
 * Mongoose write to the listings collection (the hooks below) appends a `before` entry BEFORE the
 * write (the write does not happen if that append fails) and an `after` entry once it is done.
 * Readers re-read the listings of a `before` entry when they see it and again RECHECK_MS later,
 * so a write that landed after their first read is still picked up even if its `after` entry never
 * came. The engine also rebuilds from the collection at a long interval (reconciliation), which
 * covers writes that bypass Mongoose (raw driver writes, a restored backup).
 *
 * A change of many listings at once (a bulk load) is one entry with `all: true`: readers rebuild.
 * Entries are never updated; old ones may be deleted from the bottom (a reader that falls behind a
 * deleted entry notices and rebuilds).
 */
import mongoose, { model, Schema, Types, type MongooseQueryMiddleware, type Query } from 'mongoose';
import { isDuplicateKey } from '../../../platform/db';

/** Sequence numbers are padded to this many digits so `_id` order is numeric order. */
const SEQ_DIGITS = 12;
/** A change touching more listings than this is announced as `all` (readers rebuild). */
export const MAX_IDS_PER_ENTRY = 500;

const feedSchema = new Schema(
  {
    _id: { type: String, required: true },
    ids: { type: [Schema.Types.ObjectId], default: [] },
    all: { type: Boolean },
    phase: { type: String, enum: ['before', 'after'], required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'catalog_feed' },
);
export const CatalogFeedModel = model('CatalogFeedEntry', feedSchema);

export interface FeedEntry {
  seq: number;
  ids: string[];
  all: boolean;
  phase: 'before' | 'after';
  at: Date;
}

export const seqId = (n: number) => String(n).padStart(SEQ_DIGITS, '0');

/** The highest sequence number this process knows to exist (reader and writers share it). */
let knownHead = 0;
export function noteHead(seq: number): void {
  if (seq > knownHead) knownHead = seq;
}
/** After a reset (the collection was emptied): start from scratch. */
export function resetKnownHead(seq: number): void {
  knownHead = seq;
}

function coll() {
  return CatalogFeedModel.collection;
}

export async function exists(seq: number): Promise<boolean> {
  if (seq <= 0) return true;
  return (await coll().findOne({ _id: seqId(seq) } as never, { projection: { _id: 1 } })) !== null;
}

export async function readEntry(seq: number): Promise<FeedEntry | null> {
  const d = await coll().findOne({ _id: seqId(seq) } as never);
  if (!d) return null;
  return {
    seq,
    ids: ((d.ids ?? []) as Types.ObjectId[]).map(String),
    all: d.all === true,
    phase: d.phase === 'before' ? 'before' : 'after',
    at: d.at as Date,
  };
}

/**
 * The highest existing sequence number, probing from `from` (which must exist, or 0): exponential
 * steps forward, then a binary search; existence is a prefix of the numbers, so this is exact at
 * the moment of the probes.
 */
export async function probeHead(from = knownHead): Promise<number> {
  let lo = from;
  if (lo > 0 && !(await exists(lo))) lo = 0;
  let step = 1;
  while (await exists(lo + step)) {
    lo += step;
    step *= 2;
  }
  let hi = lo + step; // lo exists, hi does not
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await exists(mid)) lo = mid;
    else hi = mid;
  }
  noteHead(lo);
  return lo;
}

const HEAD_CHECK_MS = 5_000;
let headCheckedAt = 0;

/** Inserts one entry under the next free sequence number, claimed by inserting it. */
async function insertEntry(entry: { ids: string[]; all: boolean; phase: 'before' | 'after' }): Promise<number> {
  const all = entry.all || entry.ids.length > MAX_IDS_PER_ENTRY;
  const doc = {
    ids: all ? [] : [...new Set(entry.ids)].map((id) => new Types.ObjectId(id)),
    ...(all ? { all: true } : {}),
    phase: entry.phase,
    at: new Date(),
  };
  // The number after one that exists: checked at most every HEAD_CHECK_MS, so a collection emptied
  // behind this process (a dropped test database, a restore) does not leave a gap for long.
  let seq = knownHead + 1;
  if (knownHead > 0 && Date.now() - headCheckedAt > HEAD_CHECK_MS) {
    if (!(await exists(knownHead))) seq = (await probeHead(0)) + 1;
    headCheckedAt = Date.now();
  }
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      await coll().insertOne({ _id: seqId(seq), ...doc } as never);
      noteHead(seq);
      return seq;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      seq = (await probeHead(seq)) + 1;
    }
  }
  throw new Error('catalog feed: no sequence number could be claimed');
}

interface Waiting {
  ids: string[];
  all: boolean;
  phase: 'before' | 'after';
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}
let queue: Waiting[] = [];
let flushing = false;

/**
 * Group commit: one insert at a time per process; whatever was asked for meanwhile goes into the
 * next entry together (its ids merged; `before` if any of them is, which only adds a re-check), so
 * concurrent writers of one process do not race each other for sequence numbers.
 */
async function flushQueue(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        const seq = await insertEntry({
          ids: batch.flatMap((w) => w.ids),
          all: batch.some((w) => w.all),
          phase: batch.some((w) => w.phase === 'before') ? 'before' : 'after',
        });
        for (const w of batch) w.resolve(seq);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    flushing = false;
  }
}

/** Appends an entry (possibly together with others of this process); resolves once it is stored. */
export function appendFeed(entry: { ids: string[]; all?: boolean; phase: 'before' | 'after' }): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    queue.push({ ids: entry.ids, all: entry.all === true, phase: entry.phase, resolve, reject });
    void flushQueue();
  });
}

// ---------------------------------------------------------------------------------------------
// The hooks on the listings collection

type ChangeListener = (ids: string[], all: boolean) => Promise<void>;
let localListener: ChangeListener | null = null;
/** The engine of this process, told of this process's own writes as soon as they are done. */
export function onLocalChange(fn: ChangeListener | null): void {
  localListener = fn;
}

/** Fields of a multi-document filter that narrow the listings it may touch (their equality values). */
const SCOPE_FIELDS = ['authorizationId', 'providerOrgId'] as const;

function idOf(v: unknown): string | null {
  if (v instanceof Types.ObjectId) return v.toHexString();
  if (typeof v === 'string' && Types.ObjectId.isValid(v) && v.length === 24) return v.toLowerCase();
  return null;
}

function idsInFilter(filter: Record<string, unknown>): string[] | null {
  const v = filter._id;
  const one = idOf(v);
  if (one) return [one];
  if (v && typeof v === 'object' && !(v instanceof Types.ObjectId)) {
    const op = v as Record<string, unknown>;
    if ('$eq' in op && idOf(op.$eq)) return [idOf(op.$eq)!];
    if (Array.isArray(op.$in)) {
      const ids = op.$in.map(idOf);
      if (ids.every((x): x is string => x !== null)) return ids;
    }
  }
  return null;
}

/**
 * Every listing a write may touch, before and after it: the `_id`s it names, or the listings in
 * its scope whatever their state (a cascade over an authorization's listings: also one that
 * started to match meanwhile), or, with no scope, everything the filter matches.
 */
async function affected(q: Query<unknown, unknown>): Promise<{ ids: string[]; all: boolean }> {
  const filter = (q.getFilter() ?? {}) as Record<string, unknown>;
  const named = idsInFilter(filter);
  if (named) return { ids: named, all: false };
  const scope: Record<string, unknown> = {};
  for (const f of SCOPE_FIELDS) {
    const v = filter[f];
    if (idOf(v)) scope[f] = new Types.ObjectId(idOf(v)!);
  }
  const found = await q.model
    .find(Object.keys(scope).length ? scope : filter, { _id: 1 })
    .limit(MAX_IDS_PER_ENTRY + 1)
    .lean<{ _id: Types.ObjectId }[]>();
  if (found.length > MAX_IDS_PER_ENTRY) return { ids: [], all: true };
  return { ids: found.map((d) => String(d._id)), all: false };
}

const pending = new WeakMap<object, { ids: string[]; all: boolean }>();
const QUERY_WRITES: MongooseQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
];

async function after(ids: string[], all: boolean): Promise<void> {
  if (!ids.length && !all) return;
  // Best effort: the `before` entry and the readers' re-check cover a failure here.
  await appendFeed({ ids, all, phase: 'after' }).catch(() => undefined);
  await localListener?.(ids, all).catch(() => undefined);
}

/** Attaches the feed to the listings schema (before the model is compiled). */
export function withCatalogFeed(schema: Schema): void {
  schema.pre(QUERY_WRITES, { document: false, query: true }, async function (this: Query<unknown, unknown>) {
    if (mongoose.connection.readyState !== 1) return;
    const a = await affected(this);
    pending.set(this, a);
    if (a.ids.length || a.all) await appendFeed({ ...a, phase: 'before' });
  });
  schema.post(QUERY_WRITES, { document: false, query: true }, async function (this: Query<unknown, unknown>) {
    const before = pending.get(this);
    if (!before) return;
    pending.delete(this);
    let { ids, all } = before;
    if (!all && idsInFilter((this.getFilter() ?? {}) as Record<string, unknown>) === null) {
      const now = await affected(this).catch(() => ({ ids: [], all: true }));
      all = now.all;
      ids = [...new Set([...ids, ...now.ids])];
    }
    await after(ids, all);
  });
  // Documents saved through the model: a new listing is a draft, which neither the catalog nor the
  // review queue shows, unless it was written listed or pending review (bulk generators, tests).
  const shown = (status: unknown) => status === 'listed' || status === 'pending_review';
  schema.pre('save', function () {
    this.$locals.catalogWasNew = this.isNew;
  });
  schema.post('save', async function () {
    if (this.$locals.catalogWasNew && !shown(this.get('status'))) return;
    await after([String(this._id)], false);
  });
  schema.post('insertMany', async function (docs: { _id: unknown; status?: string }[]) {
    await after(
      docs.filter((d) => shown(d.status)).map((d) => String(d._id)),
      false,
    );
  });
}
