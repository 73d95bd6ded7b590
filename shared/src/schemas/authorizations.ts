import { z } from 'zod';
import { AUTHORIZATION_STATUSES, DELIVERY_MODES, PRODUCT_TYPES } from '../constants';
import { DateEndInput, DateInput, Fen, ObjectIdString, PageQuery } from './common';
import { FIELD_MESSAGES } from './messages';

/** 政府指导价: an optional maximum price in fen per pricing model. */
export const FeeCaps = z.strictObject({
  one_time: Fen.optional(),
  subscription: Fen.optional(),
  per_call: Fen.optional(),
});
export type FeeCaps = z.infer<typeof FeeCaps>;

/** What an authorization covers, as granted or applied for: resources, purpose, product types, delivery modes, term. */
export const AuthorizationScopeFields = {
  resourceIds: z.array(ObjectIdString).min(1).max(100),
  purpose: z.string().trim().min(2).max(500),
  allowedProductTypes: z.array(z.enum(PRODUCT_TYPES)).min(1),
  allowedDeliveryModes: z.array(z.enum(DELIVERY_MODES)).min(1),
  validFrom: DateInput,
  validTo: DateEndInput,
};
/** A scope's term ends after it begins (the check and its issue, for `.refine`). */
export const termEndsAfterStart = (b: { validFrom: Date; validTo: Date }) => b.validTo > b.validFrom;
export const TERM_ISSUE = { path: ['validTo'], message: FIELD_MESSAGES.validTo };

export const AuthorizationCreateBody = z
  .strictObject({ operatorOrgId: ObjectIdString, ...AuthorizationScopeFields, feeCaps: FeeCaps.default({}) })
  .refine(termEndsAfterStart, TERM_ISSUE);
export type AuthorizationCreateBody = z.infer<typeof AuthorizationCreateBody>;

export const AuthorizationActionBody = z.strictObject({
  reason: z.string().trim().min(2).max(500),
});

export const AuthorizationQuery = PageQuery.extend({
  status: z.enum(AUTHORIZATION_STATUSES).optional(),
  operator: ObjectIdString.optional(),
  resource: ObjectIdString.optional(),
  /**
   * Only those not revoked whose term ends within this many Asia/Shanghai calendar days (today counts
   * as 0) and has not ended yet, soonest first: the expiry banners of the consoles.
   */
  expiringWithinDays: z.coerce.number().int().min(1).max(365).optional(),
});
export type AuthorizationQuery = z.infer<typeof AuthorizationQuery>;
