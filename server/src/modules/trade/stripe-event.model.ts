import { model, Schema, type InferSchemaType } from 'mongoose';

/**
 * Stripe events already handled, keyed by the event id: a redelivered event finds its id here and
 * changes nothing. Written after the handling succeeded, so an event whose handling failed is
 * handled again when Stripe retries it.
 */
const processedStripeEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    orderId: { type: String },
    /** What the handling did: settled, flagged, ignored, ... */
    outcome: { type: String, required: true },
    processedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type ProcessedStripeEvent = InferSchemaType<typeof processedStripeEventSchema>;
export const ProcessedStripeEventModel = model('ProcessedStripeEvent', processedStripeEventSchema);
