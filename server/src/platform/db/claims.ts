import type { Model, UpdateQuery } from 'mongoose';
import sift from 'sift';
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
 * The documents with these `_id`s (unknown ones left out), with `projection`: one `$in` query where
 * it is index-served (MongoDB); one `_id` read each, in parallel, where `$in` decodes the whole
 * collection (FerretDB).
 */
export async function findByIds<T>(model: AnyModel, ids: readonly unknown[], projection?: object): Promise<T[]> {
  if (await hasIndexedQueries())
    return model
      .find({ _id: { $in: ids } }, projection)
      .lean<T[]>()
      .exec();
  const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
  const found = await Promise.all(unique.map((id) => model.findById(id, projection).lean<T>().exec()));
  return found.filter((d): d is NonNullable<typeof d> => d !== null);
}

/** A filter naming one document by `_id`, with conditions on its other fields. */
export type IdFilter = { _id: unknown } & Record<string, unknown>;

/**
 * The filter to write the document `filter._id` with, so that the write happens only if it matches
 * `filter`; null when it does not match. On MongoDB `filter` itself: one conditional update, atomic
 * and index-served. On FerretDB, where a conditional update is an unlocked read-modify-write anyway
 * and a filter beyond `_id` decodes the whole collection, the document's filtered fields are read by
 * `_id`, the filter is evaluated here (sift: MongoDB's query semantics) and the write is keyed by
 * `_id` alone. That is correct only where a unique claim has already decided the outcome, so that
 * racing writers all project the same decision (how the modules use it: an order's status after its
 * transition was inserted, a listing's status after its decision), or where the last writer may win.
 */
export async function writeFilter<F extends IdFilter>(model: AnyModel, filter: F): Promise<F | IdFilter | null> {
  if (await hasIndexedQueries()) return filter;
  const fields = Object.keys(filter).filter((k) => !k.startsWith('$'));
  const projection = fields.length === Object.keys(filter).length ? Object.fromEntries(fields.map((k) => [k, 1])) : {};
  const doc: unknown = await model.findOne({ _id: filter._id }, projection).lean();
  return doc && sift(filter)(doc) ? { _id: filter._id } : null;
}

/** `updateOne(filter, update)` through writeFilter: whether the document `filter._id` matched (and was updated). */
export async function updateIf(model: AnyModel, filter: IdFilter, update: UpdateQuery<unknown>): Promise<boolean> {
  const where = await writeFilter(model, filter);
  return !!where && (await model.updateOne(where, update)).matchedCount > 0;
}

/** Moves the document `_id` from one of the states `from` (its `field`) to `set`, reporting whether it did (see writeFilter). */
export async function compareAndSet(
  model: AnyModel,
  id: unknown,
  field: string,
  from: readonly unknown[],
  set: Record<string, unknown>,
): Promise<boolean> {
  return updateIf(model, { _id: id, [field]: { $in: from } }, { $set: set });
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
