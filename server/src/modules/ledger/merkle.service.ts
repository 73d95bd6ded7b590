import crypto from 'node:crypto';
import {
  consistencyPath,
  fromHex,
  inclusionPath,
  leafHash,
  nodeHash,
  PROOF_KIND,
  rangeHash,
  toHex,
  treeHeadMessage,
  type Bytes,
  type ConsistencyBundle,
  type ProofBundle,
  type ProofEntry,
  type SignedTreeHead,
  type SubtreeSource,
} from '@zdec/shared';
import { now } from '../../platform/clock';
import { AppError, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import type { SigningKey } from './checkpoint.service';
import { entryId, LedgerEntryModel } from './ledger.model';
import { pathsIdle } from './ledger.paths';
import { headRef } from './ledger.service';
import { LedgerRefModel, MerkleNodeModel, TreeHeadModel } from './merkle.model';
import { isDuplicateKey, onlyDuplicateKeys } from '../../platform/db';

const nodeKey = (level: number, index: number) => `${level}:${index}`;

async function putNode(level: number, index: number, hash: Bytes): Promise<void> {
  await MerkleNodeModel.collection
    .insertOne({ _id: nodeKey(level, index), hash: toHex(hash) } as never)
    .catch((err) => {
      if (!isDuplicateKey(err)) throw err; // written already, by this or another process: same bytes
    });
}

/** Inserts nodes, skipping those already there (written by another process: the same bytes). */
async function putNodes(docs: { _id: string; hash: string }[]): Promise<void> {
  await MerkleNodeModel.collection.insertMany(docs as never[], { ordered: false }).catch((err: unknown) => {
    if (!onlyDuplicateKeys(err)) throw err;
  });
}

/**
 * Complete-subtree hashes from the node store, computed (and stored) from the ledger when a node is
 * missing: after a crash between an entry's insert and its nodes, for entries appended before the
 * tree existed, or while another process is still writing them. Memoised per instance (one request).
 */
export class NodeStore implements SubtreeSource {
  private memo = new Map<string, Bytes>();
  reads = 0;

  async subtree(start: number, width: number): Promise<Bytes> {
    const level = Math.round(Math.log2(width));
    return this.node(level, start / width);
  }

  async node(level: number, index: number): Promise<Bytes> {
    const key = nodeKey(level, index);
    const known = this.memo.get(key);
    if (known) return known;
    this.reads++;
    const doc = await MerkleNodeModel.collection.findOne<{ hash: string }>({ _id: key } as never);
    let h: Bytes;
    if (doc) {
      h = fromHex(doc.hash);
    } else {
      if (level === 0) {
        const e = await LedgerEntryModel.collection.findOne<{ hash: string }>({ _id: entryId(index + 1) } as never, {
          projection: { hash: 1 },
        });
        if (!e) throw notFound(`Ledger entry #${index + 1}`);
        h = leafHash(fromHex(e.hash));
      } else {
        h = nodeHash(await this.node(level - 1, 2 * index), await this.node(level - 1, 2 * index + 1));
      }
      await putNode(level, index, h);
    }
    this.memo.set(key, h);
    return h;
  }
}

/**
 * The append hook: stores the new leaf and every subtree it completes (at leaf index i, the nodes
 * up the tree while i is a right child), and the entry's `type:ref` key. Failures are left to the
 * lazy repair of `NodeStore`: the entry is in the ledger already, and its nodes follow from it.
 */
export async function recordAppended(e: {
  seq: number;
  hash: string;
  prevHash: string;
  type: string;
  ref: string;
}): Promise<void> {
  try {
    const store = new NodeStore();
    const db = MerkleNodeModel.db.name;
    followChain(db, e);
    let index = e.seq - 1;
    let level = 0;
    let h = leafHash(fromHex(e.hash));
    const docs = [{ _id: nodeKey(0, index), hash: toHex(h) }];
    remember(db, 0, index, h);
    while (index % 2 === 1) {
      h = nodeHash(frontierNode(db, level, index - 1) ?? (await store.node(level, index - 1)), h);
      level++;
      index = (index - 1) / 2;
      docs.push({ _id: nodeKey(level, index), hash: toHex(h) });
      remember(db, level, index, h);
    }
    // One round trip for the nodes, one for the key, side by side: appends are serialised per process.
    await Promise.all([putNodes(docs), putRef(e.type, e.ref, e.seq)]);
  } catch {
    // derived data only: recomputed from the ledger on first use
  }
}

// The hook runs after the append has returned, one at a time in append order (so the frontier
// below follows the chain): an append waits for no tree write. Nodes a crash leaves unwritten are
// rebuilt by `backfillTree` or on first use.
let merkleQueue: Promise<unknown> = Promise.resolve();
/** Queues `recordAppended` for an entry just inserted (ledger.service `append`). */
export function recordAppendedLater(e: Parameters<typeof recordAppended>[0]): void {
  merkleQueue = merkleQueue.then(() => recordAppended(e));
}
/**
 * Resolves when every queued tree write of this process is done (tests, shutdown), and with them
 * the other work an append leaves running after it returns: its access paths (ledger.paths).
 */
export function merkleIdle(): Promise<unknown> {
  return Promise.all([merkleQueue, pathsIdle()]);
}

// The newest node this process wrote at each level (the tree's right edge): the left sibling an
// append needs is nearly always here, so appends in one process read no node (on the embedded engine as
// shipped, every `_id` read scans the node table); another process's nodes come from the store.
const frontier = new Map<number, { db: string; index: number; hash: Bytes }>();
// The frontier is trusted only while this process appended the entry just before: the previous
// entry's hash then fixes every leaf the frontier's nodes cover (a ledger restored or rebuilt under
// the same database name cannot leave stale nodes in it).
let lastAppended: { db: string; seq: number; hash: string } | null = null;
function followChain(db: string, e: { seq: number; hash: string; prevHash: string }): void {
  const l = lastAppended;
  if (!l || l.db !== db || l.seq !== e.seq - 1 || l.hash !== e.prevHash) frontier.clear();
  lastAppended = { db, seq: e.seq, hash: e.hash };
}
function remember(db: string, level: number, index: number, hash: Bytes): void {
  frontier.set(level, { db, index, hash });
}
function frontierNode(db: string, level: number, index: number): Bytes | undefined {
  const f = frontier.get(level);
  return f && f.db === db && f.index === index ? f.hash : undefined;
}

async function putRef(type: string, ref: string, seq: number): Promise<void> {
  await LedgerRefModel.collection.insertOne({ _id: `${type}:${ref}`, seq } as never).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
}

/** The seq of the entry of event `(type, ref)`, or null; an `_id` lookup, the ledger only when unknown. */
export async function seqOfEvent(type: string, ref: string): Promise<number | null> {
  const known = await LedgerRefModel.collection.findOne<{ seq: number }>({ _id: `${type}:${ref}` } as never);
  if (known) return known.seq;
  const e = await LedgerEntryModel.findOne({ type, ref }, { seq: 1 }).lean();
  if (!e) return null;
  await putRef(type, ref, e.seq);
  return e.seq;
}

/** MTH of the first `size` entries. */
export async function rootAt(size: number, store = new NodeStore()): Promise<string> {
  return toHex(await rangeHash(store, 0, size));
}

type TreeHeadDoc = SignedTreeHead & { _id: string };
const view = ({ size, root, time, keyId, signature }: TreeHeadDoc | SignedTreeHead): SignedTreeHead => ({
  size,
  root,
  time,
  keyId,
  signature,
});

/**
 * Signs the tree head of `size` and stores it (one per size: a head already there wins, so two
 * processes signing the same size agree on one head). Returns the stored head.
 */
export async function signTreeHead(size: number, time: Date, key: SigningKey): Promise<SignedTreeHead> {
  const existing = await TreeHeadModel.collection.findOne<TreeHeadDoc>({ _id: entryId(size) } as never);
  if (existing) return view(existing);
  const body = { size, root: await rootAt(size), time: time.toISOString() };
  const head: SignedTreeHead = {
    ...body,
    keyId: key.keyId,
    signature: crypto.sign(null, treeHeadMessage(body), key.privateKey).toString('base64'),
  };
  try {
    await TreeHeadModel.collection.insertOne({ _id: entryId(size), ...head } as never);
    return head;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return view((await TreeHeadModel.collection.findOne<TreeHeadDoc>({ _id: entryId(size) } as never))!);
  }
}

/** The newest signed tree head, or null before the first. */
export async function latestTreeHead(): Promise<SignedTreeHead | null> {
  const h = await TreeHeadModel.collection.find<TreeHeadDoc>({}).sort({ _id: -1 }).limit(1).next();
  return h ? view(h) : null;
}

async function treeHeadOfSize(size: number): Promise<SignedTreeHead> {
  const h = await TreeHeadModel.collection.findOne<TreeHeadDoc>({ _id: entryId(size) } as never);
  if (!h) throw notFound(`Signed tree head of size ${size}`);
  return view(h);
}

/**
 * The latest signed head when it covers `seq`; otherwise a head of the current ledger signed now,
 * so a receipt for an entry appended today verifies before the day's checkpoint is cut.
 */
export async function headCovering(seq: number, key: SigningKey): Promise<SignedTreeHead> {
  const latest = await latestTreeHead();
  if (latest && latest.size >= seq) return latest;
  const { seq: size } = await headRef();
  if (size < seq) throw notFound(`Ledger entry #${seq}`);
  return signTreeHead(size, now(), key);
}

const TRADE_PRIVATE = ['ref', 'orderId', 'orgIds', 'amountFen'] as const;
const ENTRY_FIELDS = [
  'seq',
  'month',
  'type',
  'ref',
  'orderId',
  'listingId',
  'listingCode',
  'resourceId',
  'authorizationId',
  'orgIds',
  'amountFen',
  'grade',
  'prevHash',
  'hash',
] as const;

/**
 * Who sees an entry in full. Registrations, authorizations and listings are public records
 * (catalog, disclosures); a trade's order, parties and amount only to its parties and to the
 * exchange and regulator.
 */
export function maySeeInFull(e: Record<string, unknown>, viewer?: Principal): boolean {
  return (
    !String(e.type).startsWith('trade.') ||
    viewer?.role === 'regulator' ||
    viewer?.role === 'exchange' ||
    (viewer !== undefined && ((e.orgIds as string[]) ?? []).includes(viewer.orgId))
  );
}

/** A stored entry as a proof shows it: in full, or with the private fields of a trade withheld. */
export function entryView(e: Record<string, unknown>, full: boolean): ProofEntry {
  const out: Record<string, unknown> = {};
  for (const k of ENTRY_FIELDS) if (e[k] !== undefined && e[k] !== null) out[k] = e[k];
  out.at = (e.at as Date).toISOString();
  if (!full) {
    for (const k of TRADE_PRIVATE) delete out[k];
    out.withheld = [...TRADE_PRIVATE];
  }
  return out as unknown as ProofEntry;
}

/** The ledger entry `seq` (full, as stored). */
export async function loadEntry(seq: number): Promise<Record<string, unknown>> {
  const e = await LedgerEntryModel.collection.findOne<Record<string, unknown>>({ _id: entryId(seq) } as never);
  if (!e) throw notFound(`Ledger entry #${seq}`);
  return e;
}

/**
 * GET /ledger/proofs/:seq: the entry as the viewer may see it and its inclusion proof against the
 * latest signed head (or the signed head of `size`, which must cover it).
 */
export async function proofBundle(
  seq: number,
  key: SigningKey,
  opts: { viewer?: Principal; full?: boolean; size?: number } = {},
): Promise<ProofBundle> {
  const entry = await loadEntry(seq);
  const head = opts.size === undefined ? await headCovering(seq, key) : await treeHeadOfSize(opts.size);
  if (head.size < seq)
    throw unprocessable('head-too-small', `The signed head of size ${head.size} does not cover #${seq}`);
  const path = await inclusionPath(new NodeStore(), seq - 1, head.size);
  return {
    kind: PROOF_KIND,
    entry: entryView(entry, opts.full ?? maySeeInFull(entry, opts.viewer)),
    inclusion: { leafIndex: seq - 1, treeSize: head.size, path: path.map(toHex) },
    treeHead: head,
  };
}

/** GET /ledger/consistency: proof that the signed head `from` is a prefix of the signed head `to` (default: latest). */
export async function consistencyBundle(from: number, to?: number): Promise<ConsistencyBundle> {
  const older = await treeHeadOfSize(from);
  const newer = to === undefined ? await latestTreeHead() : await treeHeadOfSize(to);
  if (!newer) throw notFound('Signed tree head');
  if (newer.size < older.size) throw new AppError('bad-range', 422, '`to` must be a head at least as large as `from`');
  const path = await consistencyPath(new NodeStore(), older.size, newer.size);
  return { from: older, to: newer, path: path.map(toHex) };
}

/** True when the complete subtrees that make up the tree of `size` are all stored (so all below them are). */
async function treeStored(size: number): Promise<boolean> {
  let start = 0;
  for (let width = 2 ** Math.floor(Math.log2(size)); width >= 1; width /= 2) {
    if (start + width > size) continue;
    const key = nodeKey(Math.log2(width), start / width);
    if (!(await MerkleNodeModel.collection.findOne({ _id: key } as never, { projection: { _id: 1 } }))) return false;
    start += width;
  }
  return true;
}

/**
 * Writes every missing node of the tree over the ledger in one pass in seq order (a ledger that
 * existed before the tree, or was loaded in bulk), instead of the node-by-node repair a first proof
 * would do. A no-op after O(log n) lookups when the tree is complete; idempotent and safe beside
 * appenders (nodes are pure functions of the entries; duplicates are skipped). Returns the nodes it sent.
 */
export async function backfillTree(batch = 5000): Promise<number> {
  const { seq: size } = await headRef();
  if (size === 0 || (await treeStored(size))) return 0;
  const stack: { level: number; index: number; hash: Bytes }[] = [];
  let pending: { _id: string; hash: string }[] = [];
  let written = 0;
  const flush = async () => {
    if (!pending.length) return;
    await putNodes(pending);
    written += pending.length;
    pending = [];
  };
  const cursor = LedgerEntryModel.collection
    .find<{ seq: number; hash: string }>({ seq: { $lte: size } }, { projection: { _id: 0, seq: 1, hash: 1 } })
    .sort({ seq: 1 })
    .batchSize(batch);
  let expected = 1;
  for await (const e of cursor) {
    if (e.seq !== expected++) throw new Error(`ledger has a gap before #${e.seq}: the tree cannot be built`);
    let node = { level: 0, index: e.seq - 1, hash: leafHash(fromHex(e.hash)) };
    pending.push({ _id: nodeKey(0, node.index), hash: toHex(node.hash) });
    while (stack.length && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      pending.push({ _id: nodeKey(node.level, node.index), hash: toHex(node.hash) });
    }
    stack.push(node);
    if (pending.length >= batch) await flush();
  }
  await flush();
  return written;
}
