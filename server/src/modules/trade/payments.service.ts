import type Stripe from 'stripe';
import type { ConfirmTransferBody } from '@zdec/shared';
import { now } from '../../platform/clock';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { OrderModel, type LeanOrder } from './order.model';
import { orderView, type TradeDeps } from './orders.service';
import { cancelPending, settle } from './settlement';
import { handledEventObject, stripeClient, stripeFailure, type WebhookPaymentIntent } from './stripe';
import { ProcessedStripeEventModel } from './stripe-event.model';
import { isDuplicateKey } from '../../platform/db';

/**
 * POST /orders/:id/confirm-transfer (对公转账): exchange staff record the bank's reference and the
 * amount received; it must equal the order's amount (422, nothing changes, otherwise). A buyer who
 * chose Stripe may still pay by transfer: the open PaymentIntent is then cancelled, and should it
 * succeed anyway the webhook flags the order as paid twice.
 */
export async function confirmTransfer(
  deps: TradeDeps,
  p: Principal,
  id: string,
  body: ConfirmTransferBody,
): Promise<Record<string, unknown>> {
  const order = await OrderModel.findById(id).lean<LeanOrder>();
  if (!order) throw notFound('Order');
  if (order.status !== 'pending_payment') throw conflict(`The order is ${order.status}, not awaiting payment`);
  if (body.amountFen !== order.amountFen) {
    throw new AppError(
      'amount-mismatch',
      422,
      `The amount received (${body.amountFen} fen) differs from the order amount (${order.amountFen} fen)`,
      { errors: [{ path: 'body.amountFen', message: `must equal the order amount ${order.amountFen}` }] },
    );
  }
  const outcome = await settle(
    order._id,
    { method: 'bank_transfer', receivedFen: body.amountFen, bankReference: body.bankReference, confirmedBy: p.id },
    deps.log,
  );
  if (outcome.kind === 'not-pending') throw conflict(`The order is ${outcome.order.status}, not awaiting payment`);
  if (outcome.kind === 'unavailable') {
    throw unprocessable(
      'listing-not-purchasable',
      `${outcome.reason}; the order cannot be settled. Return the transfer and cancel the order`,
    );
  }
  if (order.paymentIntentId) await cancelIntentQuietly(deps, order.paymentIntentId);
  return orderView(outcome.order);
}

async function cancelIntentQuietly(deps: TradeDeps, paymentIntentId: string): Promise<void> {
  const stripe = stripeClient(deps.config);
  if (!stripe) return;
  await stripe.paymentIntents.cancel(paymentIntentId).catch((err: unknown) => {
    deps.log?.warn({ err, paymentIntentId }, 'could not cancel the PaymentIntent of an order paid by transfer');
  });
}

/**
 * One verified Stripe event, handled at most once per event id. The handling itself only makes
 * conditional transitions, so even two deliveries of one event racing each other change nothing
 * twice; the event id is recorded after the handling succeeded, so a failure is retried by Stripe.
 */
export async function handleStripeEvent(deps: TradeDeps, event: Stripe.Event): Promise<{ outcome: string }> {
  if (await ProcessedStripeEventModel.exists({ _id: event.id })) return { outcome: 'duplicate' };
  let outcome = 'ignored';
  let orderId: string | undefined;
  const handled = handledEventObject(event); // 400 before anything is read when its object is malformed
  if (handled) {
    const { intent } = handled;
    orderId = intent.metadata?.orderId;
    const order =
      orderId && /^[a-f0-9]{24}$/.test(orderId) ? await OrderModel.findById(orderId).lean<LeanOrder>() : null;
    if (!order) outcome = 'unknown-order';
    else if (handled.type === 'payment_intent.succeeded') outcome = await paymentSucceeded(deps, event, intent, order);
    else outcome = await paymentFailed(event, intent, order);
  }
  try {
    await ProcessedStripeEventModel.create({ _id: event.id, type: event.type, orderId, outcome, processedAt: now() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  deps.log?.info({ eventId: event.id, type: event.type, orderId, outcome }, 'stripe event handled');
  return { outcome };
}

async function flag(order: LeanOrder, reason: string, detail: string, eventId: string): Promise<string> {
  const f = { reason, detail, eventId, at: now() };
  // Appended (a later flag never hides an earlier one); `flag` shows the latest.
  await OrderModel.updateOne({ _id: order._id }, { $push: { flags: f }, $set: { flag: f } });
  return `flagged:${reason}`;
}

async function paymentSucceeded(
  deps: TradeDeps,
  event: Stripe.Event,
  intent: WebhookPaymentIntent,
  order: LeanOrder,
): Promise<string> {
  const received = intent.amount_received || intent.amount;
  if (order.status !== 'pending_payment') {
    if (order.payment?.paymentIntentId === intent.id) return 'already-settled';
    return flag(
      order,
      'duplicate-payment',
      `PaymentIntent ${intent.id} succeeded (${received} ${intent.currency}) but the order is already ${order.status}; refund it at Stripe`,
      event.id,
    );
  }
  if (order.paymentIntentId && order.paymentIntentId !== intent.id) {
    return flag(order, 'payment-intent-mismatch', `PaymentIntent ${intent.id} is not the order's`, event.id);
  }
  if (intent.currency !== order.currency || received !== order.amountFen) {
    return flag(
      order,
      'amount-mismatch',
      `Stripe received ${received} ${intent.currency}; the order is ${order.amountFen} ${order.currency}`,
      event.id,
    );
  }

  const outcome = await settle(
    order._id,
    { method: 'stripe', receivedFen: received, paymentIntentId: intent.id, eventId: event.id },
    deps.log,
  );
  if (outcome.kind === 'settled') return 'settled';
  if (outcome.kind === 'not-pending') return paymentSucceeded(deps, event, intent, outcome.order);
  return refundUnavailable(deps, event, intent, order, outcome.reason);
}

/**
 * The buyer paid but the product may no longer be sold (suspended, or its authorization revoked
 * meanwhile): nothing is settled; the payment is refunded at Stripe at once and the order cancelled
 * and flagged, so no money is held for something that cannot be delivered.
 */
async function refundUnavailable(
  deps: TradeDeps,
  event: Stripe.Event,
  intent: WebhookPaymentIntent,
  order: LeanOrder,
  reason: string,
): Promise<string> {
  const stripe = stripeClient(deps.config);
  if (!stripe) throw new AppError('stripe-unavailable', 503, 'Stripe is not configured; cannot refund');
  const refund = await stripe.refunds
    .create(
      { payment_intent: intent.id, reason: 'requested_by_customer', metadata: { orderId: String(order._id) } },
      { idempotencyKey: `unavailable-${String(order._id)}` },
    )
    .catch((err: unknown) => {
      throw stripeFailure(err);
    });
  const at = now();
  await cancelPending(order, {
    reason,
    flag: { reason: 'listing-unavailable', detail: `${reason}; refunded at Stripe`, eventId: event.id, at },
    refund: {
      method: 'stripe',
      amountFen: intent.amount_received || intent.amount,
      reason,
      stripeRefundId: refund.id,
      at,
    },
  });
  return 'refunded-unavailable';
}

async function paymentFailed(event: Stripe.Event, intent: WebhookPaymentIntent, order: LeanOrder): Promise<string> {
  const error = intent.last_payment_error;
  const res = await OrderModel.updateOne(
    { _id: order._id, status: 'pending_payment' },
    {
      $set: {
        lastPaymentError: { code: error?.code ?? error?.type, message: error?.message, eventId: event.id, at: now() },
      },
    },
  );
  return res.modifiedCount ? 'payment-failed-recorded' : 'ignored-not-pending';
}
