import { model, Schema, type InferSchemaType } from 'mongoose';
import { now } from '../../platform/clock';

/**
 * One download, API call or sandbox access spent from an entitlement, as slot `n` of its limit. The unique key
 * `<entitlementId>:<kind>:<n>` is what enforces the limit: spending is inserting the next free slot
 * (n ≤ limit), an insert that is atomic on every engine alike, where a guarded `$inc` is not
 * atomic on the embedded engine. The records double as the usage log (调用记录) of the entitlement.
 */
const usageSchema = new Schema(
  {
    key: { type: String, required: true },
    entitlementId: { type: Schema.Types.ObjectId, ref: 'Entitlement', required: true },
    kind: { type: String, required: true, enum: ['download', 'call', 'access'] },
    n: { type: Number, required: true, min: 1 },
    at: { type: Date, required: true, default: now },
  },
  { versionKey: false },
);
usageSchema.index({ key: 1 }, { unique: true });
usageSchema.index({ entitlementId: 1, kind: 1, n: -1 });

export type Usage = InferSchemaType<typeof usageSchema>;
export const UsageModel = model('DeliveryUsage', usageSchema, 'delivery_usage');
