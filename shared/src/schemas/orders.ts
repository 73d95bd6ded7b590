import { z } from 'zod';
import { ORDER_STATUSES, PAYMENT_METHODS } from '../constants';
import { Fen, ObjectIdString, PageQuery } from './common';

export const OrderCreateBody = z.strictObject({
  listingId: ObjectIdString,
  quantity: z.number().int().min(1).max(10_000),
  paymentMethod: z.enum(PAYMENT_METHODS),
});
export type OrderCreateBody = z.infer<typeof OrderCreateBody>;

/** Idempotency-Key header: a client-chosen opaque key. */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_\-:.]{8,128}$/, '8 to 128 characters of A-Z a-z 0-9 _ - : .');

export const ConfirmTransferBody = z.strictObject({
  bankReference: z.string().trim().min(4).max(64),
  amountFen: Fen,
});
export type ConfirmTransferBody = z.infer<typeof ConfirmTransferBody>;

/** `bankReference` of the refund transfer is required when the order was paid by bank transfer. */
export const RefundBody = z.strictObject({
  reason: z.string().trim().min(2).max(500),
  bankReference: z.string().trim().min(4).max(64).optional(),
});
export type RefundBody = z.infer<typeof RefundBody>;

export const RevokeEntitlementBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type RevokeEntitlementBody = z.infer<typeof RevokeEntitlementBody>;

/** GET /data/:listingCode paging: one call returns at most 1,000 rows. */
export const DataQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type DataQuery = z.infer<typeof DataQuery>;

export const ListingCodeParams = z.strictObject({
  listingCode: z.string().regex(/^ZDEC-\d{4}-\d{6}$/, 'a listing code like ZDEC-2026-000123'),
});

/** The download token of GET /deliveries/:token (43 base64url characters). */
export const DeliveryTokenParams = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export const OrderQuery = PageQuery.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  listing: ObjectIdString.optional(),
});
export type OrderQuery = z.infer<typeof OrderQuery>;
