import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { DELIVERY_MODES, PRODUCT_TYPES } from '@zdec/shared';
import { jsonView } from '../../platform/mongo';
import { now } from '../../platform/clock';
import { withOutbox } from '../ledger/outbox';

/** Stored statuses. `expired` is never stored: it is derived from `validTo` (authorization.policy). */
export const STORED_AUTHORIZATION_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type StoredAuthorizationStatus = (typeof STORED_AUTHORIZATION_STATUSES)[number];

const feeCapsSchema = new Schema(
  {
    one_time: { type: Number, min: 0, validate: Number.isSafeInteger },
    subscription: { type: Number, min: 0, validate: Number.isSafeInteger },
    per_call: { type: Number, min: 0, validate: Number.isSafeInteger },
  },
  { _id: false },
);

/** What an authorization covers, as granted or applied for (shared AuthorizationScopeFields): resources, purpose, product types, delivery modes, term. */
export const scopeFields = {
  resourceIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Resource' }], required: true },
  purpose: { type: String, required: true },
  allowedProductTypes: { type: [{ type: String, enum: PRODUCT_TYPES }], required: true },
  allowedDeliveryModes: { type: [{ type: String, enum: DELIVERY_MODES }], required: true },
  validFrom: { type: Date, required: true },
  validTo: { type: Date, required: true },
} as const;

/** 授权运营协议 (SPEC section 4): the authority licenses an operator over registered public resources. */
const authorizationSchema = new Schema(
  {
    /** SQ-<yyyy>-<6-digit seq>. */
    number: { type: String, required: true },
    authorityOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    operatorOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    ...scopeFields,
    /** 政府指导价: maximum priceFen per pricing model; a missing model has no cap. */
    feeCaps: { type: feeCapsSchema, default: {} },
    status: { type: String, required: true, enum: STORED_AUTHORIZATION_STATUSES, default: 'active', index: true },
    statusReason: { type: String },
    suspendedAt: { type: Date },
    revokedAt: { type: Date },
    grantedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: { currentTime: now } },
);
withOutbox(authorizationSchema);
authorizationSchema.index({ number: 1 }, { unique: true });
authorizationSchema.index({ resourceIds: 1 });
authorizationSchema.index({ validFrom: 1, validTo: 1 });
jsonView(authorizationSchema, ['outbox']);

export type Authorization = InferSchemaType<typeof authorizationSchema>;
export type AuthorizationDoc = HydratedDocument<Authorization>;
export const AuthorizationModel = model('Authorization', authorizationSchema);
