import type { Schema, Types } from 'mongoose';
import { findByIds, type AnyModel } from './db/claims';

/**
 * toJSON for every model: `_id` becomes `id`, `__v` goes, and fields named in `hidden`
 * (password hashes, token hashes) never leave the server.
 */
export function jsonView(schema: Schema, hidden: string[] = []): void {
  schema.set('toJSON', {
    virtuals: false,
    versionKey: false,
    transform(_doc, ret: Record<string, unknown>) {
      ret.id = String(ret._id);
      delete ret._id;
      for (const h of hidden) delete ret[h];
      return ret;
    },
  });
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Makes every update and delete path of a model throw: records of this schema are only ever inserted. */
export function refuseChanges(schema: Schema, what: string): void {
  const refuse = function (this: unknown) {
    throw new Error(`The ${what} is append-only: entries cannot be updated or deleted`);
  };
  for (const op of [
    'updateOne',
    'updateMany',
    'findOneAndUpdate',
    'findOneAndReplace',
    'replaceOne',
    'deleteOne',
    'deleteMany',
    'findOneAndDelete',
  ] as const) {
    schema.pre(op, { document: false, query: true }, refuse);
  }
  schema.pre('deleteOne', { document: true, query: false }, refuse);
  schema.pre('save', function () {
    if (!this.isNew) refuse();
  });
  schema.pre('bulkWrite', refuse);
}

/** The projection `{ a: 1, b: 1 }` of the fields a reader asks for. */
export function only(fields: readonly string[]): Record<string, 1> {
  return Object.fromEntries(fields.map((f) => [f, 1 as const]));
}

type RecordId = string | Types.ObjectId;

/**
 * How other modules read one collection's records by `_id`: the fields they ask for (all when none
 * are named), one `findById`, or the seam's findByIds for several (unknown ids are left out).
 */
export function recordReader<R extends { _id: Types.ObjectId }>(model: AnyModel) {
  type Field = keyof R & string;
  return {
    byId<K extends Field = Field>(id: RecordId, fields?: readonly K[]): Promise<Pick<R, K | '_id'> | null> {
      return model
        .findById(id, fields && only(fields))
        .lean<Pick<R, K | '_id'>>()
        .exec();
    },
    byIds<K extends Field = Field>(ids: readonly RecordId[], fields?: readonly K[]): Promise<Pick<R, K | '_id'>[]> {
      return findByIds<Pick<R, K | '_id'>>(model, ids, fields && only(fields));
    },
  };
}
