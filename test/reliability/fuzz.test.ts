import Stripe from 'stripe';
import fc from 'fast-check';
import type { Test } from 'supertest';
import { useTestApp } from '../helpers/app';
import { propertyParams, regressionCases, regressionNames, type PropertyParams } from '../helpers/property';
import { randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { describeBody, encodeBody, hostileBody, hostileValue } from './hostile';
import {
  authorizationFor,
  changedCollections,
  deliveredOrder,
  draftResource,
  fingerprint,
  licence,
  listingBody,
  makeCast,
  pendingListing,
  pendingOrder,
  problemShapeError,
  productOf,
  refundRequestedOrder,
  registeredResource,
  resourceBody,
  type Cast,
  type Fingerprint,
  type Licence,
} from './world';

/*
 * Property-based fuzzing of every endpoint that takes a JSON body (and the Stripe webhook, with
 * arbitrary events under a valid signature). Each case sends a hostile body as a caller allowed to
 * call the endpoint, at a real record in the state the endpoint acts on, and checks SPEC section 5:
 * never a 5xx; a 4xx is problem+json and changes nothing in the database; nothing pollutes
 * Object.prototype. After a case that succeeded, endpoints that consume their target get a fresh one.
 */

const t = useTestApp();

let cast: Cast;
let lic: Licence;
let product: { _id: unknown; code?: string | null };
const target: Record<string, string> = {};

interface Endpoint {
  method: 'post' | 'patch';
  /** The route, `:id` standing for the current target. */
  route: string;
  as: keyof Cast | null;
  valid: () => Record<string, unknown>;
  /** The key of `target` whose id goes into `:id`. */
  targetKey?: string;
  /** A new target in the right state, after a case that consumed the old one. */
  fresh?: () => Promise<string>;
  header?: fc.Arbitrary<Record<string, string>>;
}

const auth = (who: keyof Cast | null) => (who ? cast[who].auth : undefined);

const ENDPOINTS: Endpoint[] = [
  {
    method: 'post',
    route: '/auth/register',
    as: null,
    valid: () => ({
      email: uniqueEmail('fuzz'),
      password: TEST_PASSWORD,
      displayName: '张三',
      role: 'buyer',
      org: { name: '洛阳测试公司', creditCode: randomCreditCode() },
    }),
  },
  {
    method: 'post',
    route: '/auth/login',
    as: null,
    valid: () => ({ email: cast.buyer.user.email, password: TEST_PASSWORD }),
  },
  {
    method: 'post',
    route: '/admin/users',
    as: 'admin',
    valid: () => ({
      email: uniqueEmail('fuzz-admin'),
      password: TEST_PASSWORD,
      displayName: '李四',
      role: 'exchange',
      org: { name: '郑州数据交易中心', creditCode: randomCreditCode() },
    }),
  },
  { method: 'post', route: '/resources', as: 'authority', valid: () => resourceBody() },
  {
    method: 'patch',
    route: '/resources/:id',
    as: 'authority',
    targetKey: 'draftResource',
    valid: () => ({ name: '河南省气象观测数据（修订）', recordCount: 130000 }),
  },
  {
    method: 'post',
    route: '/resources/:id/register',
    as: 'authority',
    targetKey: 'sampledDraft',
    fresh: () => draftResource(t, cast.authority, { withSample: true }),
    valid: () => ({ grade: 'general', level: 'L3' }),
  },
  {
    method: 'post',
    route: '/resources/:id/retire',
    as: 'authority',
    targetKey: 'registeredResource',
    fresh: async () => String((await registeredResource(cast.authority))._id),
    valid: () => ({}),
  },
  {
    method: 'post',
    route: '/authorizations',
    as: 'authority',
    valid: () => ({
      operatorOrgId: cast.provider.org.id,
      resourceIds: [String(lic.resource._id)],
      purpose: '公交客流分析产品开发',
      allowedProductTypes: ['dataset'],
      allowedDeliveryModes: ['download'],
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      feeCaps: { one_time: 1_000_000 },
    }),
  },
  ...(['suspend', 'resume', 'revoke'] as const).map((action): Endpoint => ({
    method: 'post',
    route: `/authorizations/:id/${action}`,
    as: 'authority',
    targetKey: `authorization-${action}`,
    fresh: async () =>
      String(
        (
          await authorizationFor(
            cast.authority,
            cast.provider,
            [lic.resource],
            action === 'resume' ? 'suspended' : 'active',
          )
        )._id,
      ),
    valid: () => ({ reason: '数据安全整改' }),
  })),
  { method: 'post', route: '/listings', as: 'provider', valid: () => listingBody(lic) },
  {
    method: 'patch',
    route: '/listings/:id',
    as: 'provider',
    targetKey: 'draftListing',
    valid: () => ({ title: '郑州公交客流周报', pricing: { model: 'one_time', priceFen: 20_000 }, tags: ['客流'] }),
  },
  {
    method: 'post',
    route: '/listings/:id/submit',
    as: 'provider',
    targetKey: 'submittable',
    fresh: async () => String((await productOf(cast.provider, lic, { status: 'draft' }))._id),
    valid: () => ({}),
  },
  {
    method: 'post',
    route: '/listings/:id/review',
    as: 'exchange',
    targetKey: 'pendingListing',
    fresh: () => pendingListing(t, cast.provider, lic),
    valid: () => ({ decision: 'reject', reasons: ['样例数据不完整'] }),
  },
  {
    method: 'post',
    route: '/listings/:id/delist',
    as: 'provider',
    targetKey: 'listedProduct',
    fresh: async () => String((await productOf(cast.provider, lic))._id),
    valid: () => ({ reason: '产品下线' }),
  },
  {
    method: 'post',
    route: '/orders',
    as: 'buyer',
    valid: () => ({ listingId: String(product._id), quantity: 1, paymentMethod: 'bank_transfer' }),
    header: fc.oneof(
      fc.constant({}),
      fc
        .string({ maxLength: 140 })
        .filter((s) => /^[\x20-\x7e]*$/.test(s))
        .map((k) => ({ 'Idempotency-Key': k })),
    ),
  },
  {
    method: 'post',
    route: '/orders/:id/cancel',
    as: 'buyer',
    targetKey: 'pendingOrder',
    fresh: async () => (await pendingOrder(t, cast.buyer, product._id)).id,
    valid: () => ({}),
  },
  {
    method: 'post',
    route: '/orders/:id/confirm-transfer',
    as: 'clearing',
    targetKey: 'confirmable',
    fresh: async () => (await pendingOrder(t, cast.buyer, product._id)).id,
    valid: () => ({ bankReference: 'ICBC-20260301-0001', amountFen: 10_000 }),
  },
  {
    method: 'post',
    route: '/orders/:id/refund',
    as: 'clearing',
    targetKey: 'refundable',
    fresh: () => deliveredOrder(t, cast.buyer, cast.clearing, product._id),
    valid: () => ({ reason: '买方申请退款', bankReference: 'ICBC-REFUND-0001' }),
  },
  // buyers' refund requests (issue 16 item 5)
  {
    method: 'post',
    route: '/orders/:id/refund-request',
    as: 'buyer',
    targetKey: 'refundRequestable',
    fresh: () => deliveredOrder(t, cast.buyer, cast.clearing, product._id),
    valid: () => ({ reason: '数据与产品说明不符' }),
  },
  {
    method: 'post',
    route: '/orders/:id/refund-request/decline',
    as: 'clearing',
    targetKey: 'refundRequested',
    fresh: () => refundRequestedOrder(t, cast.buyer, cast.clearing, product._id),
    valid: () => ({ reason: '数据已按约定交付' }),
  },
  {
    method: 'post',
    route: '/orders/:id/entitlement/revoke',
    as: 'clearing',
    targetKey: 'entitled',
    fresh: () => deliveredOrder(t, cast.buyer, cast.clearing, product._id),
    valid: () => ({ reason: '违规使用' }),
  },
  {
    method: 'post',
    route: '/orders/:id/delivery/api-key',
    as: 'buyer',
    targetKey: 'apiOrder',
    valid: () => ({}),
  },
  // buyer watch list (issue 16 item 1)
  { method: 'post', route: '/watchlist', as: 'buyer', valid: () => ({ listingId: String(product._id) }) },
  // authorization applications (issue 16 item 4)
  { method: 'post', route: '/authorization-applications', as: 'provider', valid: () => applicationBody() },
  {
    method: 'post',
    route: '/authorization-applications/:id/decision',
    as: 'authority',
    targetKey: 'pendingApplication',
    fresh: () => pendingApplication(),
    valid: () => ({ decision: 'reject', reasons: '用途与资源不符' }),
  },
];

function applicationBody(): Record<string, unknown> {
  return {
    resourceIds: [String(lic.resource._id)],
    purpose: '公交客流分析产品开发',
    allowedProductTypes: ['dataset'],
    allowedDeliveryModes: ['download'],
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
  };
}

/** An application waiting for the authority's decision, filed through the API. */
async function pendingApplication(): Promise<string> {
  const res = await t.http
    .post('/api/v1/authorization-applications')
    .set('Authorization', cast.provider.auth)
    .send(applicationBody());
  if (res.status !== 201) throw new Error(`application: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body.id);
}

beforeAll(async () => {
  cast = await makeCast(t.config);
  lic = await licence(cast.authority, cast.provider);
  product = await productOf(cast.provider, lic);
  const apiProduct = await productOf(cast.provider, lic, { deliveryMode: 'api' });
  target.draftResource = await draftResource(t, cast.authority);
  target.draftListing = String((await productOf(cast.provider, lic, { status: 'draft' }))._id);
  target.apiOrder = await deliveredOrder(t, cast.buyer, cast.clearing, apiProduct._id);
  for (const e of ENDPOINTS) if (e.targetKey && e.fresh) target[e.targetKey] = await e.fresh();
}, 60_000);

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const PROTOTYPE_KEYS = prototypeKeys();

/** One fuzz case: send, then check the status, the error format and the database. */
async function check(
  request: () => Test,
  body: unknown,
  before: Fingerprint,
): Promise<{ status: number; after?: Fingerprint }> {
  const res = await request();
  const what = `${res.status} for ${describeBody(body)}\n→ ${JSON.stringify(res.body).slice(0, 400)}`;
  if (res.status >= 500) throw new Error(`5xx: ${what}`);
  expect(prototypeKeys()).toBe(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  if (res.status < 400) return { status: res.status };
  const shape = problemShapeError(res);
  if (shape) throw new Error(`${shape}: ${what}`);
  const after = await fingerprint();
  const changed = changedCollections(before, after);
  if (changed.length) throw new Error(`a ${res.status} changed ${changed.join(', ')}: ${what}`);
  return { status: res.status, after };
}

const tally: Record<string, Record<string, number>> = {};

/** Every UTF-8 byte as %XX (encodeURIComponent throws on a lone surrogate). */
const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

afterAll(() => {
  // The distribution of answers per endpoint, to see that the fuzzer reaches past validation.
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify(tally, null, 1));
});

/** The property of one write endpoint: hostile bodies never get a 5xx, and a 4xx changes nothing. */
async function fuzzEndpoint(name: string, e: Endpoint, params: PropertyParams): Promise<void> {
  let before = await fingerprint();
  const counts: Record<string, number> = (tally[name] = {});
  await fc.assert(
    fc.asyncProperty(hostileBody(e.valid()), e.header ?? fc.constant({}), async (body, headers) => {
      const path = `/api/v1${e.route.replace(':id', e.targetKey ? target[e.targetKey]! : '')}`;
      const { text, contentType } = encodeBody(body);
      const request = () => {
        const req = t.http[e.method](path).set('Content-Type', contentType).set(headers);
        if (e.as) req.set('Authorization', auth(e.as)!);
        return req.send(text);
      };
      const { status, after } = await check(request, body, before);
      counts[status] = (counts[status] ?? 0) + 1;
      if (after) return;
      // It succeeded: take the new state as the baseline, with a fresh target if this one is used up.
      if (e.fresh && e.targetKey) target[e.targetKey] = await e.fresh();
      before = await fingerprint();
    }),
    params,
  );
}

const ENDPOINT_CASES = ENDPOINTS.map((e) => [`${e.method.toUpperCase()} ${e.route}`, e] as const);
const WEBHOOK = 'POST /payments/stripe/webhook';
const QUERY_STRINGS = 'GET list endpoints with hostile query strings';

describe('fuzzing every write endpoint with hostile JSON bodies', () => {
  it.each(ENDPOINT_CASES)(
    'when %s gets arbitrary hostile bodies, then it never answers 5xx and a 4xx changes nothing',
    (name, e) => fuzzEndpoint(name, e, propertyParams(name)),
    120_000,
  );

  const replays = ENDPOINT_CASES.flatMap(([name, e]) =>
    regressionCases(name).map(([label, params]) => [name, label, e, params] as const),
  );
  if (replays.length) {
    it.each(replays)(
      'when %s replays %s, then it never answers 5xx and a 4xx changes nothing',
      (name, _label, e, params) => fuzzEndpoint(name, e, params),
      120_000,
    );
  }

  it('when the regressions file names a property, then it is one this suite runs', () => {
    const known = new Set<string>([...ENDPOINT_CASES.map(([name]) => name), WEBHOOK, QUERY_STRINGS]);
    expect(regressionNames().filter((n) => !known.has(n))).toEqual([]);
  });

  const fuzzWebhook = async (params: PropertyParams) => {
    let order = await pendingOrder(t, cast.buyer, product._id);
    let before = await fingerprint();
    const counts: Record<string, number> = (tally[WEBHOOK] = {});
    const validEvent = () => ({
      id: `evt_fuzz_${Date.now()}_${Math.random().toString(36).slice(2)}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: 'pi_fuzz_0001',
          object: 'payment_intent',
          amount: order.amountFen,
          amount_received: order.amountFen,
          currency: 'cny',
          status: 'succeeded',
          metadata: { orderId: order.id },
        },
      },
    });
    const eventType = fc.constantFrom(
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'charge.refunded',
      'customer.created',
    );
    await fc.assert(
      fc.asyncProperty(hostileBody(validEvent()), eventType, async (body, type) => {
        if (
          body &&
          typeof body === 'object' &&
          !Array.isArray(body) &&
          (body as { type?: unknown }).type === 'payment_intent.succeeded'
        ) {
          (body as { type: string }).type = type;
        }
        const { text } = encodeBody(body);
        const signature = Stripe.webhooks.generateTestHeaderString({
          payload: text,
          secret: t.config.STRIPE_WEBHOOK_SECRET!,
        });
        const request = () =>
          t.http
            .post('/api/v1/payments/stripe/webhook')
            .set('Content-Type', 'application/json')
            .set('Stripe-Signature', signature)
            .send(text);
        const { status, after } = await check(request, body, before);
        counts[status] = (counts[status] ?? 0) + 1;
        if (after) return;
        order = await pendingOrder(t, cast.buyer, product._id);
        before = await fingerprint();
      }),
      params,
    );
  };
  it(
    'when the Stripe webhook gets arbitrary events under a valid signature, then it never answers 5xx and a 4xx changes nothing',
    () => fuzzWebhook(propertyParams(WEBHOOK)),
    120_000,
  );
  const webhookReplays = regressionCases(WEBHOOK);
  if (webhookReplays.length) {
    it.each(webhookReplays)(
      'when the Stripe webhook replays %s, then it never answers 5xx and a 4xx changes nothing',
      (_label, params) => fuzzWebhook(params),
      120_000,
    );
  }

  const fuzzQueries = async (params: PropertyParams) => {
    const lists: [string, keyof Cast | null][] = [
      ['/listings', null],
      ['/resources', 'buyer'],
      ['/authorizations', 'regulator'],
      ['/orders', 'exchange'],
      ['/refund-requests', 'clearing'], // issue 16 item 5
      ['/ledger', 'regulator'],
      ['/ledger/verify', 'regulator'],
      ['/ledger/export.csv', 'exchange'],
      ['/ledger/checkpoints', null],
    ];
    const param = fc.constantFrom(
      'q',
      'page',
      'pageSize',
      'sort',
      'status',
      'type',
      'domain',
      'grade',
      'provider',
      'minPriceFen',
      'from',
      'to',
      'org',
      'listingCode',
      'mine',
      'region',
      '__proto__',
      '$gt',
      'a.b',
      'q[$ne]',
      'page[]',
    );
    // Values are percent-encoded byte by byte (a lone surrogate becomes U+FFFD); some are sent as
    // raw, invalid percent sequences.
    const encoded = hostileValue.map((v) =>
      percentEncode(typeof v === 'string' ? v.slice(0, 300) : (JSON.stringify(v)?.slice(0, 300) ?? '')),
    );
    const value = fc.oneof(
      { weight: 6, arbitrary: encoded },
      fc.constantFrom('%FF%FE', '%E4%B8', '%', '%00', '%ED%A0%80'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...lists),
        fc.array(fc.tuple(param, value), { maxLength: 4 }),
        async ([path, who], params) => {
          const qs = params.map(([k, v]) => `${percentEncode(k)}=${v}`).join('&');
          const req = t.http.get(`/api/v1${path}?${qs}`);
          if (who) req.set('Authorization', auth(who)!);
          const res = await req;
          if (res.status >= 500) throw new Error(`${res.status} for GET ${path}?${qs}: ${JSON.stringify(res.body)}`);
          if (res.status >= 400) expect(problemShapeError(res)).toBeNull();
        },
      ),
      params,
    );
  };
  it(
    'when query strings are hostile, then list endpoints never answer 5xx',
    () => fuzzQueries(propertyParams(QUERY_STRINGS, 2)),
    120_000,
  );
  const queryReplays = regressionCases(QUERY_STRINGS);
  if (queryReplays.length) {
    it.each(queryReplays)(
      'when list endpoints replay %s with hostile query strings, then they never answer 5xx',
      (_label, params) => fuzzQueries(params),
      120_000,
    );
  }

  /* SPEC section 5: unknown fields get a clear 4xx and change nothing; endpoints that read no body refuse one too. */
  const unknownField = async (_name: string, e: Endpoint) => {
    const path = `/api/v1${e.route.replace(':id', e.targetKey ? target[e.targetKey]! : '')}`;
    const before = await fingerprint();
    const req = t.http[e.method](path);
    if (e.as) req.set('Authorization', auth(e.as)!);
    const res = await req.send({ ...e.valid(), unexpectedField: 1 });
    expect({ status: res.status, problem: problemShapeError(res) }).toEqual({ status: 400, problem: null });
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  };
  const cases = ENDPOINTS.map((e) => [`${e.method.toUpperCase()} ${e.route}`, e] as const);
  it.each(cases)('when %s gets a valid body plus an unknown field, then 400 and nothing changes', unknownField);
  it.each([
    [
      'a payment_intent event without data.object',
      '{"id":"evt_nodata_1","object":"event","type":"payment_intent.succeeded"}',
    ],
    ['the JSON value null', 'null'],
  ])('when the Stripe webhook gets %s, correctly signed, then 4xx and nothing changes', async (_what, payload) => {
    const before = await fingerprint();
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: t.config.STRIPE_WEBHOOK_SECRET! });
    const res = await t.http
      .post('/api/v1/payments/stripe/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  });

  /** A signed payment_intent event for a real pending order, its object changed by `spoil`. */
  const spoiledIntentEvent = (
    order: { id: string; amountFen: number },
    type: string,
    spoil: (o: Record<string, unknown>) => void,
  ) => {
    const object: Record<string, unknown> = {
      id: 'pi_shape_0001',
      object: 'payment_intent',
      amount: order.amountFen,
      amount_received: order.amountFen,
      currency: 'cny',
      status: 'succeeded',
      metadata: { orderId: order.id },
    };
    spoil(object);
    return JSON.stringify({
      id: `evt_shape_${Date.now()}_${Math.random().toString(36).slice(2)}`,
      object: 'event',
      type,
      data: { object },
    });
  };
  it.each([
    [
      'payment_intent.succeeded',
      'data.object.id is an array (seed -658214346)',
      (o: Record<string, unknown>) => (o.id = [19, [], 'x']),
    ],
    [
      'payment_intent.succeeded',
      'data.object.amount_received is a string',
      (o: Record<string, unknown>) => (o.amount_received = '10000'),
    ],
    [
      'payment_intent.succeeded',
      'data.object.currency is an object',
      (o: Record<string, unknown>) => (o.currency = { $ne: 1 }),
    ],
    [
      'payment_intent.succeeded',
      'data.object.metadata.orderId is an array',
      (o: Record<string, unknown>) => (o.metadata = { orderId: ['a'] }),
    ],
    [
      'payment_intent.payment_failed',
      'data.object.last_payment_error is a string',
      (o: Record<string, unknown>) => (o.last_payment_error = 'boom'),
    ],
    ['payment_intent.payment_failed', 'data.object.id is an object', (o: Record<string, unknown>) => (o.id = { a: 1 })],
  ])('when a signed %s event has a malformed object (%s), then 400 and nothing changes', async (type, _what, spoil) => {
    const order = await pendingOrder(t, cast.buyer, product._id);
    const before = await fingerprint();
    const payload = spoiledIntentEvent(order, type, spoil);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: t.config.STRIPE_WEBHOOK_SECRET! });
    const res = await t.http
      .post('/api/v1/payments/stripe/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
    expect({ status: res.status, problem: problemShapeError(res) }).toEqual({ status: 400, problem: null });
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  });

  it('when a correctly signed payment event has no id, then 4xx and the order is not settled', async () => {
    const order = await pendingOrder(t, cast.buyer, product._id);
    const before = await fingerprint();
    const payload = JSON.stringify({
      object: 'event',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: 'pi_noid_0001',
          object: 'payment_intent',
          amount: order.amountFen,
          amount_received: order.amountFen,
          currency: 'cny',
          status: 'succeeded',
          metadata: { orderId: order.id },
        },
      },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: t.config.STRIPE_WEBHOOK_SECRET! });
    const res = await t.http
      .post('/api/v1/payments/stripe/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  });
});
