import { model, Schema, type InferSchemaType } from 'mongoose';
import { now } from '../../platform/clock';

/**
 * A buyer's watch list (关注): one document per user and listing. `_id` is `<userId>:<listingId>`, so
 * watching twice is a duplicate key (no conditional update needed) and unwatching is an `_id` delete,
 * the one lookup the embedded engine pushes down.
 */
const watchSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    listingId: { type: String, required: true },
    at: { type: Date, required: true, default: now },
  },
  { versionKey: false },
);
watchSchema.index({ userId: 1, at: -1 });

export type Watch = InferSchemaType<typeof watchSchema>;
export const WatchModel = model('Watch', watchSchema, 'watchlist');

export const watchId = (userId: string, listingId: string) => `${userId}:${listingId}`;
