import type { Model } from 'mongoose';
import { hasIndexedQueries } from './engine';
import { isDuplicateKey } from './errors';

/** Any model: the seam's helpers read and write by shape, not by a module's types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any>;

/**
 * Claims something once by inserting `doc` into a collection with a unique key: the inserted
 * document (lean) for the one caller that won, null for everyone else. An insert checked by a unique
 * index is atomic on every engine, so this is what exactly-once rests on.
 */
export async function claimOnce<T>(model: AnyModel, doc: Record<string, unknown>): Promise<T | null> {
  try {
    const created = await model.create(doc);
    return created.toObject() as T;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/**
 * Moves the document `_id` from one of the states `from` (its `field`) to `set`, reporting whether
 * it did. On MongoDB one atomic conditional update. On FerretDB, where a conditional update is an
 * unlocked read-modify-write anyway and a filter beyond `_id` decodes the whole collection, it
 * reads by `_id`, decides in code and writes by `_id`: correct only where a unique claim has already
 * decided the outcome, so that racing writers all project the same decision (how the modules use
 * it: an order's status after its transition was inserted, a listing's status after its decision).
 */
export async function compareAndSet(
  model: AnyModel,
  id: unknown,
  field: string,
  from: readonly unknown[],
  set: Record<string, unknown>,
): Promise<boolean> {
  if (await hasIndexedQueries()) {
    const r = await model.updateOne({ _id: id, [field]: { $in: from } }, { $set: set });
    return r.matchedCount > 0;
  }
  const doc = (await model.collection.findOne({ _id: id as never }, { projection: { [field]: 1 } })) as Record<
    string,
    unknown
  > | null;
  if (!doc || !from.includes(doc[field] ?? null)) return false;
  await model.updateOne({ _id: id }, { $set: set });
  return true;
}

/**
 * Raises a numeric field to at least `value` (a hint, a derived count): `$max` on one `_id`. Not
 * atomic on FerretDB, so only for values that are re-derived and only ever move up.
 */
export async function raiseTo(model: AnyModel, id: unknown, field: string, value: number): Promise<void> {
  await model.updateOne({ _id: id }, { $max: { [field]: value } }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
}
