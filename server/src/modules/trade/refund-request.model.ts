import { model, Schema, type InferSchemaType, type Types } from 'mongoose';
import { REFUND_REQUEST_STATUSES } from '@zdec/shared';

/**
 * 退款申请: a buyer organisation asks clearing staff to refund a settled order. Three collections,
 * each read and written by `_id` only (platform/db), so nothing here scans on the embedded engine:
 *
 * - `refund_requests_open` (`_id` = the order's id): the open request of an order. Inserting it is
 *   the claim that makes at most one request open per order (a unique `_id`, atomic on every
 *   engine; never a check-then-write). It holds everything the request says, so the clearing
 *   desk's queue is this small collection read whole, and a request whose history document was
 *   lost in a crash can be rebuilt from it. Deciding the request removes it.
 * - `refund_requests` (`_id` = `<orderId>#<round>`): every request ever made, its status a
 *   projection of its decision. A declined request may be followed by a new one (the next round).
 * - `refund_request_decisions` (`_id` = the request's id): the one decision on a request, refunded
 *   (by the existing refund, which closes it) or declined with reasons: whoever inserts first decides.
 */
const requestFields = {
  orderId: { type: Schema.Types.ObjectId, ref: 'Order', required: true },
  round: { type: Number, required: true, min: 1 },
  buyerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
  providerOrgId: { type: Schema.Types.ObjectId, ref: 'Org', required: true },
  by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  reason: { type: String, required: true },
  at: { type: Date, required: true },
};

const openSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    requestId: { type: String, required: true },
    ...requestFields,
  },
  { versionKey: false },
);
export const OpenRefundRequestModel = model('OpenRefundRequest', openSchema, 'refund_requests_open');
export type OpenRefundRequest = InferSchemaType<typeof openSchema> & { _id: Types.ObjectId };

const decisionFields = {
  kind: { type: String, required: true, enum: ['refunded', 'declined'] },
  reason: { type: String, default: '' },
  by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  at: { type: Date, required: true },
};

const requestSchema = new Schema(
  {
    _id: { type: String, required: true },
    ...requestFields,
    status: { type: String, required: true, enum: REFUND_REQUEST_STATUSES, default: 'open' },
    decision: { type: new Schema(decisionFields, { _id: false }) },
  },
  { versionKey: false },
);
export const RefundRequestModel = model('RefundRequest', requestSchema, 'refund_requests');
export type RefundRequest = InferSchemaType<typeof requestSchema>;

const decisionSchema = new Schema({ _id: { type: String, required: true }, ...decisionFields }, { versionKey: false });
export const RefundRequestDecisionModel = model('RefundRequestDecision', decisionSchema, 'refund_request_decisions');
export type RefundRequestDecision = InferSchemaType<typeof decisionSchema>;

/** The id of an order's n-th refund request. */
export const refundRequestId = (orderId: unknown, round: number) => `${String(orderId)}#${round}`;
