import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { OrderModel } from '../../server/src/modules/trade/order.model';
import { ProcessedStripeEventModel } from '../../server/src/modules/trade/stripe-event.model';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { useTestApp } from '../helpers/app';
import { makeMarket, makeProduct, order, postWebhook, signedEvent, succeededIntent, type Market } from './fixtures';

const t = useTestApp();
let m: Market;

beforeAll(async () => {
  m = await makeMarket(t.config);
});

/** A Stripe order: its id, amount and PaymentIntent id (created at stripe-mock). */
async function stripeOrder(listingId: string, quantity = 1) {
  const res = await order(t, m.buyer, { listingId, quantity, paymentMethod: 'stripe' });
  expect(res.status).toBe(201);
  return {
    id: res.body.order.id as string,
    amountFen: res.body.order.amountFen as number,
    paymentIntentId: res.body.payment.paymentIntentId as string,
    body: res.body,
  };
}

const succeeded = (o: { id: string; amountFen: number; paymentIntentId: string }, eventId?: string) =>
  signedEvent(t.config, 'payment_intent.succeeded', succeededIntent(o.paymentIntentId, o.id, o.amountFen), eventId);

describe('Stripe payments', () => {
  it('when a buyer pays by Stripe and the signed webhook arrives, then the order is settled once and delivered', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 19_900 });
    const o = await stripeOrder(listing.id, 2);
    expect(o.amountFen).toBe(39_800);
    expect(o.body.payment).toMatchObject({
      method: 'stripe',
      clientSecret: expect.stringMatching(/^pi_.+_secret_/),
      publishableKey: 'pk_test_123',
      amountFen: 39_800,
      currency: 'cny',
      paymentMethodTypes: ['card', 'alipay', 'wechat_pay'],
    });
    expect((await OrderModel.findById(o.id).lean())!.paymentIntentId).toBe(o.paymentIntentId);

    const ev = succeeded(o);
    const res = await postWebhook(t, ev);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, outcome: 'settled' });

    const stored = await OrderModel.findById(o.id).lean();
    expect(stored).toMatchObject({
      status: 'delivered',
      payment: { method: 'stripe', paymentIntentId: o.paymentIntentId, eventId: ev.id, receivedFen: 39_800 },
    });
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: o.id, amountFen: 39_800 })).toBe(1);
    expect(await EntitlementModel.countDocuments({ orderId: o.id })).toBe(1);
    expect(await ProcessedStripeEventModel.findById(ev.id).lean()).toMatchObject({ outcome: 'settled', orderId: o.id });
    expect((await ListingModel.findById(listing._id).lean())!.settledCount).toBe(1);

    const again = await t.http.get(`/api/v1/orders/${o.id}/payment`).set('Authorization', m.buyer.auth);
    expect(again.status).toBe(409);
  });

  it('when the buyer asks for the payment again, then the same PaymentIntent is returned', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    const res = await t.http.get(`/api/v1/orders/${o.id}/payment`).set('Authorization', m.buyer.auth);
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({ method: 'stripe', clientSecret: expect.any(String) });
    expect((await OrderModel.findById(o.id).lean())!.paymentIntentId).toBe(o.paymentIntentId);
  });

  it('when a webhook has a bad or missing signature, then 400 and nothing changes', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    const ev = succeeded(o);
    const forged = await postWebhook(t, {
      payload: ev.payload,
      signature: ev.signature.replace(/v1=[0-9a-f]{4}/, 'v1=0000'),
    });
    expect(forged.status).toBe(400);
    expect(forged.body.type).toMatch(/bad-signature/);
    const tampered = await postWebhook(t, {
      payload: ev.payload.replace(String(o.amountFen), '1'),
      signature: ev.signature,
    });
    expect(tampered.status).toBe(400);
    const unsigned = await t.http
      .post('/api/v1/payments/stripe/webhook')
      .set('Content-Type', 'application/json')
      .send(ev.payload);
    expect(unsigned.status).toBe(400);

    expect((await OrderModel.findById(o.id).lean())!.status).toBe('pending_payment');
    expect(await ProcessedStripeEventModel.countDocuments({ _id: ev.id })).toBe(0);
    expect(await LedgerEntryModel.countDocuments({ ref: o.id })).toBe(0);
  });

  it('when the same webhook is delivered twice, then the second changes nothing', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    const ev = succeeded(o);
    expect((await postWebhook(t, ev)).body.outcome).toBe('settled');
    const second = await postWebhook(t, ev);
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('duplicate');
    // and concurrently, twice more, under a new event id for the same payment
    const other = succeeded(o);
    const racing = await Promise.all([postWebhook(t, other), postWebhook(t, other)]);
    expect(racing.map((r) => r.status)).toEqual([200, 200]);
    expect(await LedgerEntryModel.countDocuments({ ref: o.id })).toBe(1);
    expect(await EntitlementModel.countDocuments({ orderId: o.id })).toBe(1);
    expect((await OrderModel.findById(o.id).lean())!.flag).toBeUndefined();
  });

  it('when events arrive out of order (payment_failed after succeeded), then the settled order does not change', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    await postWebhook(t, succeeded(o));
    const before = await OrderModel.findById(o.id).lean();
    const failed = signedEvent(t.config, 'payment_intent.payment_failed', {
      ...succeededIntent(o.paymentIntentId, o.id, o.amountFen),
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    });
    const res = await postWebhook(t, failed);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored-not-pending');
    const after = await OrderModel.findById(o.id).lean();
    expect(after!.status).toBe(before!.status);
    expect(after!.lastPaymentError).toBeUndefined();
  });

  it('when a payment fails while the order is pending, then the failure is recorded and the order stays payable', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    const failed = signedEvent(t.config, 'payment_intent.payment_failed', {
      ...succeededIntent(o.paymentIntentId, o.id, o.amountFen),
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    });
    expect((await postWebhook(t, failed)).body.outcome).toBe('payment-failed-recorded');
    const stored = await OrderModel.findById(o.id).lean();
    expect(stored).toMatchObject({ status: 'pending_payment', lastPaymentError: { code: 'card_declined' } });
    expect((await postWebhook(t, succeeded(o))).body.outcome).toBe('settled');
  });

  it('when the webhook amount or currency differs from the order, then the order is flagged and not settled', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 50_000 });
    const o = await stripeOrder(listing.id);
    const short = signedEvent(t.config, 'payment_intent.succeeded', succeededIntent(o.paymentIntentId, o.id, 5_000));
    const res = await postWebhook(t, short);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('flagged:amount-mismatch');
    const stored = await OrderModel.findById(o.id).lean();
    expect(stored!.status).toBe('pending_payment');
    expect(stored!.flag).toMatchObject({ reason: 'amount-mismatch', eventId: short.id });
    expect(await LedgerEntryModel.countDocuments({ ref: o.id })).toBe(0);

    const usd = signedEvent(
      t.config,
      'payment_intent.succeeded',
      succeededIntent(o.paymentIntentId, o.id, 50_000, 'usd'),
    );
    expect((await postWebhook(t, usd)).body.outcome).toBe('flagged:amount-mismatch');
    expect(await LedgerEntryModel.countDocuments({ ref: o.id })).toBe(0);
  });

  it('when a second flag follows an earlier one, then both are kept in order (append-only) and the latest is `flag`', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 40_000 });
    const o = await stripeOrder(listing.id);
    const short = signedEvent(t.config, 'payment_intent.succeeded', succeededIntent(o.paymentIntentId, o.id, 4_000));
    expect((await postWebhook(t, short)).body.outcome).toBe('flagged:amount-mismatch');
    await t.http
      .post(`/api/v1/orders/${o.id}/confirm-transfer`)
      .set('Authorization', m.exchange.auth)
      .send({ bankReference: 'FLAGS-BANK-0001', amountFen: 40_000 })
      .expect(200);
    const paidTwice = succeeded(o);
    expect((await postWebhook(t, paidTwice)).body.outcome).toBe('flagged:duplicate-payment');
    expect((await postWebhook(t, paidTwice)).body.outcome).toBe('duplicate'); // a redelivery adds nothing

    const view = await t.http.get(`/api/v1/orders/${o.id}`).set('Authorization', m.exchange.auth).expect(200);
    expect(view.body.flags).toEqual([
      expect.objectContaining({ reason: 'amount-mismatch', eventId: short.id }),
      expect.objectContaining({ reason: 'duplicate-payment', eventId: paidTwice.id }),
    ]);
    expect(view.body.flag).toMatchObject({ reason: 'duplicate-payment' });
  });

  it('when an unknown event type or an event for no order arrives, then 200 and nothing changes', async () => {
    const before = await LedgerEntryModel.countDocuments();
    const unknown = signedEvent(t.config, 'customer.created', { id: 'cus_123', object: 'customer' });
    const res = await postWebhook(t, unknown);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('ignored');
    const orphan = signedEvent(
      t.config,
      'payment_intent.succeeded',
      succeededIntent('pi_orphan', '0123456789abcdef01234567', 100),
    );
    expect((await postWebhook(t, orphan)).body.outcome).toBe('unknown-order');
    expect(await LedgerEntryModel.countDocuments()).toBe(before);
  });

  it('when a webhook and a transfer confirmation settle the same order at once, then it is settled once and the second payment is flagged', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 30_000 });
    const o = await stripeOrder(listing.id);
    const ev = succeeded(o);
    const [hook, transfer] = await Promise.all([
      postWebhook(t, ev),
      t.http
        .post(`/api/v1/orders/${o.id}/confirm-transfer`)
        .set('Authorization', m.exchange.auth)
        .send({ bankReference: 'RACE-BANK-0001', amountFen: 30_000 }),
    ]);
    expect(hook.status).toBe(200);
    expect([200, 409]).toContain(transfer.status);
    const webhookWon = hook.body.outcome === 'settled';
    expect(transfer.status).toBe(webhookWon ? 409 : 200);
    if (!webhookWon) expect(hook.body.outcome).toBe('flagged:duplicate-payment');

    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: o.id })).toBe(1);
    expect(await EntitlementModel.countDocuments({ orderId: o.id })).toBe(1);
    const stored = await OrderModel.findById(o.id).lean();
    expect(stored!.status).toBe('delivered');
    expect(stored!.payment!.method).toBe(webhookWon ? 'stripe' : 'bank_transfer');
  });

  it('when exchange staff refund a Stripe order, then Stripe refunds it, trade.refunded is appended once and the entitlement is revoked', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 6_600 });
    const o = await stripeOrder(listing.id);
    await postWebhook(t, succeeded(o));
    const refund = () =>
      t.http
        .post(`/api/v1/orders/${o.id}/refund`)
        .set('Authorization', m.exchange.auth)
        .send({ reason: '数据质量问题' });
    const res = await refund();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'refunded',
      refund: { method: 'stripe', amountFen: 6_600, stripeRefundId: expect.stringMatching(/^re_/) },
    });
    expect((await refund()).status).toBe(409);
    const entries = await LedgerEntryModel.find({ ref: o.id }).sort({ seq: 1 }).lean();
    expect(entries.map((e) => [e.type, e.amountFen])).toEqual([
      ['trade.settled', 6_600],
      ['trade.refunded', -6_600],
    ]);
    expect((await EntitlementModel.findOne({ orderId: o.id }).lean())!.revokedAt).toBeInstanceOf(Date);
  });

  it('when the listing is suspended before the Stripe payment completes, then nothing is settled and the payment is refunded', async () => {
    const { listing } = await makeProduct(m.provider);
    const o = await stripeOrder(listing.id);
    await ListingModel.updateOne({ _id: listing._id }, { $set: { status: 'suspended', suspendedBy: 'exchange' } });
    const res = await postWebhook(t, succeeded(o));
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('refunded-unavailable');
    const stored = await OrderModel.findById(o.id).lean();
    expect(stored).toMatchObject({
      status: 'cancelled',
      flag: { reason: 'listing-unavailable' },
      refund: { method: 'stripe', stripeRefundId: expect.stringMatching(/^re_/) },
    });
    expect(await LedgerEntryModel.countDocuments({ ref: o.id })).toBe(0);
    expect(await EntitlementModel.countDocuments({ orderId: o.id })).toBe(0);
  });

  it('when the amount exceeds the Stripe per-payment maximum, then ordering by Stripe is refused and bank transfer works', async () => {
    const { listing } = await makeProduct(m.provider, { priceFen: 60_000_000 });
    const res = await order(t, m.buyer, { listingId: listing.id, quantity: 2, paymentMethod: 'stripe' });
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/amount-exceeds-stripe-maximum/);
    expect(await OrderModel.countDocuments({ listingId: listing._id })).toBe(0);
    const byTransfer = await order(t, m.buyer, { listingId: listing.id, quantity: 2 });
    expect(byTransfer.status).toBe(201);
    expect(byTransfer.body.order.amountFen).toBe(120_000_000);
  });
});
