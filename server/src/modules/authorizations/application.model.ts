import { model, Schema, type InferSchemaType } from 'mongoose';
import { APPLICATION_STATUSES } from '@zdec/shared';
import { jsonView } from '../../platform/mongo';
import { scopeFields } from './authorization.model';

/** 授权运营申请: an operator asks the authority for an authorization (or the renewal of one). */
const applicationSchema = new Schema(
  {
    operatorOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    appliedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    ...scopeFields,
    renewalOf: { type: Schema.Types.ObjectId, ref: 'Authorization' },
    at: { type: Date, required: true },
    /** A projection of the decision record below. */
    status: { type: String, required: true, enum: APPLICATION_STATUSES, default: 'pending' },
    decision: { type: Schema.Types.Mixed },
  },
  { versionKey: false },
);
applicationSchema.index({ operatorOrgId: 1 });
jsonView(applicationSchema);
export type AuthorizationApplication = InferSchemaType<typeof applicationSchema>;
export const ApplicationModel = model('AuthorizationApplication', applicationSchema, 'authorization_applications');

/**
 * One decision per application (`_id` = the application's id): the authority who inserts it
 * decides. An approval names the authorization id it grants up front, so completing a grant
 * interrupted by a crash grants the same authorization, never a second one.
 */
const decisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    decision: { type: String, required: true, enum: ['approve', 'reject'] },
    reasons: { type: String, default: '' },
    feeCaps: { type: Schema.Types.Mixed, default: {} },
    authorizationId: { type: Schema.Types.ObjectId },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    byOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const ApplicationDecisionModel = model('ApplicationDecision', decisionSchema, 'application_decisions');
