import {
  model,
  Schema,
  type FilterQuery,
  type HydratedDocument,
  type InferSchemaType,
  type Types,
  type UpdateQuery,
} from 'mongoose';
import {
  DELIVERY_MODES,
  DOMAIN_KEYS,
  GRADES,
  LEVELS,
  LISTING_STATUSES,
  PRICING_MODELS,
  PRODUCT_TYPES,
} from '@zdec/shared';
import { updateIf } from '../../platform/db';
import { jsonView } from '../../platform/mongo';
import { now } from '../../platform/clock';
import { withOutbox } from '../ledger/outbox';
import { withCatalogFeed } from './catalog/feed';
import { storedFileSchema } from '../samples/samples.store';

const pricingSchema = new Schema(
  {
    model: { type: String, required: true, enum: PRICING_MODELS },
    /** Integer fen (分). */
    priceFen: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    unit: { type: String },
    periodDays: { type: Number, min: 1 },
  },
  { _id: false },
);

const reviewSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    decision: { type: String, required: true, enum: ['approve', 'reject'] },
    reasons: { type: [String], default: [] },
    /** The compliance rules as they stood at this decision (listing.rules). */
    checklist: {
      type: [
        new Schema(
          { rule: { type: String, required: true }, ok: { type: Boolean, required: true }, detail: { type: String } },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { _id: false },
);

/** 数据产品/服务 (SPEC section 4). */
const listingSchema = new Schema(
  {
    /** ZDEC-<yyyy>-<6-digit seq>, assigned at the first approval and kept for ever after. */
    code: { type: String },
    providerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true, index: true },
    /** The provider organisation's name, copied for display and search. */
    providerName: { type: String, default: '' },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true, trim: true },
    summary: { type: String, default: '' },
    productType: { type: String, required: true, enum: PRODUCT_TYPES },
    sourceResourceIds: { type: [{ type: Schema.Types.ObjectId, ref: 'Resource' }], required: true },
    /** Required when any source is a public resource; absent for a product of the provider's own data. */
    authorizationId: { type: Schema.Types.ObjectId, ref: 'Authorization', index: true },
    /** Highest grade and level of its sources, recomputed whenever the sources change and at review. */
    grade: { type: String, required: true, enum: GRADES },
    level: { type: String, enum: LEVELS },
    domains: { type: [{ type: String, enum: DOMAIN_KEYS }], default: [] },
    deIdentified: { type: Boolean, default: false },
    deliveryMode: { type: String, required: true, enum: DELIVERY_MODES },
    pricing: { type: pricingSchema, required: true },
    /** The product's own sample (what buyers preview); must scan clean of L3/L4 for personal-data products. */
    sample: { type: storedFileSchema },
    sampleScan: { type: Schema.Types.Mixed },
    /** The deliverable: the file a buyer downloads or whose rows the API serves. Never public. */
    dataFile: { type: storedFileSchema },
    dataScan: { type: Schema.Types.Mixed },
    tags: { type: [String], default: [] },
    /** Sandbox delivery: the minimum group size k of disclosure control (absent: SANDBOX_DEFAULT_K). */
    sandboxK: { type: Number, min: 2, max: 1000 },
    status: { type: String, required: true, enum: LISTING_STATUSES, default: 'draft', index: true },
    statusReason: { type: String },
    /** `authorization` when suspended because its authorization was suspended/revoked (resume restores it). */
    suspendedBy: { type: String, enum: ['authorization', 'exchange'] },
    reviews: { type: [reviewSchema], default: [] },
    submittedAt: { type: Date },
    /** Incremented at every submit: one review decision per round (ListingDecisionModel). */
    reviewRound: { type: Number, default: 0 },
    listedAt: { type: Date },
    delistedAt: { type: Date },
    /** How many times it was delisted; the ref of each listing.delisted entry is `<id>:<delistCount>`. */
    delistCount: { type: Number, default: 0 },
    /** Settled orders, the `popular` sort key; the trade module `$inc`s it at settlement. */
    settledCount: { type: Number, default: 0 },
    /** Terms of title, summary, tags and provider name (shared searchTerms). */
    searchTerms: { type: [String], default: [], select: false },
  },
  { timestamps: { currentTime: now } },
);
withOutbox(listingSchema);
// Every write announces itself on the catalog's change feed (catalog/feed.ts).
withCatalogFeed(listingSchema);
listingSchema.index({ code: 1 }, { unique: true, sparse: true });
listingSchema.index({ searchTerms: 1 });
listingSchema.index({ status: 1, listedAt: -1 });
listingSchema.index({ status: 1, 'pricing.priceFen': 1 });
listingSchema.index({ status: 1, settledCount: -1 });
listingSchema.index({ sourceResourceIds: 1 });
jsonView(listingSchema, ['searchTerms', 'outbox']);

export type Listing = InferSchemaType<typeof listingSchema>;
export type ListingDoc = HydratedDocument<Listing>;
export const ListingModel = model('Listing', listingSchema);

/** A listing as stored (read by this module without its outbox). */
export type ListingRecord = Listing & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** The listing without its outbox; null when there is none. */
export function loadListing(id: string | Types.ObjectId): Promise<ListingRecord | null> {
  return ListingModel.findById(id, { outbox: 0 }).lean<ListingRecord>();
}

/**
 * One conditional update of a listing (the seam's updateIf: atomic on MongoDB, keyed by `_id` on
 * the embedded engine); whether the condition held. updateOne rather than findOneAndUpdate: the
 * embedded engine takes no projection in findAndModify, and the model's `select: false` searchTerms
 * would make Mongoose send one.
 */
export async function updateListingIf(
  filter: FilterQuery<Listing> & { _id: Types.ObjectId },
  update: UpdateQuery<Listing>,
): Promise<boolean> {
  return updateIf(ListingModel, filter, update);
}

/** updateListingIf, then the fresh record; null when the condition no longer held (the loser of a race). */
export async function transitionListing(
  filter: FilterQuery<Listing> & { _id: Types.ObjectId },
  update: UpdateQuery<Listing>,
): Promise<ListingRecord | null> {
  return (await updateListingIf(filter, update)) ? loadListing(filter._id) : null;
}

/*
 * Why two small collections: on the embedded engine (platform/db), which CI runs, a conditional update
 * (`updateOne`/`findOneAndUpdate({_id, status: 'pending_review'}, …)`) is NOT atomic: concurrent
 * callers can all match. Unique indexes are, so "exactly one" decisions are taken by inserting a
 * document under a unique key; the loser gets a duplicate-key error.
 */

/**
 * The claim on a review decision: one per listing and review round (unique). The reviewer who
 * inserts it owns the decision; it carries everything needed to apply the decision, so a decision
 * interrupted by a crash is completed by the next review attempt. Kept as the decision log.
 */
const listingDecisionSchema = new Schema(
  {
    /** `<listingId>:<round>` (decisionId), so the round's decision is read by `_id`. */
    _id: { type: String, required: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true },
    round: { type: Number, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
    decision: { type: String, required: true, enum: ['approve', 'reject'] },
    reasons: { type: [String], default: [] },
    checklist: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false },
);
listingDecisionSchema.index({ listingId: 1, round: 1 }, { unique: true });
export const ListingDecisionModel = model('ListingDecision', listingDecisionSchema);
/** The `_id` of a listing's decision in a review round. (Decisions taken before it was the key have ObjectIds; the unique (listingId, round) index still covers them.) */
export const decisionId = (listingId: Types.ObjectId | string, round: number) => `${String(listingId)}:${round}`;

/**
 * Listing codes: `_id` is the code (unique), `listingId` unique too, so a listing gets exactly one
 * code for ever (a re-listed product keeps it) and two listings never share one, even when the
 * sequence hands out the same number twice.
 */
const listingCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    listingId: { type: Schema.Types.ObjectId, ref: 'Listing', required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
listingCodeSchema.index({ listingId: 1 }, { unique: true });
export const ListingCodeModel = model('ListingCode', listingCodeSchema);
