import { z } from 'zod';
import { DELIVERY_MODES, DOMAIN_KEYS, GRADES, LISTING_STATUSES, PRICING_MODELS, PRODUCT_TYPES } from '../constants';
import { Fen, ObjectIdString, PageQuery, SearchText } from './common';
import { FIELD_MESSAGES } from './messages';

export const Pricing = z
  .strictObject({
    model: z.enum(PRICING_MODELS),
    priceFen: Fen,
    unit: z.string().trim().min(1).max(20).optional(),
    periodDays: z.number().int().min(1).max(3660).optional(),
  })
  .refine((p) => p.model !== 'subscription' || p.periodDays !== undefined, {
    path: ['periodDays'],
    message: FIELD_MESSAGES.periodDays,
  });
export type Pricing = z.infer<typeof Pricing>;

const ListingFields = {
  title: z.string().trim().min(2).max(120),
  summary: z.string().trim().max(2000),
  productType: z.enum(PRODUCT_TYPES),
  sourceResourceIds: z.array(ObjectIdString).min(1).max(50),
  authorizationId: ObjectIdString.optional(),
  deIdentified: z.boolean(),
  deliveryMode: z.enum(DELIVERY_MODES),
  pricing: Pricing,
  tags: z.array(z.string().trim().min(1).max(30)).max(20),
  /** Sandbox delivery: minimum records behind every released group (disclosure control's k). */
  sandboxK: z.number().int().min(2).max(1000).optional(),
};

export const ListingCreateBody = z.strictObject({
  ...ListingFields,
  summary: ListingFields.summary.default(''),
  deIdentified: ListingFields.deIdentified.default(false),
  tags: ListingFields.tags.default([]),
});
export type ListingCreateBody = z.infer<typeof ListingCreateBody>;

export const ListingUpdateBody = z.strictObject(ListingFields).partial();
export type ListingUpdateBody = z.infer<typeof ListingUpdateBody>;

export const ReviewBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reasons: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
  })
  .refine((b) => b.decision === 'approve' || b.reasons.length > 0, {
    path: ['reasons'],
    message: FIELD_MESSAGES.rejectReason,
  });
export type ReviewBody = z.infer<typeof ReviewBody>;

export const DelistBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });

/** `relevance` (BM25) is the default when `q` is given, `newest` otherwise. */
export const LISTING_SORTS = ['relevance', 'newest', 'price', 'popular'] as const;
export const ListingQuery = PageQuery.extend({
  q: SearchText.optional(),
  type: z.enum(PRODUCT_TYPES).optional(),
  domain: z.enum(DOMAIN_KEYS).optional(),
  grade: z.enum(GRADES).optional(),
  provider: ObjectIdString.optional(),
  minPriceFen: z.coerce.number().int().min(0).optional(),
  maxPriceFen: z.coerce.number().int().min(0).optional(),
  sort: z.enum(LISTING_SORTS).optional(),
  /** Owners and exchange staff may ask for other statuses than `listed`. */
  status: z.enum(LISTING_STATUSES).optional(),
  mine: z.enum(['true', 'false']).optional(),
});
export type ListingQuery = z.infer<typeof ListingQuery>;
