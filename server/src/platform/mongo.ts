import type { Schema } from 'mongoose';

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
