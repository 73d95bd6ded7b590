import { z } from 'zod';
import { DELIVERY_MODES, ORDER_STATUSES, PAYMENT_METHODS, PRICING_MODELS, PRODUCT_TYPES } from '../constants';
import { EmptyBody, IdParams } from '../schemas/common';
import { ConfirmTransferBody, IdempotencyKey, OrderCreateBody, OrderQuery, RefundBody } from '../schemas/orders';
import { REFUND_REQUEST_STATUSES, RefundDeclineBody, RefundRequestBody, RefundRequestQuery } from '../schemas/refunds';
import { operation, type Access } from './define';
import { GradeValue, Id, pageOf, Timestamp } from './views';

const SettledMethod = z.enum([...PAYMENT_METHODS, 'none']);

const OrderFlagView = z.object({
  reason: z.string(),
  detail: z.string().optional(),
  eventId: z.string().optional(),
  at: Timestamp,
});

/** An order as every trade route returns it (order.model `jsonView`: `id`, no idempotency key or request hash). */
export const OrderView = z.object({
  id: Id,
  number: z.string(),
  buyerOrgId: Id,
  buyerUserId: Id,
  providerOrgId: Id,
  listingId: Id,
  listingCode: z.string(),
  /** Absent for a product of the provider's own enterprise data. */
  authorizationId: Id.optional(),
  snapshot: z.object({
    title: z.string(),
    productType: z.enum(PRODUCT_TYPES),
    grade: GradeValue,
    deliveryMode: z.enum(DELIVERY_MODES),
    pricing: z.object({
      model: z.enum(PRICING_MODELS),
      priceFen: z.number().int().min(0),
      unit: z.string().optional(),
      periodDays: z.number().int().optional(),
    }),
  }),
  quantity: z.number().int().min(1),
  terms: z.object({
    downloadLimit: z.number().int().optional(),
    callQuota: z.number().int().optional(),
    validDays: z.number().int().optional(),
  }),
  amountFen: z.number().int().min(0),
  currency: z.literal('cny'),
  paymentMethod: z.enum(PAYMENT_METHODS),
  status: z.enum(ORDER_STATUSES),
  paymentIntentId: z.string().optional(),
  payment: z
    .object({
      method: SettledMethod,
      receivedFen: z.number().int().min(0),
      paymentIntentId: z.string().optional(),
      eventId: z.string().optional(),
      bankReference: z.string().optional(),
      confirmedBy: Id.optional(),
    })
    .optional(),
  lastPaymentError: z
    .object({
      code: z.string().optional(),
      message: z.string().optional(),
      eventId: z.string().optional(),
      at: Timestamp.optional(),
    })
    .optional(),
  flags: z.array(OrderFlagView).optional(),
  flag: OrderFlagView.optional(),
  refund: z
    .object({
      method: SettledMethod,
      amountFen: z.number().int().min(0),
      reason: z.string(),
      stripeRefundId: z.string().optional(),
      bankReference: z.string().optional(),
      by: Id.optional(),
      at: Timestamp,
    })
    .optional(),
  paidAt: Timestamp.optional(),
  deliveredAt: Timestamp.optional(),
  cancelledAt: Timestamp.optional(),
  cancelledBy: Id.optional(),
  refundedAt: Timestamp.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** How to pay a pending order (orders.service `paymentInstructions`); `none` for a free order. */
export const PaymentInstructionsView = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('stripe'),
    paymentIntentId: z.string(),
    clientSecret: z.string(),
    publishableKey: z.string().nullable(),
    amountFen: z.number().int().min(0),
    currency: z.literal('cny'),
    paymentMethodTypes: z.array(z.string()),
  }),
  z.object({
    method: z.literal('bank_transfer'),
    reference: z.string(),
    amountFen: z.number().int().min(0),
    currency: z.literal('cny'),
    payee: z.object({ name: z.string(), bank: z.string(), account: z.string() }),
  }),
  z.object({ method: z.literal('none') }),
]);

/** A buyer's refund request (refund-requests.service `view`); `id` is `<orderId>#<round>`. */
export const RefundRequestView = z.object({
  id: z.string().min(1),
  orderId: Id,
  round: z.number().int().min(1),
  status: z.enum(REFUND_REQUEST_STATUSES),
  reason: z.string(),
  at: Timestamp,
  buyerOrgId: Id,
  by: Id,
  decision: z.object({ kind: z.enum(['refunded', 'declined']), reason: z.string(), by: Id, at: Timestamp }).optional(),
});

/** A request in the clearing queue, with what the desk needs of its order. */
export const RefundQueueItemView = RefundRequestView.extend({
  order: z.object({
    id: Id,
    number: z.string(),
    title: z.string(),
    listingCode: z.string(),
    amountFen: z.number().int().min(0),
    paymentMethod: z.enum(PAYMENT_METHODS),
    status: z.enum(ORDER_STATUSES),
  }),
});

/** The order with the payment instructions of a pending order (null once nothing is to be paid). */
/** GET /orders/{id}: the order with the buyer's latest refund request (or null). */
export const OrderDetailView = OrderView.extend({ refundRequest: RefundRequestView.nullable() });

export const OrderWithPaymentView = z.object({ order: OrderView, payment: PaymentInstructionsView.nullable() });

const clearing = { roles: ['exchange'], duty: 'clearing' } as const satisfies Access;
const orderViewers = { roles: ['buyer', 'provider', 'exchange', 'regulator'] } as const satisfies Access;

/** 交易: orders, their payment (Stripe or bank transfer), refunds and buyers' refund requests. */
export const tradeOperations = {
  createOrder: operation({
    method: 'post',
    path: '/orders',
    tag: 'trade',
    summary:
      'Order a listed product (Idempotency-Key header); 201 a new order, 200 with Idempotent-Replayed: true for the same key and body again',
    access: { roles: ['buyer'] },
    headers: {
      'Idempotency-Key': {
        schema: IdempotencyKey,
        description: 'The same key with the same body returns the same order; with another body it is 409',
      },
    },
    body: OrderCreateBody,
    reply: { json: OrderWithPaymentView, status: 201 },
  }),
  listOrders: operation({
    method: 'get',
    path: '/orders',
    tag: 'trade',
    summary: 'Orders visible to the caller',
    access: orderViewers,
    query: OrderQuery,
    reply: { json: pageOf(OrderView) },
  }),
  getOrder: operation({
    method: 'get',
    path: '/orders/{id}',
    tag: 'trade',
    summary: "One order, with the buyer's latest refund request (or null)",
    access: orderViewers,
    params: IdParams,
    reply: { json: OrderDetailView },
  }),
  orderPayment: operation({
    method: 'get',
    path: '/orders/{id}/payment',
    tag: 'trade',
    summary: 'Payment instructions of an unpaid order again',
    access: { roles: ['buyer'] },
    params: IdParams,
    reply: { json: z.object({ order: OrderView, payment: PaymentInstructionsView }) },
  }),
  cancelOrder: operation({
    method: 'post',
    path: '/orders/{id}/cancel',
    tag: 'trade',
    summary: "Cancel an unpaid order (the buyer's organisation, or exchange clearing staff)",
    access: { roles: ['buyer', 'exchange'], duty: 'clearing' },
    params: IdParams,
    body: EmptyBody,
    reply: { json: OrderView },
  }),
  confirmTransfer: operation({
    method: 'post',
    path: '/orders/{id}/confirm-transfer',
    tag: 'trade',
    summary: 'Confirm a bank transfer; settles the order',
    access: clearing,
    params: IdParams,
    body: ConfirmTransferBody,
    reply: { json: OrderView },
  }),
  refund: operation({
    method: 'post',
    path: '/orders/{id}/refund',
    tag: 'trade',
    summary: 'Refund a settled order',
    access: clearing,
    params: IdParams,
    body: RefundBody,
    reply: { json: OrderView },
  }),
  requestRefund: operation({
    method: 'post',
    path: '/orders/{id}/refund-request',
    tag: 'trade',
    summary: "Request a refund of the buyer's settled order, with a reason; 409 while one is open",
    access: { roles: ['buyer'] },
    params: IdParams,
    body: RefundRequestBody,
    reply: { json: RefundRequestView, status: 201 },
  }),
  declineRefundRequest: operation({
    method: 'post',
    path: '/orders/{id}/refund-request/decline',
    tag: 'trade',
    summary: "Decline the order's open refund request, with reasons (clearing staff; refunding closes it too)",
    access: clearing,
    params: IdParams,
    body: RefundDeclineBody,
    reply: { json: RefundRequestView },
  }),
  listRefundRequests: operation({
    method: 'get',
    path: '/refund-requests',
    tag: 'trade',
    summary: 'Refund requests, newest first: the open ones (the clearing queue) or all',
    access: { roles: ['exchange', 'regulator'], duty: 'clearing' },
    query: RefundRequestQuery,
    reply: { json: pageOf(RefundQueueItemView) },
  }),
  stripeWebhook: operation({
    method: 'post',
    path: '/payments/stripe/webhook',
    tag: 'trade',
    summary:
      'Stripe webhook: the Stripe-Signature header is verified over the raw application/json body (any JSON body is the Stripe event)',
    access: 'public',
    headers: {
      'Stripe-Signature': { schema: z.string(), required: true, description: "Stripe's signature of the raw body" },
    },
    reply: { json: z.object({ received: z.literal(true), outcome: z.string() }) },
  }),
};
