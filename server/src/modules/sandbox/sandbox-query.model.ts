import { model, Schema, type InferSchemaType, type Types } from 'mongoose';
import { SANDBOX_OUTCOMES } from '@zdec/shared';
import { now } from '../../platform/clock';

export type SandboxOutcome = (typeof SANDBOX_OUTCOMES)[number];

/**
 * The sandbox audit (沙箱查询审计): one document per query a buyer submitted, whatever came of it.
 * `n` is the query's usage slot (a query counts against the entitlement like an API call; the slot's
 * unique key in delivery_usage enforces the quota). Written once, never updated. Visible to the
 * buyer's organisation, the provider of the product and the regulator.
 */
const sandboxQuerySchema = new Schema(
  {
    entitlementId: { type: Schema.Types.ObjectId, ref: 'Entitlement', required: true },
    orderId: { type: Schema.Types.ObjectId, ref: 'Order', required: true },
    orderNumber: { type: String, required: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true },
    listingCode: { type: String, required: true },
    buyerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    providerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** Usage slot of the entitlement this query spent. */
    n: { type: Number, required: true },
    sql: { type: String, required: true },
    sqlSha256: { type: String, required: true },
    /** SHA-256 of the deliverable version queried. */
    dataSha256: { type: String },
    outcome: { type: String, required: true, enum: SANDBOX_OUTCOMES },
    /** The rule that refused the query, or `min-group-size` when groups were suppressed. */
    rule: { type: String },
    reason: { type: String },
    k: { type: Number, required: true },
    /** Rows released, groups suppressed (with the records they held in total). */
    rows: { type: Number, default: 0 },
    suppressedGroups: { type: Number, default: 0 },
    suppressedRecords: { type: Number, default: 0 },
    /** SHA-256 of the released result (columns and rows as canonical JSON). */
    resultSha256: { type: String },
    /** The released result itself (aggregates only) as JSON, so the buyer can see it again. */
    resultJson: { type: String },
    /** Cost: wall time of the whole query, engine time, and engine statements run. */
    costMs: { type: Number, required: true },
    engineMs: { type: Number, default: 0 },
    statements: { type: Number, default: 0 },
    at: { type: Date, required: true, default: now },
  },
  { versionKey: false },
);
sandboxQuerySchema.index({ entitlementId: 1, at: -1 });
sandboxQuerySchema.index({ listingId: 1, buyerOrgId: 1, at: -1 });
sandboxQuerySchema.index({ providerOrgId: 1, at: -1 });
sandboxQuerySchema.index({ at: -1 });

export type SandboxQuery = InferSchemaType<typeof sandboxQuerySchema>;
export type LeanSandboxQuery = SandboxQuery & { _id: Types.ObjectId };
export const SandboxQueryModel = model('SandboxQuery', sandboxQuerySchema, 'sandbox_queries');
