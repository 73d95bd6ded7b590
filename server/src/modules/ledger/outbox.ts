import { model as defineModel, Schema, Types, type Model } from 'mongoose';
import { isDuplicateKey } from '../../platform/db';
import { faultHang, faultPoint } from '../../platform/faults';
import type { Logger } from '../../platform/logger';
import { append, type AppendInput, type StoredEntry } from './ledger.service';
import { runPeriodically } from '../../platform/interval';

/**
 * The outbox pattern that makes "a state change and its ledger entry" happen exactly once without
 * a multi-document transaction:
 *
 * 1. The business document carries `outbox: [{_id, entry}]`. The state change and the `$push` of
 *    its ledger event happen in ONE atomic conditional update of that document
 *    (`findOneAndUpdate({_id, status: 'pending_review'}, {$set: {status: 'listed'}, ...outboxPush(event)})`),
 *    so either both happen or neither does.
 * 2. Then `flushOutbox(model, id)` appends each pending event (idempotent per `(type, ref)`), runs
 *    the model's `afterAppend` step (e.g. create the entitlement), and `$pull`s the item.
 * 3. If the process dies anywhere in step 2, the item stays; `sweepOutbox()`, run at start-up and
 *    on an interval, finds documents with pending items and completes them. Because the append and
 *    `afterAppend` are idempotent, completing twice changes nothing.
 */
const outboxItemSchema = new Schema(
  {
    entry: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: true },
);

/** Adds the `outbox` field (pending ledger events) to a business schema. */
export function withOutbox(schema: Schema): void {
  schema.add({ outbox: { type: [outboxItemSchema], default: [] } });
}

/** The update fragment that queues a ledger event inside the same atomic update as a state change. */
export function outboxPush(entry: AppendInput): {
  $push: { outbox: { _id: Types.ObjectId; entry: AppendInput; createdAt: Date } };
} {
  return { $push: { outbox: { _id: new Types.ObjectId(), entry: stripUndefined(entry), createdAt: new Date() } } };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface OutboxHandler {
  /** Runs after the entry is in the ledger, before the item is cleared; must be idempotent. */
  afterAppend?(docId: string, entry: AppendInput, stored: StoredEntry): Promise<void>;
}

interface OutboxItem {
  _id: Types.ObjectId;
  entry: AppendInput;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;
const handlers = new Map<AnyModel, OutboxHandler>();
/** Models whose pending documents are listed in `outbox_pending` instead of found by a scan. */
const marked = new Set<AnyModel>();

/**
 * The documents of marked models that may have pending outbox items: a small dedicated collection
 * (an entry lives from just before the write that queues an event until its outbox is done), so the
 * sweep reads a handful of documents instead of scanning a collection that grows with the trade.
 */
const pendingSchema = new Schema(
  {
    _id: { type: String, required: true },
    model: { type: String, required: true },
    docId: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
const OutboxPendingModel = defineModel('OutboxPending', pendingSchema, 'outbox_pending');
const pendingId = (model: AnyModel, id: unknown) => `${model.modelName}|${String(id)}`;

/**
 * Registers a model whose documents carry an outbox (once per model, at module load). With
 * `marked`, every write that queues an event is preceded by `markPending` and the sweep looks only
 * at what is marked (for collections that grow with the trade); otherwise the sweep scans it.
 */
export function registerOutbox(model: AnyModel, handler: OutboxHandler = {}, opts: { marked?: boolean } = {}): void {
  handlers.set(model, handler);
  if (opts.marked) marked.add(model);
}

/** Notes, before the write that queues its event, that document `id` of a marked model has one pending. */
export async function markPending(model: AnyModel, id: unknown): Promise<void> {
  await OutboxPendingModel.create({ _id: pendingId(model, id), model: model.modelName, docId: id }).catch(
    (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    },
  );
}

/** An id as stored: 24-hex strings are ObjectIds, other strings (claim keys) stay strings. */
export function storedId(id: unknown): unknown {
  return typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : id;
}

/** Completes every pending ledger event of one document. Returns how many were completed. */
export async function flushOutbox(model: AnyModel, id: unknown): Promise<number> {
  const _id = storedId(id);
  // Raw driver reads and writes: `$pull` removes the item by exact equality with what was read,
  // the one form of `$pull` that every engine agrees on.
  const doc = (await model.collection.findOne({ _id } as never, { projection: { outbox: 1 } })) as {
    outbox?: OutboxItem[];
  } | null;
  if (!doc?.outbox?.length) {
    if (marked.has(model)) await OutboxPendingModel.deleteOne({ _id: pendingId(model, _id) });
    return 0;
  }
  const handler = handlers.get(model) ?? {};
  let done = 0;
  for (const item of doc.outbox) {
    faultPoint('outbox.beforeAppend');
    await faultHang('outbox.beforeAppend');
    const stored = await append(item.entry);
    faultPoint('outbox.afterAppend');
    await faultHang('outbox.afterAppend');
    await handler.afterAppend?.(String(_id), item.entry, stored);
    await model.collection.updateOne({ _id } as never, { $pull: { outbox: item } } as never);
    done++;
  }
  if (marked.has(model)) await OutboxPendingModel.deleteOne({ _id: pendingId(model, _id) });
  return done;
}

/** Completes whatever is pending in every registered model (start-up and interval). */
export async function sweepOutbox(log?: Logger, batch = 500): Promise<number> {
  let total = 0;
  for (const model of handlers.keys()) {
    const pending = marked.has(model)
      ? (await OutboxPendingModel.find({ model: model.modelName }).limit(batch).lean()).map((m) => ({ _id: m.docId }))
      : await model
          .find({ 'outbox.0': { $exists: true } }, { _id: 1 })
          .limit(batch)
          .lean();
    for (const d of pending) {
      try {
        total += await flushOutbox(model, d._id);
      } catch (err) {
        log?.error({ err, model: model.modelName, id: String(d._id) }, 'outbox sweep: could not complete');
      }
    }
  }
  if (total && log) log.info({ completed: total }, 'outbox sweep completed pending ledger events');
  return total;
}

/** Runs the sweep now and then every `intervalMs` (0: only now). Returns a stop function. */
export function startOutboxSweeper(intervalMs: number, log: Logger): () => void {
  return runPeriodically('outbox sweep', intervalMs, log, async () => {
    await sweepOutbox(log);
  });
}
