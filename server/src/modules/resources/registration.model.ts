import { model, Schema, type InferSchemaType } from 'mongoose';
import { AMENDMENT_KINDS, GRADES, LEVELS, NOTICE_STATUSES } from '@zdec/shared';
import { jsonView } from '../../platform/mongo';
import { withOutbox } from '../ledger/outbox';

/*
 * The registration lifecycle of 公共数据资源登记管理暂行办法 (2025) in small collections of their
 * own, each decided by a unique key (the embedded engine makes no conditional update atomic):
 *
 * - a notice (公示) per submission, `_id` `<resourceId>#<attempt>`: two racing submissions of the
 *   same resource draw the same attempt and only one insert succeeds;
 * - objections (异议) to a notice, and one ruling per objection (`_id` = the objection's id, so an
 *   objection is ruled on once);
 * - amendments (变更、更正、注销) of a registered resource, `_id` `<resourceId>#v<version>`: racing
 *   amendments of the same version collide; each carries its ledger event in its outbox.
 *
 * The certificate itself stays where it was (catalog's resource_registrations, unique per resource),
 * so "issued once" holds however many finalisers see a notice end. Status fields on these records
 * and on the resource are projections, re-applied idempotently.
 */

const noticeSchema = new Schema(
  {
    _id: { type: String, required: true },
    resourceId: { type: Schema.Types.ObjectId, ref: 'Resource', required: true },
    attempt: { type: Number, required: true, min: 1 },
    ownerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    grade: { type: String, required: true, enum: GRADES },
    level: { type: String, required: true, enum: LEVELS },
    publishedAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    workingDays: { type: Number, required: true, min: 1 },
    status: { type: String, required: true, enum: NOTICE_STATUSES },
    /** What is being registered, as the public sees it during the notice (no sample, no scan examples). */
    snapshot: { type: Schema.Types.Mixed, required: true },
    decidedAt: { type: Date },
    registrationNumber: { type: String },
  },
  { versionKey: false },
);
noticeSchema.index({ resourceId: 1 });
noticeSchema.index({ status: 1 });
jsonView(noticeSchema);
export type RegistrationNotice = InferSchemaType<typeof noticeSchema>;
export const RegistrationNoticeModel = model('RegistrationNotice', noticeSchema, 'registration_notices');

const objectionSchema = new Schema(
  {
    noticeId: { type: String, required: true },
    resourceId: { type: Schema.Types.ObjectId, ref: 'Resource', required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    orgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    reason: { type: String, required: true },
    contact: { type: String, default: '' },
    at: { type: Date, required: true },
    status: { type: String, required: true, enum: ['pending', 'upheld', 'dismissed'], default: 'pending' },
    ruling: {
      type: new Schema(
        {
          decision: { type: String, required: true, enum: ['uphold', 'dismiss'] },
          reasons: { type: String, required: true },
          by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
    },
  },
  { versionKey: false },
);
objectionSchema.index({ noticeId: 1 });
jsonView(objectionSchema);
export type RegistrationObjection = InferSchemaType<typeof objectionSchema>;
export const RegistrationObjectionModel = model('RegistrationObjection', objectionSchema, 'registration_objections');

const rulingSchema = new Schema(
  {
    /** The objection's id: one ruling per objection. */
    _id: { type: String, required: true },
    noticeId: { type: String, required: true },
    decision: { type: String, required: true, enum: ['uphold', 'dismiss'] },
    reasons: { type: String, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
rulingSchema.index({ noticeId: 1 });
export const ObjectionRulingModel = model('ObjectionRuling', rulingSchema, 'registration_rulings');

const amendmentSchema = new Schema(
  {
    /** `<resourceId>#v<version>`, unique (the outbox needs an ObjectId `_id`). */
    key: { type: String, required: true },
    resourceId: { type: Schema.Types.ObjectId, ref: 'Resource', required: true },
    version: { type: Number, required: true, min: 2 },
    kind: { type: String, required: true, enum: [...AMENDMENT_KINDS, 'cancellation'] },
    reason: { type: String, required: true },
    /** The fields set (change, correction) and what they were before. */
    changes: { type: Schema.Types.Mixed, default: {} },
    before: { type: Schema.Types.Mixed, default: {} },
    /** The re-issued certificate (same number, new digest over the amended metadata); none for a cancellation. */
    certificate: {
      type: new Schema({ number: String, issuedAt: Date, digest: String }, { _id: false }),
    },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
withOutbox(amendmentSchema);
amendmentSchema.index({ resourceId: 1 });
amendmentSchema.index({ key: 1 }, { unique: true });
jsonView(amendmentSchema, ['outbox']);
export type ResourceAmendment = InferSchemaType<typeof amendmentSchema>;
export const ResourceAmendmentModel = model('ResourceAmendment', amendmentSchema, 'resource_amendments');
