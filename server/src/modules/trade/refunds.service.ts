import type { RefundBody } from '@zdec/shared';
import { now } from '../../platform/clock';
import { AppError, conflict, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { orderView, type TradeDeps } from './orders.service';
import { closeOnRefund } from './refund-requests.service';
import { reconcileOrder, recordRefund } from './settlement';
import { requireStripe, stripeFailure } from './stripe';

/**
 * POST /orders/:id/refund (exchange): refunds a settled order in full, by the way it was paid — a
 * Stripe refund through the API (idempotency key `refund-<orderId>`, so a retry after a failure
 * gets the same refund), or a bank refund recorded with its reference — then records it once with
 * its `trade.refunded` entry (−amount) (settlement.ts `recordRefund`); the entitlement is revoked.
 * A second refund is 409 and appends nothing. The buyer's open refund request, if any, is closed as refunded.
 */
export async function refundOrder(
  deps: TradeDeps,
  p: Principal,
  id: string,
  body: RefundBody,
): Promise<Record<string, unknown>> {
  const order = await reconcileOrder(id);
  if (!order) throw notFound('Order');
  if (order.status !== 'paid' && order.status !== 'delivered') {
    throw conflict(`The order is ${order.status}; only a settled order can be refunded`);
  }
  const method = order.payment?.method ?? order.paymentMethod;
  let stripeRefundId: string | undefined;
  if (method === 'stripe') {
    const paymentIntentId = order.payment?.paymentIntentId ?? order.paymentIntentId;
    if (!paymentIntentId) throw new AppError('no-payment-intent', 409, 'The order has no Stripe payment to refund');
    const refund = await requireStripe(deps.config)
      .refunds.create(
        {
          payment_intent: paymentIntentId,
          amount: order.amountFen,
          reason: 'requested_by_customer',
          metadata: { orderId: String(order._id), orderNumber: order.number },
        },
        { idempotencyKey: `refund-${String(order._id)}` },
      )
      .catch((err: unknown) => {
        throw stripeFailure(err);
      });
    stripeRefundId = refund.id;
  } else if (method === 'bank_transfer' && !body.bankReference) {
    throw new AppError('bank-reference-required', 422, 'Give the bank reference of the refund transfer', {
      errors: [{ path: 'body.bankReference', message: 'required for an order paid by bank transfer' }],
    });
  }

  const refunded = await recordRefund(
    order,
    {
      method,
      amountFen: order.amountFen,
      reason: body.reason,
      stripeRefundId,
      bankReference: method === 'bank_transfer' ? body.bankReference : undefined,
      by: p.id,
      at: now(),
    },
    deps.log,
  );
  await closeOnRefund(refunded._id, refunded.refund ?? {});
  return orderView(refunded);
}
