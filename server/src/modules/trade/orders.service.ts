import crypto from 'node:crypto';
import { Types } from 'mongoose';
import type Stripe from 'stripe';
import type { OrderCreateBody, OrderQuery, Page } from '@zdec/shared';
import type { Config } from '../../config';
import { now } from '../../platform/clock';
import { nextSequence } from '../../platform/counters';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import type { Logger } from '../../platform/logger';
import { shanghaiMonth } from '../ledger/ledger.hash';
import type { ListingRecord } from '../listings/listings.service';
import { listingWithAuthorization } from './listing-context';
import { OrderModel, type LeanOrder, type OrderDoc } from './order.model';
import { cancelPending, reconcileOrder, settle } from './settlement';
import { requireStripe, stripeClient, stripeFailure } from './stripe';
import { purchaseBlock } from '../listings/listing.policy';
import { canSeeOrder, isOrderBuyer, orderScope } from './trade.policy';
import { hasIndexedQueries, isDuplicateKey } from '../../platform/db';
import { recordReader } from '../../platform/mongo';
import {
  appendOrder,
  enterAwaiting,
  leaveAwaiting,
  listOrdersByPaths,
  orderByKey,
  orderByKeyQuery,
  rememberKey,
} from './order-paths';
import { events } from '../notifications/notifications.events';
import { refundRequestOf } from './refund-requests.service';

export interface TradeDeps {
  config: Config;
  log?: Logger;
}

/** What the buyer does next to pay: confirm a Stripe PaymentIntent, or transfer to the exchange's account. */
export type PaymentInstructions =
  | {
      method: 'stripe';
      paymentIntentId: string;
      clientSecret: string;
      publishableKey: string | null;
      amountFen: number;
      currency: 'cny';
      paymentMethodTypes: string[];
    }
  | {
      method: 'bank_transfer';
      reference: string;
      amountFen: number;
      currency: 'cny';
      payee: { name: string; bank: string; account: string };
    }
  | { method: 'none' };

const PAYMENT_METHOD_TYPES = ['card', 'alipay', 'wechat_pay'];

/** A JSON-ready order (`id` instead of `_id`, private fields dropped), as every endpoint returns it. */
export function orderView(order: LeanOrder): Record<string, unknown> {
  return OrderModel.hydrate(order).toJSON() as Record<string, unknown>;
}

/** The SHA-256 of the request body in a fixed key order: the same order asked twice hashes the same. */
function requestHash(body: OrderCreateBody): string {
  const canonical = JSON.stringify([body.listingId.toLowerCase(), body.quantity, body.paymentMethod]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/**
 * What the entitlement will grant, fixed at ordering: downloads `DOWNLOAD_LIMIT` per licence;
 * API calls `quantity × API_CALLS_PER_UNIT` for per_call pricing, else `quantity × API_CALL_QUOTA`;
 * a subscription runs `periodDays × quantity` days (one_time and per_call do not end).
 */
function entitlementTerms(config: Config, listing: ListingRecord, quantity: number) {
  const { pricing, deliveryMode } = listing;
  return {
    downloadLimit: deliveryMode === 'download' ? config.DOWNLOAD_LIMIT * quantity : undefined,
    callQuota:
      deliveryMode === 'api'
        ? quantity * (pricing.model === 'per_call' ? config.API_CALLS_PER_UNIT : config.API_CALL_QUOTA)
        : undefined,
    validDays: pricing.model === 'subscription' && pricing.periodDays ? pricing.periodDays * quantity : undefined,
  };
}

async function nextOrderNumber(at: Date): Promise<string> {
  const year = shanghaiMonth(at).slice(0, 4);
  return `ORD-${year}-${String(await nextSequence(`order-${year}`)).padStart(6, '0')}`;
}

/**
 * POST /orders. The amount is priceFen × quantity from the listing (never from the client); the
 * listing must be purchasable and not the buyer's own. With an Idempotency-Key the same key and body
 * return the same order (`replayed`), the same key with another body is 409; the unique index on
 * (buyerUserId, idempotencyKey) makes concurrent identical requests create one order.
 */
export async function createOrder(
  deps: TradeDeps,
  p: Principal,
  body: OrderCreateBody,
  idempotencyKey?: string,
): Promise<{ order: Record<string, unknown>; payment: PaymentInstructions | null; replayed: boolean }> {
  const { config } = deps;
  const hash = requestHash(body);
  if (idempotencyKey) {
    const previous = await orderByKey(p.id, idempotencyKey);
    if (previous) return replay(deps, previous, hash);
  }

  const at = now();
  const ctx = await listingWithAuthorization(body.listingId);
  if (!ctx) throw notFound('Listing');
  const { listing, authorization } = ctx;
  if (String(listing.providerOrgId) === p.orgId) {
    throw new AppError('self-purchase', 403, "An organisation may not buy its own organisation's product");
  }
  const block = purchaseBlock(listing, authorization, at);
  if (block || !listing.code) throw unprocessable('listing-not-purchasable', block ?? 'The product is not listed');

  const amountFen = listing.pricing.priceFen * body.quantity;
  if (!Number.isSafeInteger(amountFen)) throw unprocessable('amount-too-large', 'The amount is too large');
  if (body.paymentMethod === 'stripe' && amountFen > 0) {
    requireStripe(config);
    if (amountFen > config.STRIPE_MAX_AMOUNT_FEN) {
      throw unprocessable(
        'amount-exceeds-stripe-maximum',
        `One Stripe payment carries at most ${config.STRIPE_MAX_AMOUNT_FEN} fen; pay this order by bank transfer`,
      );
    }
  }

  let order: OrderDoc;
  const _id = new Types.ObjectId();
  try {
    await enterAwaiting(
      { _id, buyerOrgId: new Types.ObjectId(p.orgId), providerOrgId: listing.providerOrgId, listingId: listing._id },
      at,
    );
    order = await OrderModel.create({
      _id,
      number: await nextOrderNumber(at),
      buyerOrgId: p.orgId,
      buyerUserId: p.id,
      providerOrgId: listing.providerOrgId,
      listingId: listing._id,
      listingCode: listing.code,
      authorizationId: listing.authorizationId,
      snapshot: {
        title: listing.title,
        productType: listing.productType,
        grade: listing.grade,
        deliveryMode: listing.deliveryMode,
        pricing: {
          model: listing.pricing.model,
          priceFen: listing.pricing.priceFen,
          unit: listing.pricing.unit,
          periodDays: listing.pricing.periodDays,
        },
      },
      quantity: body.quantity,
      terms: entitlementTerms(config, listing, body.quantity),
      amountFen,
      paymentMethod: body.paymentMethod,
      idempotencyKey: idempotencyKey ?? `auto:${crypto.randomUUID()}`,
      requestHash: hash,
    });
  } catch (err) {
    await leaveAwaiting(_id);
    // A concurrent request with the same key won: answer as its replay. (Not every engine says which
    // index a duplicate key hit, so look for the winner rather than at the error.)
    if (idempotencyKey && isDuplicateKey(err)) {
      const winner = await orderByKeyQuery(p.id, idempotencyKey);
      if (winner) return replay(deps, winner, hash);
    }
    throw err;
  }

  if (idempotencyKey) await rememberKey(p.id, idempotencyKey, order._id);
  await appendOrder(order, at);
  if (amountFen === 0) {
    // Nothing to pay: settled at once (and still exactly once in the ledger, with amount 0).
    await settle(order._id, { method: 'none', receivedFen: 0 }, deps.log);
  }
  if (amountFen > 0 && body.paymentMethod === 'bank_transfer') await events.transferToConfirm(order, deps.log); // issue 16
  const fresh = (await OrderModel.findById(order._id).lean<LeanOrder>())!;
  return { order: orderView(fresh), payment: await paymentInstructions(deps, fresh), replayed: false };
}

async function replay(deps: TradeDeps, order: LeanOrder, hash: string) {
  if (order.requestHash !== hash) {
    throw new AppError(
      'idempotency-key-reused',
      409,
      'This Idempotency-Key was used for a different request; use a new key for a new order',
    );
  }
  await appendOrder(order); // in case the first request died before it
  return { order: orderView(order), payment: await paymentInstructions(deps, order), replayed: true };
}

/**
 * How to pay a pending order (null once it is no longer pending). For Stripe, the PaymentIntent is
 * created on first need with the idempotency key `order-<id>`, so a retry after a crash between
 * creating it and storing its id gets the same PaymentIntent back.
 */
export async function paymentInstructions(deps: TradeDeps, order: LeanOrder): Promise<PaymentInstructions | null> {
  const { config } = deps;
  if (order.status !== 'pending_payment') return order.amountFen === 0 ? { method: 'none' } : null;
  if (order.paymentMethod === 'bank_transfer') {
    return {
      method: 'bank_transfer',
      reference: order.number,
      amountFen: order.amountFen,
      currency: 'cny',
      payee: { name: config.BANK_PAYEE_NAME, bank: config.BANK_PAYEE_BANK, account: config.BANK_PAYEE_ACCOUNT },
    };
  }
  const stripe = requireStripe(config);
  const intent = await ensurePaymentIntent(stripe, order).catch((err: unknown) => {
    throw err instanceof AppError ? err : stripeFailure(err);
  });
  if (!intent.client_secret) throw stripeFailure(new Error('no client secret'));
  return {
    method: 'stripe',
    paymentIntentId: intent.id,
    clientSecret: intent.client_secret,
    publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null,
    amountFen: order.amountFen,
    currency: 'cny',
    paymentMethodTypes: PAYMENT_METHOD_TYPES,
  };
}

async function ensurePaymentIntent(stripe: Stripe, order: LeanOrder): Promise<Stripe.PaymentIntent> {
  if (order.paymentIntentId) return stripe.paymentIntents.retrieve(order.paymentIntentId);
  const orderId = String(order._id);
  const intent = await stripe.paymentIntents.create(
    {
      amount: order.amountFen,
      currency: 'cny',
      payment_method_types: PAYMENT_METHOD_TYPES,
      payment_method_options: { wechat_pay: { client: 'web' } },
      description: `${order.number} ${order.listingCode} ${order.snapshot.title}`.slice(0, 350),
      metadata: { orderId, orderNumber: order.number, listingCode: order.listingCode },
    },
    { idempotencyKey: `order-${orderId}` },
  );
  await OrderModel.updateOne({ _id: order._id, paymentIntentId: null }, { $set: { paymentIntentId: intent.id } });
  return intent;
}

/** GET /orders/:id/payment: the payment instructions again (the buyer's organisation, pending orders). */
export async function orderPayment(deps: TradeDeps, p: Principal, id: string) {
  const order = await OrderModel.findById(id).lean<LeanOrder>();
  if (!order || !isOrderBuyer(p, order)) throw notFound('Order');
  const payment = await paymentInstructions(deps, order);
  if (!payment) throw conflict(`The order is ${order.status}; there is nothing to pay`);
  return { order: orderView(order), payment };
}

/** GET /orders: what the caller may see, newest first, filtered by status and listing. */
export async function listOrders(p: Principal, q: OrderQuery): Promise<Page<Record<string, unknown>>> {
  if (!(await hasIndexedQueries())) {
    const viaPaths = await listOrdersByPaths(p, q, orderView);
    if (viaPaths) return viaPaths;
  }
  const filter = {
    ...orderScope(p),
    ...(q.status ? { status: q.status } : {}),
    ...(q.listing ? { listingId: q.listing } : {}),
  };
  const [items, total] = await Promise.all([
    OrderModel.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<LeanOrder[]>(),
    OrderModel.countDocuments(filter),
  ]);
  return { items: items.map(orderView), total, page: q.page, pageSize: q.pageSize };
}

/** GET /orders/:id: 404 for anyone who may not see it; with the buyer's latest refund request (or null). */
export async function getOrder(p: Principal, id: string): Promise<Record<string, unknown>> {
  const order = await OrderModel.findById(id).lean<LeanOrder>();
  if (!order || !canSeeOrder(p, order)) throw notFound('Order');
  const current = order.status === 'pending_payment' ? ((await reconcileOrder(order._id)) ?? order) : order;
  return { ...orderView(current), refundRequest: await refundRequestOf(order._id) };
}

/**
 * POST /orders/:id/cancel: the buyer's organisation (or exchange staff) cancels an unpaid order.
 * A Stripe PaymentIntent is cancelled first, so a payment cannot complete afterwards; if Stripe
 * refuses because the payment already went through, the order stays and settles by its webhook.
 */
export async function cancelOrder(deps: TradeDeps, p: Principal, id: string): Promise<Record<string, unknown>> {
  const order = await OrderModel.findById(id).lean<LeanOrder>();
  if (!order || !canSeeOrder(p, order)) throw notFound('Order');
  if (!isOrderBuyer(p, order) && p.role !== 'exchange') throw forbidden("Only the buyer's organisation may cancel");
  if (order.status !== 'pending_payment')
    throw conflict(`The order is ${order.status}; only unpaid orders can be cancelled`);
  if (order.paymentIntentId) {
    const stripe = stripeClient(deps.config);
    if (stripe) {
      try {
        await stripe.paymentIntents.cancel(order.paymentIntentId, { cancellation_reason: 'requested_by_customer' });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'payment_intent_unexpected_state') {
          throw conflict('The payment is already being completed; the order cannot be cancelled');
        }
        throw stripeFailure(err);
      }
    }
  }
  const outcome = await cancelPending(order, { by: p.id, reason: 'Cancelled before payment' });
  if (outcome.kind !== 'cancelled') throw conflict(`The order is ${outcome.order.status} (it changed meanwhile)`);
  return orderView(outcome.order);
}

// ---------------------------------------------------------------------------------------------
// For other modules

/** An order as stored. */
export type OrderRecord = LeanOrder;
/** One order with the fields asked for (all when none are named); null when there is none. */
export const orderById = recordReader<OrderRecord>(OrderModel).byId;

/** The id of the order with this number, or null. */
export async function orderIdByNumber(number: string): Promise<string | null> {
  const o = await OrderModel.findOne({ number }, { _id: 1 }).lean();
  return o ? String(o._id) : null;
}
