import supertest from 'supertest';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { OrderModel } from '../../server/src/modules/trade/order.model';
import { useTestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import { boughtByTransfer, makeMarket, makeProduct, newKey, order, type Market } from './fixtures';

const t = useTestApp();
let m: Market;

beforeAll(async () => {
  m = await makeMarket(t.config);
});

describe('ordering', () => {
  it('when a buyer orders, then the server computes the amount and snapshots the listing', async () => {
    const { listing, authorization } = await makeProduct(m.provider, {
      pricingModel: 'subscription',
      priceFen: 99_900,
      periodDays: 30,
    });
    const res = await order(t, m.buyer, { listingId: listing.id, quantity: 12 });
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({
      status: 'pending_payment',
      quantity: 12,
      amountFen: 1_198_800,
      currency: 'cny',
      paymentMethod: 'bank_transfer',
      listingId: listing.id,
      listingCode: listing.code,
      authorizationId: authorization!.id,
      buyerOrgId: m.buyer.org.id,
      providerOrgId: m.provider.org.id,
      snapshot: {
        title: listing.title,
        grade: 'general',
        deliveryMode: 'download',
        pricing: { model: 'subscription', priceFen: 99_900, periodDays: 30 },
      },
      terms: { downloadLimit: t.config.DOWNLOAD_LIMIT * 12, validDays: 360 },
    });
    expect(res.body.order.requestHash).toBeUndefined();
    expect(res.body.order.idempotencyKey).toBeUndefined();
    expect(await OrderModel.countDocuments({ _id: res.body.order.id, amountFen: 1_198_800 })).toBe(1);
  });

  it('when the client sends an amount, an unknown field or an operator, then 400 and no order', async () => {
    const { listing } = await makeProduct(m.provider);
    const before = await OrderModel.countDocuments();
    const withAmount = await t.http
      .post('/api/v1/orders')
      .set('Authorization', m.buyer.auth)
      .send({ listingId: listing.id, quantity: 1, paymentMethod: 'bank_transfer', amountFen: 1 });
    expect(withAmount.status).toBe(400);
    expect(withAmount.body.errors[0].path).toMatch(/body/);
    const injected = await t.http
      .post('/api/v1/orders')
      .set('Authorization', m.buyer.auth)
      .send({ listingId: { $gt: '' }, quantity: 1, paymentMethod: 'bank_transfer' });
    expect(injected.status).toBe(400);
    const badQuantity = await order(t, m.buyer, { listingId: listing.id, quantity: 0 });
    expect(badQuantity.status).toBe(422);
    const badKey = await order(t, m.buyer, { listingId: listing.id }, 'short');
    expect(badKey.status).toBe(400);
    expect(await OrderModel.countDocuments()).toBe(before);
  });

  it("when a provider's organisation tries to buy its own listing, then 403 and no order", async () => {
    const { listing } = await makeProduct(m.provider);
    const colleague = await makeActor(t.config, 'buyer', { org: m.provider.org });
    const res = await order(t, colleague, { listingId: listing.id });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/self-purchase/);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(0);
    const asProvider = await order(t, m.provider, { listingId: listing.id });
    expect(asProvider.status).toBe(403);
  });

  it('when the listing is suspended, not yet listed or its authorization is not active, then ordering is refused', async () => {
    const suspended = await makeProduct(m.provider, { status: 'suspended' });
    const res = await order(t, m.buyer, { listingId: suspended.listing.id });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/listing-not-purchasable/);
    expect(res.body.detail).toMatch(/suspended/);

    const draft = await makeProduct(m.provider, { status: 'pending_review' });
    expect((await order(t, m.buyer, { listingId: draft.listing.id })).status).toBe(422);

    const revoked = await makeProduct(m.provider);
    await AuthorizationModel.updateOne({ _id: revoked.authorization!._id }, { $set: { status: 'revoked' } });
    const r2 = await order(t, m.buyer, { listingId: revoked.listing.id });
    expect(r2.status).toBe(422);
    expect(r2.body.detail).toMatch(/revoked/);

    const expired = await makeProduct(m.provider);
    await AuthorizationModel.updateOne(
      { _id: expired.authorization!._id },
      { $set: { validTo: new Date(Date.now() - 1000) } },
    );
    const r3 = await order(t, m.buyer, { listingId: expired.listing.id });
    expect(r3.status).toBe(422);
    expect(r3.body.detail).toMatch(/expired/);

    const missing = await order(t, m.buyer, { listingId: '0123456789abcdef01234567' });
    expect(missing.status).toBe(404);
    expect(
      await OrderModel.countDocuments({
        listingId: { $in: [suspended.listing._id, draft.listing._id, revoked.listing._id, expired.listing._id] },
      }),
    ).toBe(0);
  });

  it('when a product of the provider’s own data (no authorization) is ordered, then it is purchasable', async () => {
    const { listing } = await makeProduct(m.provider, { authorized: false });
    const res = await order(t, m.buyer, { listingId: listing.id });
    expect(res.status).toBe(201);
    expect(res.body.order.authorizationId).toBeUndefined();
  });

  it('when a non-buyer orders, then 403', async () => {
    const { listing } = await makeProduct(m.provider);
    expect((await order(t, m.exchange, { listingId: listing.id })).status).toBe(403);
    expect((await t.http.post('/api/v1/orders').send({})).status).toBe(401);
  });
});

describe('Idempotency-Key', () => {
  it('when the same key and body come again, then the same order is returned with Idempotent-Replayed', async () => {
    const { listing } = await makeProduct(m.provider);
    const key = newKey();
    const first = await order(t, m.buyer, { listingId: listing.id, quantity: 2 }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await order(t, m.buyer, { listingId: listing.id, quantity: 2 }, key);
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.order.id).toBe(first.body.order.id);
    expect(second.body.payment).toEqual(first.body.payment);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(1);
  });

  it('when the same key comes with another body, then 409 and nothing new', async () => {
    const { listing } = await makeProduct(m.provider);
    const key = newKey();
    await order(t, m.buyer, { listingId: listing.id, quantity: 2 }, key);
    const other = await order(t, m.buyer, { listingId: listing.id, quantity: 3 }, key);
    expect(other.status).toBe(409);
    expect(other.body.type).toMatch(/idempotency-key-reused/);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(1);
  });

  it('when ten identical requests race, then one order is created and every response names it', async () => {
    const { listing } = await makeProduct(m.provider);
    const key = newKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => order(t, m.buyer, { listingId: listing.id, quantity: 4 }, key)),
    );
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(1);
  });

  it('when another buyer uses the same key, then it is a different order', async () => {
    const { listing } = await makeProduct(m.provider);
    const key = newKey();
    const other = await makeActor(t.config, 'buyer');
    const a = await order(t, m.buyer, { listingId: listing.id }, key);
    const b = await order(t, other, { listingId: listing.id }, key);
    expect(b.status).toBe(201);
    expect(b.body.order.id).not.toBe(a.body.order.id);
  });

  it('when no key is sent, then each request creates an order', async () => {
    const { listing } = await makeProduct(m.provider);
    await order(t, m.buyer, { listingId: listing.id }, null);
    await order(t, m.buyer, { listingId: listing.id }, null);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(2);
  });
});

describe('payment options', () => {
  it('when Stripe is not configured, then a Stripe order is 422 stripe-unavailable and nothing is created', async () => {
    const config = loadConfig({ ...process.env, STRIPE_SECRET_KEY: '' });
    const http = supertest(createApp({ config }));
    const { listing } = await makeProduct(m.provider);
    const res = await http
      .post('/api/v1/orders')
      .set('Authorization', m.buyer.auth)
      .send({ listingId: listing.id, quantity: 1, paymentMethod: 'stripe' });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/stripe-unavailable/);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(0);
  });

  it('when the product is free, then the order settles at once with a zero ledger entry', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 0 });
    const res = await order(t, m.buyer, { listingId: listing.id, quantity: 3, paymentMethod: 'stripe' });
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({ status: 'delivered', amountFen: 0, payment: { method: 'none' } });
    expect(res.body.payment).toEqual({ method: 'none' });
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: res.body.order.id, amountFen: 0 })).toBe(
      1,
    );
  });
});

describe('cancel', () => {
  it('when the buyer cancels an unpaid order, then it is cancelled, and cannot be paid or cancelled again', async () => {
    const { listing } = await makeProduct(m.provider);
    const created = await order(t, m.buyer, { listingId: listing.id });
    const id = created.body.order.id as string;
    const res = await t.http.post(`/api/v1/orders/${id}/cancel`).set('Authorization', m.buyer.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledBy: m.buyer.user.id });
    expect((await t.http.post(`/api/v1/orders/${id}/cancel`).set('Authorization', m.buyer.auth)).status).toBe(409);
    const confirm = await t.http
      .post(`/api/v1/orders/${id}/confirm-transfer`)
      .set('Authorization', m.exchange.auth)
      .send({ bankReference: 'AFTER-CANCEL', amountFen: 12_345 });
    expect(confirm.status).toBe(409);
    expect((await OrderModel.findById(id).lean())!.status).toBe('cancelled');
    expect(await LedgerEntryModel.countDocuments({ ref: id })).toBe(0);
  });

  it('when a Stripe order is cancelled, then its PaymentIntent is cancelled too', async () => {
    const { listing } = await makeProduct(m.provider);
    const created = await order(t, m.buyer, { listingId: listing.id, paymentMethod: 'stripe' });
    const res = await t.http.post(`/api/v1/orders/${created.body.order.id}/cancel`).set('Authorization', m.buyer.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
  });

  it('when a paid order is cancelled, or another organisation cancels, then it is refused', async () => {
    const { listing } = await makeProduct(m.provider);
    const paid = await boughtByTransfer(t, m, listing.id);
    expect((await t.http.post(`/api/v1/orders/${paid}/cancel`).set('Authorization', m.buyer.auth)).status).toBe(409);
    const created = await order(t, m.buyer, { listingId: listing.id });
    const stranger = await makeActor(t.config, 'buyer');
    const res = await t.http.post(`/api/v1/orders/${created.body.order.id}/cancel`).set('Authorization', stranger.auth);
    expect(res.status).toBe(404);
    expect((await OrderModel.findById(created.body.order.id).lean())!.status).toBe('pending_payment');
  });

  it('when a cancel and a transfer confirmation race, then exactly one wins', async () => {
    const { listing } = await makeProduct(m.provider);
    const created = await order(t, m.buyer, { listingId: listing.id });
    const id = created.body.order.id as string;
    const [cancel, confirm] = await Promise.all([
      t.http.post(`/api/v1/orders/${id}/cancel`).set('Authorization', m.buyer.auth),
      t.http
        .post(`/api/v1/orders/${id}/confirm-transfer`)
        .set('Authorization', m.exchange.auth)
        .send({ bankReference: 'RACE-CANCEL', amountFen: 12_345 }),
    ]);
    expect([cancel.status, confirm.status].sort()).toEqual([200, 409]);
    const stored = await OrderModel.findById(id).lean();
    expect(stored!.status).toBe(cancel.status === 200 ? 'cancelled' : 'delivered');
    expect(await LedgerEntryModel.countDocuments({ ref: id })).toBe(cancel.status === 200 ? 0 : 1);
  });
});

describe('visibility', () => {
  it('when orders are listed, then buyers see their own, providers those on their listings, exchange and regulators all', async () => {
    const { listing } = await makeProduct(m.provider);
    const otherBuyer = await makeActor(t.config, 'buyer');
    const otherProvider = await makeActor(t.config, 'provider');
    const regulator = await makeActor(t.config, 'regulator');
    const mine = await order(t, m.buyer, { listingId: listing.id });
    const theirs = await order(t, otherBuyer, { listingId: listing.id });
    const id = mine.body.order.id as string;

    const list = (auth: string, query = '') =>
      t.http.get(`/api/v1/orders?listing=${listing.id}${query}`).set('Authorization', auth);
    const buyerList = await list(m.buyer.auth);
    expect(buyerList.status).toBe(200);
    expect(buyerList.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(buyerList.body.items[0].id).toBe(id);
    expect((await list(m.provider.auth)).body.total).toBe(2);
    expect((await list(otherProvider.auth)).body.total).toBe(0);
    expect((await list(m.exchange.auth)).body.total).toBe(2);
    expect((await list(regulator.auth)).body.total).toBe(2);
    expect((await list(regulator.auth, '&status=delivered')).body.total).toBe(0);
    expect((await list(regulator.auth, '&pageSize=1')).body.items).toHaveLength(1);
    expect((await list(regulator.auth, '&status=bogus')).status).toBe(422);

    const get = (auth: string, orderId = id) => t.http.get(`/api/v1/orders/${orderId}`).set('Authorization', auth);
    expect((await get(m.buyer.auth)).status).toBe(200);
    expect((await get(m.provider.auth)).status).toBe(200);
    expect((await get(regulator.auth)).status).toBe(200);
    expect((await get(otherBuyer.auth)).status).toBe(404);
    expect((await get(otherProvider.auth)).status).toBe(404);
    expect((await get(m.buyer.auth, theirs.body.order.id)).status).toBe(404);
    expect((await get(m.buyer.auth, 'not-an-id')).status).toBe(422);
  });

  it('when a listing is re-priced after ordering, then the order keeps its snapshot and amount', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 1_000 });
    const created = await order(t, m.buyer, { listingId: listing.id, quantity: 2 });
    await ListingModel.updateOne({ _id: listing._id }, { $set: { 'pricing.priceFen': 9_999, title: 'renamed' } });
    const res = await t.http.get(`/api/v1/orders/${created.body.order.id}`).set('Authorization', m.buyer.auth);
    expect(res.body).toMatchObject({
      amountFen: 2_000,
      snapshot: { title: listing.title, pricing: { priceFen: 1_000 } },
    });
  });
});
