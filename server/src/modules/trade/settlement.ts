import type { Types } from 'mongoose';
import { now } from '../../platform/clock';
import { appendOnce, claimOnce, compareAndSet, hasIndexedQueries, headOf } from '../../platform/db';
import { AppError, conflict, notFound } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { AppendInput } from '../ledger/ledger.service';
import { flushOutbox, markPending, outboxPush, registerOutbox, storedId } from '../ledger/outbox';
import { recordSettled } from '../listings/listings.service';
import { grantEntitlement, revokeEntitlement } from '../delivery/delivery.service';
import { listingWithAuthorization } from './listing-context';
import { OrderModel, type LeanOrder } from './order.model';
import { leaveAwaiting } from './order-paths';
import { OrderTransitionModel, refundKey, resolutionKey, type LeanTransition } from './order-transition.model';
import { purchaseBlock } from '../listings/listing.policy';

/** How an order was paid, as the settling path recorded it. */
export interface PaymentRecord {
  method: 'stripe' | 'bank_transfer' | 'none';
  receivedFen: number;
  paymentIntentId?: string;
  eventId?: string;
  bankReference?: string;
  confirmedBy?: string;
}

export interface RefundRecord {
  method: 'stripe' | 'bank_transfer' | 'none';
  amountFen: number;
  reason: string;
  stripeRefundId?: string;
  bankReference?: string;
  by?: string;
  at: Date;
}

export type SettleOutcome =
  | { kind: 'settled'; order: LeanOrder }
  /** Someone else settled or cancelled it first (or it was never pending). */
  | { kind: 'not-pending'; order: LeanOrder }
  /** The listing is not listed or its authorization is not usable: nothing was settled. */
  | { kind: 'unavailable'; order: LeanOrder; reason: string };

/** The ledger event of a trade (settled: +amount, refunded: −amount), with everything the audit reads. */
export function tradeEntry(order: LeanOrder, type: 'trade.settled' | 'trade.refunded', at: Date): AppendInput {
  const orderId = String(order._id);
  return {
    type,
    ref: orderId,
    amountFen: type === 'trade.settled' || order.amountFen === 0 ? order.amountFen : -order.amountFen,
    grade: order.snapshot.grade,
    orderId,
    listingId: String(order.listingId),
    listingCode: order.listingCode,
    authorizationId: order.authorizationId ? String(order.authorizationId) : undefined,
    orgIds: [String(order.buyerOrgId), String(order.providerOrgId)],
    at,
  };
}

const fresh = async (orderId: unknown) => (await OrderModel.findById(orderId).lean<LeanOrder>())!;

/**
 * Inserts a transition (claim collection 1 of platform/db): `_id` is its key, so every later read
 * of it is an `_id` lookup. Null when one with the same key exists (someone else won).
 */
async function insertTransition(
  fields: Record<string, unknown> & { key: string },
  ledgerEntry?: AppendInput,
): Promise<LeanTransition | null> {
  if (ledgerEntry) await markPending(OrderTransitionModel, fields.key);
  return claimOnce<LeanTransition>(OrderTransitionModel, {
    _id: fields.key,
    ...fields,
    outbox: ledgerEntry ? [outboxPush(ledgerEntry).$push.outbox] : [],
  });
}

/** The transition with this key: by `_id`; `orElseByKey` also finds one written before `_id` was the key. */
async function findTransition(key: string, orElseByKey = false): Promise<LeanTransition | null> {
  const t = await OrderTransitionModel.findById(key).lean<LeanTransition>();
  return t ?? (orElseByKey ? OrderTransitionModel.findOne({ key }).lean<LeanTransition>() : null);
}

/**
 * Projects a transition onto its order; conditional and idempotent, so it may run any number of
 * times. The transition (a unique claim) has decided; compare-and-set only brings the order in line.
 */
async function applyTransition(t: LeanTransition): Promise<void> {
  if (t.kind !== 'refunded') await leaveAwaiting(t.orderId);
  if (t.kind === 'settled') {
    await compareAndSet(OrderModel, t.orderId, 'status', ['pending_payment'], {
      status: 'paid',
      paidAt: t.at,
      payment: t.payment,
    });
  } else if (t.kind === 'cancelled') {
    const won = await compareAndSet(OrderModel, t.orderId, 'status', ['pending_payment'], {
      status: 'cancelled',
      cancelledAt: t.at,
      ...(t.by ? { cancelledBy: t.by } : {}),
      ...(t.flag ? { flag: t.flag } : {}),
      ...(t.refund ? { refund: t.refund } : {}),
    });
    // Flags are append-only (every one kept, oldest first); only the projection that won adds this one.
    if (won && t.flag) await OrderModel.updateOne({ _id: t.orderId }, { $push: { flags: t.flag } });
  } else {
    await compareAndSet(OrderModel, t.orderId, 'status', ['paid', 'delivered'], {
      status: 'refunded',
      refundedAt: t.at,
      refund: t.refund,
    });
  }
}

/**
 * Brings an order's status in line with its transitions (after a crash between a transition and
 * its projection). Returns the order as it now is.
 */
export async function reconcileOrder(orderId: Types.ObjectId | string): Promise<LeanOrder | null> {
  const [order, refund] = await Promise.all([
    findTransition(resolutionKey(orderId)),
    findTransition(refundKey(orderId)),
  ]);
  if (order) await applyTransition(order);
  if (refund) await applyTransition(refund);
  return OrderModel.findById(orderId).lean<LeanOrder>();
}

function samePayment(a: PaymentRecord | undefined, b: PaymentRecord): boolean {
  if (!a || a.method !== b.method) return false;
  if (a.method === 'stripe') return a.paymentIntentId === b.paymentIntentId;
  if (a.method === 'bank_transfer') return a.bankReference === b.bankReference;
  return true;
}

/**
 * Settles an order exactly once, whichever path gets there first (the Stripe webhook, a bank
 * transfer confirmation, a free order): re-checks that the listing may still be sold, then inserts
 * the order's resolution (unique key) together with its `trade.settled` ledger event in one write:
 * the one atomic step, so racing settlers cannot both win, on every engine. The order
 * becomes `paid`; the ledger append, the entitlement and `delivered` follow in the outbox step. If
 * that step fails (a crash, the database gone for a moment) the settlement is durable and the sweep
 * completes it, so the failure is logged rather than reported to a caller whose payment went through.
 * A repeat of the same payment (a retried request) completes the same settlement.
 */
export async function settle(
  orderId: Types.ObjectId | string,
  payment: PaymentRecord,
  log?: Logger,
): Promise<SettleOutcome> {
  const order = await OrderModel.findById(orderId).lean<LeanOrder>();
  if (!order) throw notFound('Order');
  if (order.status !== 'pending_payment') return { kind: 'not-pending', order };

  const at = now();
  const ctx = await listingWithAuthorization(order.listingId);
  const block = ctx ? purchaseBlock(ctx.listing, ctx.authorization, at) : 'The product no longer exists';
  if (block) return { kind: 'unavailable', order, reason: block };

  let t = await insertTransition(
    { key: resolutionKey(order._id), orderId: order._id, listingId: order.listingId, kind: 'settled', at, payment },
    tradeEntry(order, 'trade.settled', at),
  );
  if (!t) {
    const existing = (await findTransition(resolutionKey(order._id), true))!;
    await applyTransition(existing);
    if (existing.kind !== 'settled' || !samePayment(existing.payment as PaymentRecord, payment)) {
      return { kind: 'not-pending', order: await fresh(order._id) };
    }
    t = existing;
  }
  await applyTransition(t);
  await completeOutbox(t._id, log);
  return { kind: 'settled', order: await fresh(order._id) };
}

/**
 * Cancels a pending order once (the same resolution key as settlement, so a cancel and a payment
 * racing each other cannot both win). `refund` and `flag` record an automatic Stripe refund.
 */
export async function cancelPending(
  order: LeanOrder,
  opts: { by?: string; reason: string; flag?: Record<string, unknown>; refund?: RefundRecord },
): Promise<{ kind: 'cancelled' | 'not-pending'; order: LeanOrder }> {
  const at = now();
  const t = await insertTransition({
    key: resolutionKey(order._id),
    orderId: order._id,
    listingId: order.listingId,
    kind: 'cancelled',
    at,
    ...opts,
  });
  const winner = t ?? (await findTransition(resolutionKey(order._id), true))!;
  await applyTransition(winner);
  return { kind: winner.kind === 'cancelled' && t ? 'cancelled' : 'not-pending', order: await fresh(order._id) };
}

/**
 * Records the refund of a settled order once (unique key `<orderId>:refund`) together with its
 * `trade.refunded` ledger event (−amount); the outbox step revokes the entitlement. The settlement's
 * own outbox is completed first, so trade.refunded always follows trade.settled in the ledger.
 */
export async function recordRefund(order: LeanOrder, refund: RefundRecord, log?: Logger): Promise<LeanOrder> {
  const resolution = await findTransition(resolutionKey(order._id), order.status !== 'pending_payment');
  if (!resolution || resolution.kind !== 'settled') throw conflict('The order was never settled');
  await flushOutbox(OrderTransitionModel, resolution._id).catch((err: unknown) => {
    throw new AppError('settlement-incomplete', 503, 'The settlement is still being recorded; try again shortly', {
      cause: err,
    });
  });
  const t = await insertTransition(
    {
      key: refundKey(order._id),
      orderId: order._id,
      listingId: order.listingId,
      kind: 'refunded',
      at: refund.at,
      refund,
    },
    tradeEntry(order, 'trade.refunded', refund.at),
  );
  if (!t) {
    await reconcileOrder(order._id);
    throw conflict('The order has already been refunded');
  }
  await applyTransition(t);
  await completeOutbox(t._id, log);
  return fresh(order._id);
}

/** Runs a transition's outbox now; a failure is left to the sweep (the transition is already durable). */
async function completeOutbox(transitionId: LeanTransition['_id'], log?: Logger): Promise<void> {
  try {
    await flushOutbox(OrderTransitionModel, transitionId);
  } catch (err) {
    log?.error({ err, transitionId: String(transitionId) }, 'order outbox not completed now; the sweep will finish it');
  }
}

/**
 * Brings the listing's settledCount (the `popular` sort key) up to the number of its settled
 * orders. Derived rather than `$inc`ed, so re-running never counts twice and a lost update is
 * repaired by the next settlement; it only ever moves up. The settled orders of a listing are an
 * append-only sequence (`listing-settled|<listingId>`, each order once), whose head is the count
 * without a scan; where counts are index-served, the transitions are counted instead.
 */
async function syncSettledCount(listingId: Types.ObjectId, orderId: Types.ObjectId): Promise<void> {
  await appendOnce('listing-settled', String(listingId), String(orderId));
  const count = (await hasIndexedQueries())
    ? await OrderTransitionModel.countDocuments({ listingId, kind: 'settled' })
    : await headOf('listing-settled', String(listingId));
  await recordSettled(listingId, count);
}

/**
 * The outbox step of a transition, after its ledger entry is in: apply it to the order; on
 * settlement grant the entitlement, update the listing's settledCount and mark the order
 * delivered; on refund revoke the entitlement. Every part is idempotent, so the sweep may re-run it.
 */
registerOutbox(
  OrderTransitionModel,
  {
    async afterAppend(transitionId) {
      const t = await OrderTransitionModel.findById(storedId(transitionId)).lean<LeanTransition>();
      if (!t) return;
      await applyTransition(t);
      if (t.kind === 'settled') {
        const order = await fresh(t.orderId);
        await grantEntitlement(order, t.at);
        await syncSettledCount(t.listingId, t.orderId);
        await compareAndSet(OrderModel, t.orderId, 'status', ['paid'], { status: 'delivered', deliveredAt: now() });
      } else if (t.kind === 'refunded') {
        await revokeEntitlement(t.orderId, { reason: 'Order refunded' });
      }
    },
  },
  { marked: true },
);

/**
 * Completes the settlement step of a paid order whose outbox step has not run yet (a crash before
 * it): the ledger entry, the entitlement and `delivered`. Does nothing for an order not settled.
 */
export async function completeSettlement(orderId: Types.ObjectId): Promise<void> {
  const settled =
    (await OrderTransitionModel.findById(resolutionKey(orderId), { _id: 1, kind: 1 }).lean()) ??
    (await OrderTransitionModel.findOne({ orderId, kind: 'settled' }, { _id: 1, kind: 1 }).lean());
  if (settled?.kind === 'settled') await flushOutbox(OrderTransitionModel, settled._id);
}
