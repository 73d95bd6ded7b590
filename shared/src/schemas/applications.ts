import { z } from 'zod';
import { ObjectIdString, PageQuery } from './common';
import { AuthorizationScopeFields, FeeCaps, TERM_ISSUE, termEndsAfterStart } from './authorizations';
import { FIELD_MESSAGES } from './messages';

/** An operator's application for an authorization (授权运营申请), or for the renewal of one it holds. */
export const ApplicationBody = z
  .strictObject({
    ...AuthorizationScopeFields,
    /** The authorization this renews (续期): the operator's own. */
    renewalOf: ObjectIdString.optional(),
  })
  .refine(termEndsAfterStart, TERM_ISSUE);
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
