import crypto from 'node:crypto';
import Stripe from 'stripe';
import { Types } from 'mongoose';
import type { DeliveryMode, Grade, PricingModel } from '@zdec/shared';
import type { Config } from '../../server/src/config';
import { OrgModel } from '../../server/src/modules/accounts/org.model';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { putFile } from '../../server/src/platform/storage';
import { makeActor, randomCreditCode, type Actor } from '../helpers/factories';
import type { TestApp } from '../helpers/app';

const DAY = 24 * 3600 * 1000;
let codeSeq = crypto.randomInt(0, 800_000);

/** 20 rows of air-quality data: the deliverable of the test products. */
export const DATA_CSV = Buffer.from(
  '站点,日期,PM25,AQI\n' +
    Array.from(
      { length: 20 },
      (_, i) => `郑州-${i + 1},2026-01-${String(i + 1).padStart(2, '0')},${30 + i},${50 + i}`,
    ).join('\n') +
    '\n',
  'utf8',
);

export interface ProductOptions {
  deliveryMode?: DeliveryMode;
  pricingModel?: PricingModel;
  priceFen?: number;
  periodDays?: number;
  grade?: Grade;
  status?: string;
  /** false: a product of the provider's own data, without an authorization */
  authorized?: boolean;
  withDataFile?: boolean;
}

export interface Product {
  listing: InstanceType<typeof ListingModel>;
  authorization: InstanceType<typeof AuthorizationModel> | null;
}

/** A listed product created directly with the models (not through the listings routes). */
export async function makeProduct(provider: Actor, opts: ProductOptions = {}): Promise<Product> {
  const authorityOrg = await OrgModel.create({ name: `数据局 ${codeSeq}`, creditCode: randomCreditCode() });
  const deliveryMode = opts.deliveryMode ?? 'download';
  const authorization =
    opts.authorized === false
      ? null
      : await AuthorizationModel.create({
          number: `SQ-2026-${String(++codeSeq).padStart(6, '0')}`,
          authorityOrgId: authorityOrg._id,
          operatorOrgId: provider.org._id,
          resourceIds: [new Types.ObjectId()],
          purpose: '空气质量数据产品开发',
          allowedProductTypes: ['dataset', 'api'],
          allowedDeliveryModes: ['download', 'api', 'sandbox'],
          validFrom: new Date(Date.now() - 30 * DAY),
          validTo: new Date(Date.now() + 365 * DAY),
          status: 'active',
          grantedBy: new Types.ObjectId(),
        });
  const file = opts.withDataFile === false ? null : await putFile(DATA_CSV, '空气质量.csv');
  const pricingModel = opts.pricingModel ?? 'one_time';
  const listing = await ListingModel.create({
    code: `ZDEC-2026-${String(++codeSeq).padStart(6, '0')}`,
    providerOrgId: provider.org._id,
    providerName: provider.org.name,
    createdBy: provider.user._id,
    title: '郑州市空气质量小时数据',
    productType: deliveryMode === 'api' ? 'api' : 'dataset',
    sourceResourceIds: [new Types.ObjectId()],
    authorizationId: authorization?._id,
    grade: opts.grade ?? 'general',
    level: 'L1',
    deliveryMode,
    pricing: {
      model: pricingModel,
      priceFen: opts.priceFen ?? 12_345,
      ...(pricingModel === 'subscription' ? { periodDays: opts.periodDays ?? 30 } : {}),
      ...(pricingModel === 'per_call' ? { unit: '千次' } : {}),
    },
    dataFile: file
      ? {
          fileId: file.fileId,
          filename: '空气质量.csv',
          format: 'csv',
          encoding: 'utf-8',
          size: file.size,
          sha256: file.sha256,
          uploadedAt: new Date(),
        }
      : undefined,
    status: opts.status ?? 'listed',
    listedAt: new Date(),
  });
  return { listing, authorization };
}

export interface Market {
  provider: Actor;
  buyer: Actor;
  exchange: Actor;
}

export async function makeMarket(config: Config): Promise<Market> {
  const [provider, buyer, exchange] = await Promise.all([
    makeActor(config, 'provider'),
    makeActor(config, 'buyer'),
    makeActor(config, 'exchange', { duty: 'clearing' }), // trade tests do clearing work
  ]);
  return { provider, buyer, exchange };
}

let keySeq = 0;
export const newKey = () => `test-key-${Date.now()}-${++keySeq}`;

/** POST /orders as the buyer; returns the response. */
export function order(
  t: TestApp,
  buyer: Actor,
  body: { listingId: string; quantity?: number; paymentMethod?: string },
  key: string | null = newKey(),
) {
  const req = t.http.post('/api/v1/orders').set('Authorization', buyer.auth);
  if (key) req.set('Idempotency-Key', key);
  return req.send({ quantity: 1, paymentMethod: 'bank_transfer', ...body });
}

/** Orders and confirms a bank transfer: a delivered order. Returns the order id. */
export async function boughtByTransfer(t: TestApp, m: Market, listingId: string, quantity = 1): Promise<string> {
  const created = await order(t, m.buyer, { listingId, quantity });
  expect(created.status).toBe(201);
  const id = created.body.order.id as string;
  const confirmed = await t.http
    .post(`/api/v1/orders/${id}/confirm-transfer`)
    .set('Authorization', m.exchange.auth)
    .send({ bankReference: `BANK-${id}`, amountFen: created.body.order.amountFen });
  expect(confirmed.status).toBe(200);
  return id;
}

/** A Stripe event as stripe-node sees it, signed with the test webhook secret. */
export function signedEvent(
  config: Config,
  type: string,
  object: Record<string, unknown>,
  id = `evt_${crypto.randomBytes(8).toString('hex')}`,
): { payload: string; signature: string; id: string } {
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: config.STRIPE_WEBHOOK_SECRET! });
  return { payload, signature, id };
}

/** A payment_intent.succeeded object for an order. */
export function succeededIntent(
  paymentIntentId: string,
  orderId: string,
  amount: number,
  currency = 'cny',
): Record<string, unknown> {
  return {
    id: paymentIntentId,
    object: 'payment_intent',
    amount,
    amount_received: amount,
    currency,
    status: 'succeeded',
    metadata: { orderId },
  };
}

export function postWebhook(t: TestApp, ev: { payload: string; signature: string }) {
  return t.http
    .post('/api/v1/payments/stripe/webhook')
    .set('Content-Type', 'application/json')
    .set('Stripe-Signature', ev.signature)
    .send(ev.payload);
}
