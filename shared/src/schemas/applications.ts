import { z } from 'zod';
import { DELIVERY_MODES, PRODUCT_TYPES } from '../constants';
import { DateEndInput, DateInput, ObjectIdString, PageQuery } from './common';
import { FeeCaps } from './authorizations';
import { FIELD_MESSAGES } from './messages';

/** An operator's application for an authorization (授权运营申请), or for the renewal of one it holds. */
export const ApplicationBody = z
  .strictObject({
    resourceIds: z.array(ObjectIdString).min(1).max(100),
    purpose: z.string().trim().min(2).max(500),
    allowedProductTypes: z.array(z.enum(PRODUCT_TYPES)).min(1),
    allowedDeliveryModes: z.array(z.enum(DELIVERY_MODES)).min(1),
    validFrom: DateInput,
    validTo: DateEndInput,
    /** The authorization this renews (续期): the operator's own. */
    renewalOf: ObjectIdString.optional(),
  })
  .refine((b) => b.validTo > b.validFrom, { path: ['validTo'], message: FIELD_MESSAGES.validTo });
export type ApplicationBody = z.infer<typeof ApplicationBody>;

/** The authority's decision: approval grants (with the fee caps it sets), rejection gives reasons. */
export const ApplicationDecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    reasons: z.string().trim().max(1000).default(''),
    feeCaps: FeeCaps.default({}),
  })
  .refine((b) => b.decision === 'approve' || b.reasons.length >= 2, {
    path: ['reasons'],
    message: FIELD_MESSAGES.rejectReasons,
  });
export type ApplicationDecisionBody = z.infer<typeof ApplicationDecisionBody>;

export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const ApplicationQuery = PageQuery.extend({ status: z.enum(APPLICATION_STATUSES).optional() });
export type ApplicationQuery = z.infer<typeof ApplicationQuery>;
