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

export const RefundBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const OrderQuery = PageQuery.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  listing: ObjectIdString.optional(),
});
export type OrderQuery = z.infer<typeof OrderQuery>;
