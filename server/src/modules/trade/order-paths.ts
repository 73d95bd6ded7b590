import { model, Schema, Types } from 'mongoose';
import type { OrderQuery, Page } from '@zdec/shared';
import { appendOnce, claimOnce, hasIndexedQueries, newestPage } from '../../platform/db';
import type { Principal } from '../../platform/http/auth';
import { listingById } from '../listings/listings.service';
import { OrderModel, type LeanOrder } from './order.model';

/**
 * The order lists' access paths, for engines where only `_id` reads are cheap (platform/db,
 * `hasIndexedQueries()` false); where filters and sorts are index-served the lists query instead.
 *
 * - Every order is a member of four append-only sequences, in the order orders were placed:
 *   `orders|all`, `orders|buyer:<org>`, `orders|provider:<org>`, `orders|listing:<listing>`. A page
 *   newest first is the head and a page of `_id` reads; the total is the head.
 * - The orders awaiting payment (what clearing staff confirm transfers for) are a small dedicated
 *   collection: an order enters before it is created and leaves when its resolution is applied,
 *   so reading all of it is cheap because it stays small.
 * Other filters (another status, a buyer's orders of one listing) fall back to the query.
 *
 * A crash between creating an order and appending it leaves it out of the sequences until the
 * same request is replayed with its Idempotency-Key (the replay appends again, once).
 */
const awaitingSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    buyerOrgId: { type: Schema.Types.ObjectId, required: true },
    providerOrgId: { type: Schema.Types.ObjectId, required: true },
    listingId: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
const AwaitingPaymentModel = model('OrderAwaitingPayment', awaitingSchema, 'orders_awaiting_payment');

type OrderKeys = Pick<LeanOrder, 'buyerOrgId' | 'providerOrgId' | 'listingId'> & { _id: Types.ObjectId };

function sequenceKeys(o: OrderKeys): string[] {
  return [
    'all',
    `buyer:${String(o.buyerOrgId)}`,
    `provider:${String(o.providerOrgId)}`,
    `listing:${String(o.listingId)}`,
  ];
}

/**
 * The order a buyer's Idempotency-Key created, under `_id` = `<buyerUserId>:<key>`, so that a replay
 * finds it by `_id` rather than by a scan of the orders. Written after the order: the orders' unique
 * (buyerUserId, idempotencyKey) index decides which request created it, and a key left unwritten
 * (a crash in between) is found by the query the duplicate-key path runs, which writes it then.
 */
const keySchema = new Schema(
  { _id: { type: String, required: true }, orderId: { type: Schema.Types.ObjectId, required: true } },
  { versionKey: false },
);
const OrderKeyModel = model('OrderIdempotencyKey', keySchema, 'order_keys');
const keyId = (buyerUserId: string, key: string) => `${buyerUserId}:${key}`;

/** The order this buyer's Idempotency-Key created, if any: the unique index where it serves the query, else the key's `_id`. */
export async function orderByKey(buyerUserId: string, key: string): Promise<LeanOrder | null> {
  if (await hasIndexedQueries()) return orderByKeyQuery(buyerUserId, key);
  const k = await OrderKeyModel.findById(keyId(buyerUserId, key)).lean();
  return k ? OrderModel.findById(k.orderId).lean<LeanOrder>() : null;
}

/** The same by the query (the duplicate-key path: a concurrent request won, or its key was not written); records the key. */
export async function orderByKeyQuery(buyerUserId: string, key: string): Promise<LeanOrder | null> {
  const order = await OrderModel.findOne({ buyerUserId, idempotencyKey: key }).lean<LeanOrder>();
  if (order) await rememberKey(buyerUserId, key, order._id);
  return order;
}

/** After an order was created with a buyer's Idempotency-Key: the key's `_id` lookup (idempotent). */
export async function rememberKey(buyerUserId: string, key: string, orderId: Types.ObjectId): Promise<void> {
  if (await hasIndexedQueries()) return;
  await claimOnce(OrderKeyModel, { _id: keyId(buyerUserId, key), orderId });
}

/** Before an order is created: it awaits payment from now on (its `_id` chosen by the caller). */
export async function enterAwaiting(o: OrderKeys, createdAt: Date): Promise<void> {
  await AwaitingPaymentModel.create({ ...pickKeys(o), createdAt });
}

/** Its resolution (settled or cancelled) was applied: it no longer awaits payment. Idempotent. */
export async function leaveAwaiting(orderId: unknown): Promise<void> {
  await AwaitingPaymentModel.deleteOne({ _id: orderId });
}

/** After an order was created (or replayed): its place in every list. Idempotent. */
export async function appendOrder(o: OrderKeys, createdAt?: Date): Promise<void> {
  await Promise.all(sequenceKeys(o).map((k) => appendOnce('orders', k, String(o._id), createdAt)));
}

function pickKeys(o: OrderKeys) {
  return { _id: o._id, buyerOrgId: o.buyerOrgId, providerOrgId: o.providerOrgId, listingId: o.listingId };
}

async function ordersByIds(ids: unknown[]): Promise<LeanOrder[]> {
  const found = await Promise.all(ids.map((id) => OrderModel.findById(id).lean<LeanOrder>()));
  return found.filter((o): o is LeanOrder => o !== null);
}

/**
 * The scope's sequence key; null when this caller's list is not one sequence, '' when it is
 * empty (a provider asking for another organisation's listing).
 */
async function scopeKey(p: Principal, q: OrderQuery): Promise<string | null> {
  const all = p.role === 'exchange' || p.role === 'regulator';
  if (q.listing && p.role === 'provider') {
    const listing = await listingById(q.listing, ['providerOrgId']);
    return listing && String(listing.providerOrgId) === p.orgId ? `listing:${q.listing}` : '';
  }
  if (q.listing) return all ? `listing:${q.listing}` : null;
  if (all) return 'all';
  if (p.role === 'buyer') return `buyer:${p.orgId}`;
  if (p.role === 'provider') return `provider:${p.orgId}`;
  return null;
}

/**
 * GET /orders through the access paths, or null when this query has none (the caller queries).
 * Same result as the query: newest first (`createdAt`, then `_id`), the same scope and filters.
 */
export async function listOrdersByPaths(
  p: Principal,
  q: OrderQuery,
  view: (o: LeanOrder) => Record<string, unknown>,
): Promise<Page<Record<string, unknown>> | null> {
  const key = await scopeKey(p, q);
  if (key === null) return null;
  if (key === '') return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const skip = (q.page - 1) * q.pageSize;
  const inScope = (o: LeanOrder) =>
    (p.role !== 'provider' || String(o.providerOrgId) === p.orgId) &&
    (p.role !== 'buyer' || String(o.buyerOrgId) === p.orgId);

  if (q.status === 'pending_payment') {
    const filter: Record<string, unknown> = {};
    if (p.role === 'buyer') filter.buyerOrgId = new Types.ObjectId(p.orgId);
    if (p.role === 'provider') filter.providerOrgId = new Types.ObjectId(p.orgId);
    if (q.listing) filter.listingId = new Types.ObjectId(q.listing);
    const all = (await AwaitingPaymentModel.find().lean()).filter((a) =>
      Object.entries(filter).every(([f, v]) => String((a as Record<string, unknown>)[f]) === String(v)),
    );
    all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (String(b._id) < String(a._id) ? -1 : 1));
    const slice = all.slice(skip, skip + q.pageSize);
    const page = await ordersByIds(slice.map((a) => a._id));
    // An entry whose order never came to be (its creation failed in a crash) is cleared once it is old.
    const present = new Set(page.map((o) => String(o._id)));
    const stale = slice.filter((a) => !present.has(String(a._id)) && Date.now() - a.createdAt.getTime() > 60_000);
    await Promise.all(stale.map((a) => leaveAwaiting(a._id)));
    const items = page.filter((o) => o.status === 'pending_payment' && inScope(o));
    return { items: items.map(view), total: all.length, page: q.page, pageSize: q.pageSize };
  }
  if (q.status) return null;

  const { total, items } = await newestPage('orders', key, skip, q.pageSize);
  const orders = (await ordersByIds(items.map((m) => new Types.ObjectId(m.ref)))).filter(inScope);
  return { items: orders.map(view), total, page: q.page, pageSize: q.pageSize };
}
