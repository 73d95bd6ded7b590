import type { Types } from 'mongoose';
import type { Page, RefundDeclineBody, RefundRequestBody, RefundRequestQuery } from '@zdec/shared';
import { now } from '../../platform/clock';
import { appendOnce, claimOnce, newestPage } from '../../platform/db';
import { conflict, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import type { Logger } from '../../platform/logger';
import { events } from '../notifications/notifications.events';
import { OrderModel, type LeanOrder } from './order.model';
import {
  OpenRefundRequestModel,
  RefundRequestDecisionModel,
  RefundRequestModel,
  refundRequestId,
  type OpenRefundRequest,
  type RefundRequest,
  type RefundRequestDecision,
} from './refund-request.model';
import { reconcileOrder } from './settlement';
import { canSeeOrder } from './trade.policy';

type LeanRequest = RefundRequest & { _id: string };
type LeanDecision = RefundRequestDecision & { _id: string };

export interface RefundRequestView {
  id: string;
  orderId: string;
  round: number;
  status: string;
  reason: string;
  at: Date;
  buyerOrgId: string;
  by: string;
  decision?: { kind: string; reason: string; by: string; at: Date };
}

/** What the clearing desk needs of the order beside the request. */
export interface RefundQueueItem extends RefundRequestView {
  order: {
    id: string;
    number: string;
    title: string;
    listingCode: string;
    amountFen: number;
    paymentMethod: string;
    status: string;
  };
}

const SETTLED = ['paid', 'delivered'];
/** How often a buyer's request is retried when a concurrent one took the round it chose. */
const MAX_ROUND_ATTEMPTS = 5;

function view(r: LeanRequest): RefundRequestView {
  return {
    id: r._id,
    orderId: String(r.orderId),
    round: r.round,
    status: r.status,
    reason: r.reason,
    at: r.at,
    buyerOrgId: String(r.buyerOrgId),
    by: String(r.by),
    ...(r.decision
      ? {
          decision: {
            kind: r.decision.kind,
            reason: r.decision.reason ?? '',
            by: String(r.decision.by),
            at: r.decision.at,
          },
        }
      : {}),
  };
}

function orderSummary(o: LeanOrder): RefundQueueItem['order'] {
  return {
    id: String(o._id),
    number: o.number,
    title: o.snapshot.title,
    listingCode: o.listingCode,
    amountFen: o.amountFen,
    paymentMethod: o.paymentMethod,
    status: o.status,
  };
}

const requestFieldsOf = (slot: OpenRefundRequest) => ({
  orderId: slot.orderId,
  round: slot.round,
  buyerOrgId: slot.buyerOrgId,
  providerOrgId: slot.providerOrgId,
  by: slot.by,
  reason: slot.reason,
  at: slot.at,
});

/**
 * The history document of an open request (written right after its claim; rebuilt from the claim,
 * which holds the same fields, when a crash came between). Null when the round's id is held by
 * another request: a concurrent buyer's round was decided in between, so this claim chose a stale round.
 */
async function ensureRequest(slot: OpenRefundRequest): Promise<LeanRequest | null> {
  const doc = { _id: slot.requestId, ...requestFieldsOf(slot), status: 'open' };
  const created = await claimOnce<LeanRequest>(RefundRequestModel, doc);
  if (created) return created;
  const existing = await RefundRequestModel.findById(slot.requestId).lean<LeanRequest>();
  if (!existing) return null;
  const same = String(existing.by) === String(slot.by) && existing.at.getTime() === slot.at.getTime();
  return same ? existing : null;
}

/** The order's requests by round (`_id` reads, 1, 2, … until one is missing); the latest, or null. */
async function latestRequest(orderId: Types.ObjectId | string): Promise<LeanRequest | null> {
  let latest: LeanRequest | null = null;
  for (let round = 1; ; round++) {
    const r = await RefundRequestModel.findById(refundRequestId(orderId, round)).lean<LeanRequest>();
    if (!r) return latest;
    latest = r;
  }
}

/**
 * Brings the request and the open claim in line with a decision (idempotent: every writer projects
 * the same decision). Only the claim of this very request is removed, never a later round's.
 */
async function project(orderId: unknown, d: LeanDecision): Promise<LeanRequest | null> {
  const decision = { kind: d.kind, reason: d.reason ?? '', by: d.by, at: d.at };
  await RefundRequestModel.updateOne({ _id: d._id }, { $set: { status: d.kind, decision } });
  await OpenRefundRequestModel.deleteOne({ _id: orderId, requestId: d._id });
  return RefundRequestModel.findById(d._id).lean<LeanRequest>();
}

/** Decides the open request once; null when a decision was there first (it is projected then). */
async function decide(
  slot: OpenRefundRequest,
  decision: { kind: 'refunded' | 'declined'; reason: string; by: string; at: Date },
): Promise<{ won: boolean; request: LeanRequest | null; decision: LeanDecision }> {
  await ensureRequest(slot);
  const won = await claimOnce<LeanDecision>(RefundRequestDecisionModel, { ...decision, _id: slot.requestId });
  const d = won ?? (await RefundRequestDecisionModel.findById(slot.requestId).lean<LeanDecision>())!;
  return { won: !!won, request: await project(slot._id, d), decision: d };
}

/**
 * POST /orders/:id/refund-request (the buyer's organisation): asks for a refund of a settled order,
 * with a reason. At most one request of an order is open: the open claim is a unique-key insert, so
 * a second request (or two racing ones) is 409. A declined request may be followed by a new one.
 * Clearing staff are notified.
 */
export async function requestRefund(
  p: Principal,
  orderId: string,
  body: RefundRequestBody,
  log?: Logger,
): Promise<RefundRequestView> {
  const seen = await OrderModel.findById(orderId, { buyerOrgId: 1, providerOrgId: 1 }).lean();
  if (!seen || !canSeeOrder(p, seen)) throw notFound('Order');
  const order = (await reconcileOrder(orderId))!;
  if (!SETTLED.includes(order.status)) {
    throw conflict(`The order is ${order.status}; only a settled order can be refunded`, { status: order.status });
  }
  for (let attempt = 0; attempt < MAX_ROUND_ATTEMPTS; attempt++) {
    const open = await OpenRefundRequestModel.findById(order._id, { requestId: 1 }).lean();
    if (open) throw conflict('The order already has an open refund request', { requestId: open.requestId });
    const round = ((await latestRequest(order._id))?.round ?? 0) + 1;
    const slot = await claimOnce<OpenRefundRequest>(OpenRefundRequestModel, {
      _id: order._id,
      requestId: refundRequestId(order._id, round),
      orderId: order._id,
      round,
      buyerOrgId: order.buyerOrgId,
      providerOrgId: order.providerOrgId,
      by: p.id,
      reason: body.reason,
      at: now(),
    });
    if (!slot) continue; // a concurrent request claimed it first: the next look finds it open
    const request = await ensureRequest(slot);
    if (!request) {
      await OpenRefundRequestModel.deleteOne({ _id: order._id, requestId: slot.requestId });
      continue;
    }
    await appendOnce('refund-requests', 'all', request._id, request.at);
    await events.refundRequested(order, request, log);
    return view(request);
  }
  throw conflict('The refund request could not be filed now; try again');
}

/**
 * POST /orders/:id/refund-request/decline (clearing staff): declines the open request with reasons,
 * once (the decision is a unique-key insert; a refund that decided first makes this 409). The
 * buyer's organisation is notified.
 */
export async function declineRefundRequest(
  p: Principal,
  orderId: string,
  body: RefundDeclineBody,
  log?: Logger,
): Promise<RefundRequestView> {
  const order = await OrderModel.findById(orderId).lean<LeanOrder>();
  if (!order || !canSeeOrder(p, order)) throw notFound('Order');
  const slot = await OpenRefundRequestModel.findById(order._id).lean<OpenRefundRequest>();
  if (!slot) throw conflict('The order has no open refund request');
  const outcome = await decide(slot, { kind: 'declined', reason: body.reason, by: p.id, at: now() });
  if (!outcome.won) throw conflict(`The refund request was already decided (${outcome.decision.kind})`);
  const request = outcome.request!;
  await events.refundDeclined(order, request, log);
  return view(request);
}

/**
 * After an order was refunded (POST /orders/:id/refund): its open request, if any, is closed as
 * refunded, unless a decline decided it first. Idempotent.
 */
export async function closeOnRefund(
  orderId: Types.ObjectId | string,
  refund: { by?: unknown; reason?: string; at?: Date | null },
): Promise<void> {
  const slot = await OpenRefundRequestModel.findById(orderId).lean<OpenRefundRequest>();
  if (!slot) return;
  await decide(slot, {
    kind: 'refunded',
    reason: refund.reason ?? '',
    by: String(refund.by ?? slot.by),
    at: refund.at ?? now(),
  });
}

/** The order's latest refund request (open or decided), for the order's page; null when none. */
export async function refundRequestOf(orderId: Types.ObjectId | string): Promise<RefundRequestView | null> {
  const latest = await latestRequest(orderId);
  return latest ? view(latest) : null;
}

/**
 * GET /refund-requests (clearing staff, regulators). `open`: the clearing desk's queue, newest
 * first, from the small collection of open claims (read whole: it only holds what waits); a request
 * left open on an order refunded meanwhile is closed on the way. `all`: every request, newest first,
 * from its append-only sequence (the head and a page of `_id` reads).
 */
export async function listRefundRequests(q: RefundRequestQuery): Promise<Page<RefundQueueItem>> {
  const skip = (q.page - 1) * q.pageSize;
  const items: RefundQueueItem[] = [];
  if (q.status === 'all') {
    const { total, items: members } = await newestPage('refund-requests', 'all', skip, q.pageSize);
    for (const m of members) {
      const r = await RefundRequestModel.findById(m.ref).lean<LeanRequest>();
      const o = r && (await OrderModel.findById(r.orderId).lean<LeanOrder>());
      if (r && o) items.push({ ...view(r), order: orderSummary(o) });
    }
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
  const open = await OpenRefundRequestModel.find().lean<OpenRefundRequest[]>();
  open.sort((a, b) => b.at.getTime() - a.at.getTime() || (String(b._id) < String(a._id) ? -1 : 1));
  let total = open.length;
  for (const slot of open.slice(skip, skip + q.pageSize)) {
    const o = await OrderModel.findById(slot._id).lean<LeanOrder>();
    if (o && !SETTLED.includes(o.status)) {
      if (o.status === 'refunded') await closeOnRefund(o._id, { ...o.refund, at: o.refundedAt });
      total--;
      continue;
    }
    const r = await ensureRequest(slot);
    if (o && r) items.push({ ...view(r), order: orderSummary(o) });
  }
  return { items, total, page: q.page, pageSize: q.pageSize };
}
