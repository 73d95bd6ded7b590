import { z } from 'zod';
import { PageQuery } from './common';

/** A buyer's refund request (退款申请) moves from open to refunded (by clearing staff's refund) or declined. */
export const REFUND_REQUEST_STATUSES = ['open', 'declined', 'refunded'] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];

/** POST /orders/:id/refund-request: why the buyer asks for its money back. */
export const RefundRequestBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type RefundRequestBody = z.infer<typeof RefundRequestBody>;

/** POST /orders/:id/refund-request/decline: clearing staff's reasons, which the buyer reads. */
export const RefundDeclineBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type RefundDeclineBody = z.infer<typeof RefundDeclineBody>;

/** GET /refund-requests: the open ones (the clearing desk's queue), or every request, newest first. */
export const RefundRequestQuery = PageQuery.extend({ status: z.enum(['open', 'all']).default('open') });
export type RefundRequestQuery = z.infer<typeof RefundRequestQuery>;
