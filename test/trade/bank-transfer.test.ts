import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { sweepOutbox } from '../../server/src/modules/ledger/outbox';
import { OrderModel } from '../../server/src/modules/trade/order.model';
import { OrderTransitionModel } from '../../server/src/modules/trade/order-transition.model';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { armFault, disarmFaults } from '../../server/src/platform/faults';
import { useTestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import { boughtByTransfer, makeMarket, makeProduct, order, type Market } from './fixtures';

const t = useTestApp();
let m: Market;

beforeAll(async () => {
  m = await makeMarket(t.config);
});
afterEach(() => disarmFaults());

const confirm = (id: string, body: Record<string, unknown>, auth = m.exchange.auth) =>
  t.http.post(`/api/v1/orders/${id}/confirm-transfer`).set('Authorization', auth).send(body);

describe('bank transfer (对公转账)', () => {
  it('when a buyer orders by transfer and the exchange confirms the amount, then the order is settled, in the ledger once and delivered', async () => {
    const { listing, authorization } = await makeProduct(m.provider, { priceFen: 50_000 });
    const created = await order(t, m.buyer, { listingId: listing.id, quantity: 3 });
    expect(created.status).toBe(201);
    const id = created.body.order.id as string;
    expect(created.body.order).toMatchObject({ status: 'pending_payment', amountFen: 150_000, quantity: 3 });
    expect(created.body.payment).toEqual({
      method: 'bank_transfer',
      reference: created.body.order.number,
      amountFen: 150_000,
      currency: 'cny',
      payee: { name: t.config.BANK_PAYEE_NAME, bank: t.config.BANK_PAYEE_BANK, account: t.config.BANK_PAYEE_ACCOUNT },
    });
    expect(created.body.order.number).toMatch(/^ORD-\d{4}-\d{6}$/);

    const res = await confirm(id, { bankReference: 'ICBC-20260301-0001', amountFen: 150_000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'delivered',
      payment: { method: 'bank_transfer', bankReference: 'ICBC-20260301-0001', receivedFen: 150_000 },
    });

    const entries = await LedgerEntryModel.find({ type: 'trade.settled', ref: id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      amountFen: 150_000,
      orderId: id,
      listingId: listing.id,
      listingCode: listing.code,
      authorizationId: authorization!.id,
      grade: 'general',
    });
    expect(entries[0]!.orgIds).toEqual([m.buyer.org.id, m.provider.org.id].sort());
    expect(await EntitlementModel.countDocuments({ orderId: id })).toBe(1);
    expect((await ListingModel.findById(listing._id).lean())!.settledCount).toBe(1);
    expect((await OrderModel.findById(id).lean())!.status).toBe('delivered');
    expect(await OrderTransitionModel.countDocuments({ orderId: id, 'outbox.0': { $exists: true } })).toBe(0);
  });

  it('when the confirmed amount differs from the order amount, then 422 and nothing changes', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 10_000 });
    const created = await order(t, m.buyer, { listingId: listing.id });
    const id = created.body.order.id as string;
    const res = await confirm(id, { bankReference: 'ABC-0001', amountFen: 9_999 });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/amount-mismatch/);
    expect((await OrderModel.findById(id).lean())!.status).toBe('pending_payment');
    expect(await LedgerEntryModel.countDocuments({ ref: id })).toBe(0);
  });

  it('when a transfer is confirmed twice, then the second is 409 and the ledger holds one entry', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const again = await confirm(id, { bankReference: 'DUP-0001', amountFen: 12_345 });
    expect(again.status).toBe(409);
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: id })).toBe(1);
    expect((await OrderModel.findById(id).lean())!.payment!.bankReference).toBe(`BANK-${id}`);
  });

  it('when someone other than exchange staff confirms, then 403', async () => {
    const { listing } = await makeProduct(m.provider);
    const created = await order(t, m.buyer, { listingId: listing.id });
    const res = await confirm(created.body.order.id, { bankReference: 'SELF-0001', amountFen: 12_345 }, m.buyer.auth);
    expect(res.status).toBe(403);
    expect((await OrderModel.findById(created.body.order.id).lean())!.status).toBe('pending_payment');
  });

  it('when the authorization is revoked between ordering and confirmation, then the order is not settled', async () => {
    const { listing, authorization } = await makeProduct(m.provider);
    const created = await order(t, m.buyer, { listingId: listing.id });
    await AuthorizationModel.updateOne({ _id: authorization!._id }, { $set: { status: 'revoked' } });
    const res = await confirm(created.body.order.id, { bankReference: 'LATE-0001', amountFen: 12_345 });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/listing-not-purchasable/);
    expect(res.body.detail).toMatch(/revoked/);
    expect((await OrderModel.findById(created.body.order.id).lean())!.status).toBe('pending_payment');
    expect(await LedgerEntryModel.countDocuments({ ref: created.body.order.id })).toBe(0);
  });

  it('when 50 distinct orders are confirmed at once, then the ledger gains 50 trade.settled entries with contiguous seq', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 100 });
    const buyers = await Promise.all(Array.from({ length: 5 }, () => makeActor(t.config, 'buyer')));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await order(t, buyers[i % 5]!, { listingId: listing.id, quantity: i + 1 });
      expect(res.status).toBe(201);
      ids.push(res.body.order.id);
    }
    const before = await LedgerEntryModel.countDocuments();
    const results = await Promise.all(
      ids.map((id, i) => confirm(id, { bankReference: `RACE-${i}-${id}`, amountFen: 100 * (i + 1) })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));

    const all = await LedgerEntryModel.find().sort({ seq: 1 }).lean();
    expect(all).toHaveLength(before + 50);
    all.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(all[i - 1]!.hash);
    });
    const settled = await LedgerEntryModel.find({ type: 'trade.settled', ref: { $in: ids } }).lean();
    expect(settled).toHaveLength(50);
    expect(new Set(settled.map((e) => e.ref)).size).toBe(50);
    expect(await OrderModel.countDocuments({ _id: { $in: ids }, status: 'delivered' })).toBe(50);
    expect(await EntitlementModel.countDocuments({ orderId: { $in: ids } })).toBe(50);
    expect((await ListingModel.findById(listing._id).lean())!.settledCount).toBe(50);
  }, 120_000); // 50 orders through the real API: a minute and more on a loaded two-core machine

  it('when the process dies between the settlement and the ledger append, then the order stays paid and the sweep completes it exactly once', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 777 });
    const created = await order(t, m.buyer, { listingId: listing.id });
    const id = created.body.order.id as string;

    armFault('outbox.beforeAppend');
    const res = await confirm(id, { bankReference: 'CRASH-0001', amountFen: 777 });
    // The payment is durable, so the request reports it; the ledger part is left to the sweep.
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('paid');
    const paid = await OrderModel.findById(id).lean();
    expect(paid!.status).toBe('paid');
    expect(await OrderTransitionModel.countDocuments({ orderId: id, 'outbox.0': { $exists: true } })).toBe(1);
    expect(await LedgerEntryModel.countDocuments({ ref: id })).toBe(0);
    expect(await EntitlementModel.countDocuments({ orderId: id })).toBe(0);

    // and a second crash, after the append but before the entitlement
    armFault('outbox.afterAppend');
    await expect(sweepOutbox()).resolves.toBe(0);
    expect(await LedgerEntryModel.countDocuments({ ref: id })).toBe(1);
    expect(await EntitlementModel.countDocuments({ orderId: id })).toBe(0);

    expect(await sweepOutbox()).toBeGreaterThanOrEqual(1);
    expect(await sweepOutbox()).toBe(0);
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: id })).toBe(1);
    expect(await EntitlementModel.countDocuments({ orderId: id })).toBe(1);
    const done = await OrderModel.findById(id).lean();
    expect(done!.status).toBe('delivered');
    expect(await OrderTransitionModel.countDocuments({ orderId: id, 'outbox.0': { $exists: true } })).toBe(0);
    expect((await ListingModel.findById(listing._id).lean())!.settledCount).toBe(1);
  });

  it('when exchange staff refund a transfer order, then trade.refunded carries the negative amount once and the entitlement is revoked', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 8_800 });
    const id = await boughtByTransfer(t, m, listing.id, 2);
    const refund = (body: Record<string, unknown>) =>
      t.http.post(`/api/v1/orders/${id}/refund`).set('Authorization', m.exchange.auth).send(body);

    const missing = await refund({ reason: '买方申请退款' });
    expect(missing.status).toBe(422);
    expect(missing.body.type).toMatch(/bank-reference-required/);
    expect((await OrderModel.findById(id).lean())!.status).toBe('delivered');

    const res = await refund({ reason: '买方申请退款', bankReference: 'REFUND-0001' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'refunded',
      refund: { method: 'bank_transfer', amountFen: 17_600, bankReference: 'REFUND-0001', reason: '买方申请退款' },
    });
    const again = await refund({ reason: '再次退款', bankReference: 'REFUND-0002' });
    expect(again.status).toBe(409);

    const entries = await LedgerEntryModel.find({ ref: id }).sort({ seq: 1 }).lean();
    expect(entries.map((e) => [e.type, e.amountFen])).toEqual([
      ['trade.settled', 17_600],
      ['trade.refunded', -17_600],
    ]);
    expect(entries[1]).toMatchObject({ listingCode: listing.code, orderId: id });
    expect((await EntitlementModel.findOne({ orderId: id }).lean())!.revokedAt).toBeInstanceOf(Date);
  });

  it('when a buyer asks for a refund itself, or the order is unpaid, then it is refused and nothing changes', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const byBuyer = await t.http
      .post(`/api/v1/orders/${id}/refund`)
      .set('Authorization', m.buyer.auth)
      .send({ reason: 'I want my money', bankReference: 'X-0001' });
    expect(byBuyer.status).toBe(403);

    const unpaid = await order(t, m.buyer, { listingId: listing.id });
    const res = await t.http
      .post(`/api/v1/orders/${unpaid.body.order.id}/refund`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: 'not paid', bankReference: 'X-0002' });
    expect(res.status).toBe(409);
    expect(
      await LedgerEntryModel.countDocuments({ type: 'trade.refunded', ref: { $in: [id, unpaid.body.order.id] } }),
    ).toBe(0);
  });
});
