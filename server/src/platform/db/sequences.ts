import { model, Schema } from 'mongoose';
import { isDuplicateKey } from './errors';

/**
 * Append-only, `_id`-keyed sequences: the access paths that let a page be read without a scan on
 * an engine that only looks documents up by `_id` cheaply (FerretDB), e.g. "the orders of buyer
 * organisation X, newest first". A sequence is named by `path` (what it lists) and `key` (whose);
 * its members are `_id: "<path>|<key>|<seq, 10 digits>"` with seq 1, 2, 3 … without gaps, each
 * naming one `ref` (an order id …) at most once (unique `(k, ref)`). A page newest first is the
 * head and a few `_id` reads below it; the count is the head. The head comes from a hint document
 * (`<path>|<key>`) and is walked forward past members appended after the hint was written, exactly
 * as the ledger finds its head. Concurrent appenders in any number of processes collide on the
 * unique `_id` and take the next seq, so a sequence never forks or skips.
 */
const memberSchema = new Schema(
  {
    _id: { type: String, required: true },
    k: { type: String, required: true },
    ref: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date },
  },
  { versionKey: false },
);
memberSchema.index({ k: 1, ref: 1 }, { unique: true });
export const SequenceMemberModel = model('SequenceMember', memberSchema, 'access_paths');

const headSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { versionKey: false },
);
const SequenceHeadModel = model('SequenceHead', headSchema, 'access_path_heads');

export interface Member {
  seq: number;
  ref: string;
  at?: Date;
}

const sequenceKey = (path: string, key: string) => `${path}|${key}`;
export const memberId = (path: string, key: string, seq: number) =>
  `${sequenceKey(path, key)}|${String(seq).padStart(10, '0')}`;

async function hintOf(k: string): Promise<number> {
  return (await SequenceHeadModel.findById(k, { seq: 1 }).lean())?.seq ?? 0;
}

/** The number of members of a sequence (its head seq). */
export async function headOf(path: string, key: string): Promise<number> {
  let h = await hintOf(sequenceKey(path, key));
  while (await SequenceMemberModel.exists({ _id: memberId(path, key, h + 1) })) h++;
  return h;
}

// Appends to one sequence from one process run one at a time (they would only collide with each
// other); other processes are kept apart by the unique `_id`.
const queues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(k: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(k) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(k, tail);
  void tail.then(() => {
    if (queues.get(k) === tail) queues.delete(k);
  });
  return run;
}

/**
 * Adds `ref` to the end of the sequence once; appending a ref that is already a member does
 * nothing. Returns the member's seq, or 0 when it was already a member.
 */
export function appendOnce(path: string, key: string, ref: string, at?: Date): Promise<number> {
  return oneAtATime(sequenceKey(path, key), () => appendNow(path, key, ref, at));
}

// The seq this process last appended to each sequence (per database): the next append tries the
// one after it directly, without reading the hint and probing. Only ever a seq that exists, so a
// sequence cannot get a gap from it; someone else having appended meanwhile is a duplicate key.
const lastAppended = new Map<string, number>();

async function appendNow(path: string, key: string, ref: string, at?: Date): Promise<number> {
  const k = sequenceKey(path, key);
  const cacheKey = `${SequenceMemberModel.db.name}\u0000${k}`;
  const cached = lastAppended.get(cacheKey);
  let seq = (cached ?? (await headOf(path, key))) + 1;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const _id = memberId(path, key, seq);
    try {
      await SequenceMemberModel.create({ _id, k, ref, seq, ...(at ? { at } : {}) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const occupant = await SequenceMemberModel.findById(_id, { ref: 1 }).lean();
      if (!occupant) return 0; // the seq was free: the duplicate was (k, ref), already a member
      if (occupant.ref === ref) return 0;
      seq = Math.max(seq, await headOf(path, key)) + 1;
      continue;
    }
    lastAppended.set(cacheKey, seq);
    await SequenceHeadModel.updateOne({ _id: k }, { $max: { seq } }, { upsert: true }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err; // two first-ever upserts raced: the hint is set either way
    });
    return seq;
  }
  throw new Error(`sequence ${k}: no free seq found`);
}

/** Members with these seqs (those that exist), in the order given. */
export async function membersAt(path: string, key: string, seqs: number[]): Promise<Member[]> {
  const found = await Promise.all(
    seqs.map((s) => SequenceMemberModel.findById(memberId(path, key, s), { ref: 1, seq: 1, at: 1 }).lean()),
  );
  return found.filter((m) => m !== null).map((m) => ({ seq: m.seq, ref: m.ref, ...(m.at ? { at: m.at } : {}) }));
}

/** One page of a sequence, newest first: `skip` members below the head, then up to `limit`. */
export async function newestPage(
  path: string,
  key: string,
  skip: number,
  limit: number,
): Promise<{ total: number; items: Member[] }> {
  const total = await headOf(path, key);
  const top = total - skip;
  const seqs: number[] = [];
  for (let s = top; s > Math.max(0, top - limit); s--) seqs.push(s);
  return { total, items: await membersAt(path, key, seqs) };
}

/**
 * For loaders that write a world in bulk (seeds/bulk.ts) into sequences nobody appends to
 * meanwhile: hands out seqs in memory, in the order members are added; `take()` returns the member
 * documents to insert so far, `finish()` moves every head hint up once they are in.
 */
export class BulkSequences {
  private readonly next = new Map<string, number>();
  private members: Record<string, unknown>[] = [];

  add(path: string, key: string, ref: string, at?: Date): void {
    const k = sequenceKey(path, key);
    const seq = (this.next.get(k) ?? 0) + 1;
    this.next.set(k, seq);
    this.members.push({ _id: memberId(path, key, seq), k, ref, seq, ...(at ? { at } : {}) });
  }

  take(): Record<string, unknown>[] {
    const out = this.members;
    this.members = [];
    return out;
  }

  async finish(): Promise<void> {
    const ops = [...this.next].map(([k, seq]) => ({
      updateOne: { filter: { _id: k }, update: { $max: { seq } }, upsert: true },
    }));
    for (let i = 0; i < ops.length; i += 1000) await SequenceHeadModel.bulkWrite(ops.slice(i, i + 1000));
  }
}
