import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { DOMAIN_KEYS, GRADES, LEVELS, OPENNESS, RESOURCE_STATUSES, UPDATE_FREQUENCIES } from '@zdec/shared';
import { FIELD_TYPES } from '@zdec/shared';
import { jsonView } from '../../platform/mongo';
import { now } from '../../platform/clock';
import { withOutbox } from '../ledger/outbox';
import { storedFileSchema } from '../samples/samples.store';

/** 公共数据资源 (or a provider's own enterprise data resource), SPEC section 4. */
const resourceSchema = new Schema(
  {
    /** DR-<region>-<yyyy>-<6-digit seq>, assigned at registration. */
    registrationNumber: { type: String },
    /** `public` when registered by the authority, `enterprise` when a provider registers its own data. */
    kind: { type: String, required: true, enum: ['public', 'enterprise'] },
    ownerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true, trim: true },
    description: { type: String, default: '' },
    holderDepartment: { type: String, required: true },
    regionCode: { type: String, required: true, match: /^\d{6}$/ },
    domain: { type: String, required: true, enum: DOMAIN_KEYS },
    openness: { type: String, required: true, enum: OPENNESS },
    fields: {
      type: [
        new Schema(
          {
            name: { type: String, required: true },
            type: { type: String, required: true, enum: FIELD_TYPES },
            description: { type: String, default: '' },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    updateFrequency: { type: String, required: true, enum: UPDATE_FREQUENCIES },
    recordCount: { type: Number, required: true, min: 0 },
    sample: { type: storedFileSchema },
    /** The scanner's report on the sample (shared/src/scan ScanResult). */
    scan: { type: Schema.Types.Mixed },
    /** Grade and level: proposed by the scan, possibly raised by the owner at registration. */
    grade: { type: String, enum: GRADES },
    level: { type: String, enum: LEVELS },
    status: { type: String, required: true, enum: RESOURCE_STATUSES, default: 'draft', index: true },
    certificate: {
      type: new Schema(
        {
          number: { type: String, required: true },
          issuedAt: { type: Date, required: true },
          digest: { type: String, required: true },
        },
        { _id: false },
      ),
    },
    registeredAt: { type: Date },
    retiredAt: { type: Date },
    /** Registration lifecycle (registration.service): the notice under way, the amendment version applied. */
    noticeId: { type: String },
    noticeEndsAt: { type: Date },
    registrationVersion: { type: Number },
    /**
     * Lower-cased words and CJK bigrams/unigrams of name, holder, description and registration number
     * (shared searchTerms). Hidden by jsonView; not `select: false`, because that makes every
     * findOneAndUpdate send a projection, which the embedded engine does not implement.
     */
    searchTerms: { type: [String], default: [] },
  },
  { timestamps: { currentTime: now } },
);
withOutbox(resourceSchema);
resourceSchema.index({ registrationNumber: 1 }, { unique: true, sparse: true });
resourceSchema.index({ searchTerms: 1 });
resourceSchema.index({ domain: 1, status: 1 });
resourceSchema.index({ regionCode: 1 });
jsonView(resourceSchema, ['searchTerms', 'outbox']);

export type Resource = InferSchemaType<typeof resourceSchema>;
export type ResourceDoc = HydratedDocument<Resource>;
export const ResourceModel = model('Resource', resourceSchema);

/*
 * Why a second collection: on the embedded engine (platform/db), which CI runs, a conditional update
 * (`findOneAndUpdate({_id, status: 'draft'}, …)`) is not atomic, so two racing registrations could
 * both "win". Unique indexes are. A registration is therefore decided by INSERTING its record:
 * `resourceId` unique (a resource is registered once) and `number` unique (two resources never share
 * a DR number, even if the counter hands one out twice). The record carries the certificate, the
 * snapshot of what it certifies and, in the same insert, its `resource.registered` ledger event
 * (outbox); the resource's own status/number/certificate are a projection of it, re-applied
 * idempotently by the registering request, the outbox step and any later attempt.
 */
const resourceRegistrationSchema = new Schema(
  {
    resourceId: { type: Schema.Types.ObjectId, ref: 'Resource', required: true },
    number: { type: String, required: true },
    ownerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    grade: { type: String, required: true, enum: GRADES },
    level: { type: String, required: true, enum: LEVELS },
    certificate: {
      number: { type: String, required: true },
      issuedAt: { type: Date, required: true },
      digest: { type: String, required: true },
    },
    /** The metadata, sample and scan as registered (what the certificate digest covers). */
    snapshot: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
withOutbox(resourceRegistrationSchema);
resourceRegistrationSchema.index({ resourceId: 1 }, { unique: true });
resourceRegistrationSchema.index({ number: 1 }, { unique: true });
jsonView(resourceRegistrationSchema, ['outbox']);

export type ResourceRegistration = InferSchemaType<typeof resourceRegistrationSchema>;
export const ResourceRegistrationModel = model(
  'ResourceRegistration',
  resourceRegistrationSchema,
  'resource_registrations',
);
