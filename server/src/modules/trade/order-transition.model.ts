import { model, Schema, type InferSchemaType, type Types } from 'mongoose';
import { now } from '../../platform/clock';
import { jsonView } from '../../platform/mongo';
import { withOutbox } from '../ledger/outbox';

/**
 * The steps of an order that must happen at most once, each recorded by INSERTING a document whose
 * `key` is unique: `<orderId>:resolution` (settled or cancelled: a pending order is resolved one way,
 * once) and `<orderId>:refund`. Whoever inserts first wins; everyone else gets a duplicate key and
 * reads what won. An insert is atomic on every engine alike, whereas a conditional
 * `findOneAndUpdate` is not atomic on the embedded engine (its SQLite handler reads and writes the document
 * without a transaction), so two racing "pending_payment → paid" updates could both succeed there.
 *
 * A settled or refunded transition carries its ledger event in its outbox in that same insert; the
 * outbox step (settlement.ts) then applies the transition to the order, grants or revokes the
 * entitlement, and the sweep completes whatever a crash interrupted. The order's `status` is
 * therefore a projection of its transitions, re-applied idempotently.
 */
const orderTransitionSchema = new Schema(
  {
    /** The key itself (older records: an ObjectId), so a transition is read by `_id` alone. */
    _id: { type: Schema.Types.Mixed, required: true },
    key: { type: String, required: true },
    orderId: { type: Schema.Types.ObjectId, ref: 'Order', required: true, index: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true },
    kind: { type: String, required: true, enum: ['settled', 'cancelled', 'refunded'] },
    at: { type: Date, required: true },
    /** settled: how it was paid (PaymentRecord). */
    payment: { type: Schema.Types.Mixed },
    /** refunded, or cancelled after an automatic Stripe refund: the refund record. */
    refund: { type: Schema.Types.Mixed },
    /** cancelled: who cancelled and why, and a flag for exchange staff when there is one. */
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    reason: { type: String },
    flag: { type: Schema.Types.Mixed },
  },
  { versionKey: false, timestamps: { currentTime: now } },
);
withOutbox(orderTransitionSchema);
orderTransitionSchema.index({ key: 1 }, { unique: true });
orderTransitionSchema.index({ listingId: 1, kind: 1 });
jsonView(orderTransitionSchema, ['outbox']);

export type OrderTransition = InferSchemaType<typeof orderTransitionSchema>;
export type LeanTransition = Omit<OrderTransition, '_id'> & {
  _id: string | Types.ObjectId;
  outbox?: unknown[];
};
export const OrderTransitionModel = model('OrderTransition', orderTransitionSchema, 'order_transitions');

/** The keys (and `_id`s) of an order's transitions. */
export const resolutionKey = (orderId: unknown) => `${String(orderId)}:resolution`;
export const refundKey = (orderId: unknown) => `${String(orderId)}:refund`;
