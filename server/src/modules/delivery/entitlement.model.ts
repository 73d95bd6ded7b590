import { model, Schema, type HydratedDocument, type InferSchemaType, type Types } from 'mongoose';
import { DELIVERY_MODES } from '@zdec/shared';
import { now } from '../../platform/clock';
import { jsonView } from '../../platform/mongo';

/**
 * Entitlement (SPEC section 4): what a settled order grants, one per order. Credentials are stored
 * only as SHA-256 hashes: a download token (short-lived, rotated whenever the buyer asks for the
 * delivery) or an API key (shown once per issue). Downloads and calls are spent by inserting usage
 * slots (usage.model.ts), never by writing this document, so concurrent downloads or calls never
 * overspend and a busy API key never races its own revocation.
 */
const entitlementSchema = new Schema(
  {
    orderId: { type: Schema.Types.ObjectId, ref: 'Order', required: true },
    orderNumber: { type: String, required: true },
    buyerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    providerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true, index: true },
    listingCode: { type: String, required: true },
    authorizationId: { type: Schema.Types.ObjectId, ref: 'Authorization' },
    kind: { type: String, required: true, enum: DELIVERY_MODES },
    grantedAt: { type: Date, required: true },
    /** End of a subscription (periodDays × periods bought); absent: no end. */
    validUntil: { type: Date },

    /** download */
    downloadLimit: { type: Number, min: 0 },
    tokenHash: { type: String, index: true },
    tokenIssuedAt: { type: Date },
    tokenExpiresAt: { type: Date },

    /** api */
    callQuota: { type: Number, min: 0 },
    apiKeyHash: { type: String, index: true },
    /** The first characters of the key, so the buyer can tell which key is current. */
    apiKeyPrefix: { type: String },
    apiKeyIssuedAt: { type: Date },

    /** sandbox: the workspace where the data is usable in place (never downloaded); accesses are usage records. */
    workspaceId: { type: String },

    revokedAt: { type: Date },
    revokedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    revokeReason: { type: String },
  },
  { timestamps: { currentTime: now } },
);
entitlementSchema.index({ orderId: 1 }, { unique: true });
jsonView(entitlementSchema, ['tokenHash', 'apiKeyHash']);

export type Entitlement = InferSchemaType<typeof entitlementSchema>;
export type EntitlementDoc = HydratedDocument<Entitlement>;
export type LeanEntitlement = Entitlement & { _id: Types.ObjectId };
export const EntitlementModel = model('Entitlement', entitlementSchema);
