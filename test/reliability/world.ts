import crypto from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { Response } from 'supertest';
import type { Config } from '../../server/src/config';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { resourceSearchTerms } from '../../server/src/modules/resources/resources.service';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { putFile } from '../../server/src/platform/storage';
import type { TestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { merkleIdle } from '../../server/src/modules/ledger/merkle.service';
import { drainNotifications } from '../../server/src/modules/notifications/notifications.service';
import { resourceBody } from '../resources/fixtures';

/** A valid body of POST /resources (the resource tests' own). */
export { resourceBody };

/*
 * The small world the reliability tests act on: one actor of every role (two of the roles that own
 * records, so that "someone else's record" exists), and builders for records in every state a
 * route acts on. Records a route only needs to exist are written straight to the models; records
 * whose state comes from a workflow (a pending listing, a paid order) go through the real API.
 */

const DAY = 24 * 3600_000;
let seq = crypto.randomInt(0, 400_000);

/** One actor per role; `other…` belong to other organisations of the same role. */
export interface Cast {
  admin: Actor;
  authority: Actor;
  otherAuthority: Actor;
  provider: Actor;
  otherProvider: Actor;
  /** A compliance reviewer (duty review). */
  exchange: Actor;
  /** Exchange clearing staff (duty clearing): transfers, refunds, cancellations, entitlements. */
  clearing: Actor;
  buyer: Actor;
  otherBuyer: Actor;
  regulator: Actor;
}

export async function makeCast(config: Config): Promise<Cast> {
  return {
    admin: await makeActor(config, 'admin', { orgName: '平台运营方' }),
    authority: await makeActor(config, 'authority', { orgName: '河南省数据局' }),
    otherAuthority: await makeActor(config, 'authority', { orgName: '郑州市数据局' }),
    provider: await makeActor(config, 'provider', { orgName: `中原交通数据科技有限公司 ${++seq}` }),
    otherProvider: await makeActor(config, 'provider', { orgName: `豫信气象服务有限公司 ${++seq}` }),
    exchange: await makeActor(config, 'exchange', { orgName: '郑州数据交易中心', duty: 'review' }),
    clearing: await makeActor(config, 'exchange', { orgName: '郑州数据交易中心 清算部', duty: 'clearing' }),
    buyer: await makeActor(config, 'buyer', { orgName: `洛阳物流集团 ${++seq}` }),
    otherBuyer: await makeActor(config, 'buyer', { orgName: `开封文旅集团 ${++seq}` }),
    regulator: await makeActor(config, 'regulator', { orgName: '河南省网信办' }),
  };
}

/** A CSV without personal information (scans as general/L1 or L2). */
export const CLEAN_CSV = Buffer.from(
  '站点,日期,客流量\n郑州东站,2026-01-01,12345\n二七广场,2026-01-01,8800\n紫荆山,2026-01-01,9100\n',
  'utf8',
);

async function storedSample(name = 'sample.csv') {
  const file = await putFile(CLEAN_CSV, name);
  return {
    fileId: file.fileId,
    filename: name,
    format: 'csv',
    encoding: 'utf-8',
    size: file.size,
    sha256: file.sha256,
    uploadedAt: new Date(),
  };
}

/** A registered resource with a stored sample, written to the model (public for an authority, enterprise for a provider). */
export async function registeredResource(owner: Actor) {
  const n = ++seq;
  const name = `郑州市公交客流数据 ${n}`;
  const registrationNumber = `DR-410100-2026-${String(n).padStart(6, '0')}`;
  return ResourceModel.create({
    kind: owner.user.role === 'authority' ? 'public' : 'enterprise',
    name,
    description: '测试资源',
    holderDepartment: '郑州市交通运输局',
    regionCode: '410100',
    domain: 'transport',
    openness: 'conditional',
    fields: [{ name: '站点', type: 'string', description: '站点' }],
    updateFrequency: 'daily',
    recordCount: 1000,
    grade: 'general',
    level: 'L2',
    status: 'registered',
    registrationNumber,
    certificate: { number: registrationNumber, issuedAt: new Date(), digest: '0'.repeat(64) },
    registeredAt: new Date(),
    sample: await storedSample(),
    ownerOrgId: owner.org._id,
    createdBy: owner.user._id,
    searchTerms: resourceSearchTerms({ name, holderDepartment: '郑州市交通运输局', registrationNumber }),
  });
}

/** A draft resource created through the API, optionally with a sample uploaded. Returns its id. */
export async function draftResource(t: TestApp, owner: Actor, opts: { withSample?: boolean } = {}): Promise<string> {
  const res = await t.http.post('/api/v1/resources').set('Authorization', owner.auth).send(resourceBody());
  expectStatus(res, 201, 'create draft resource');
  const id = res.body.id as string;
  if (opts.withSample) {
    const up = await t.http
      .post(`/api/v1/resources/${id}/sample`)
      .set('Authorization', owner.auth)
      .attach('file', CLEAN_CSV, { filename: 'sample.csv', contentType: 'text/csv' });
    expectStatus(up, 200, 'upload resource sample');
  }
  return id;
}

/** An authorization of `authority` for `operator` over `resources`, written to the model. */
export async function authorizationFor(
  authority: Actor,
  operator: Actor,
  resources: { _id: unknown }[],
  status: 'active' | 'suspended' = 'active',
) {
  return AuthorizationModel.create({
    number: `SQ-2026-${String(++seq).padStart(6, '0')}`,
    authorityOrgId: authority.org._id,
    operatorOrgId: operator.org._id,
    resourceIds: resources.map((r) => r._id),
    purpose: '公交客流分析产品开发',
    allowedProductTypes: ['dataset', 'api', 'report'],
    allowedDeliveryModes: ['download', 'api', 'sandbox'],
    validFrom: new Date(Date.now() - 30 * DAY),
    validTo: new Date(Date.now() + 365 * DAY),
    feeCaps: { one_time: 5_000_000, per_call: 100 },
    status,
    ...(status === 'suspended' ? { suspendedAt: new Date(), statusReason: '整改' } : {}),
    grantedBy: authority.user._id,
  });
}

/** Everything a provider needs to make products: a registered public resource and an authorization over it. */
export interface Licence {
  resource: InstanceType<typeof ResourceModel>;
  authorization: InstanceType<typeof AuthorizationModel>;
}

export async function licence(authority: Actor, provider: Actor): Promise<Licence> {
  const resource = await registeredResource(authority);
  const authorization = await authorizationFor(authority, provider, [resource]);
  return { resource, authorization };
}

/** A valid body of POST /listings under the licence. */
export function listingBody(l: Licence, over: Record<string, unknown> = {}) {
  return {
    title: '郑州公交客流日报',
    summary: '按站点汇总的每日公交客流，适合交通规划分析。',
    productType: 'dataset',
    sourceResourceIds: [String(l.resource._id)],
    authorizationId: String(l.authorization._id),
    deIdentified: false,
    deliveryMode: 'download',
    pricing: { model: 'one_time', priceFen: 10_000 },
    tags: ['交通'],
    ...over,
  };
}

/** A product in any status written to the model (a `listed` one has a code, a sample and a data file). */
export async function productOf(
  provider: Actor,
  l: Licence,
  opts: { status?: string; deliveryMode?: 'download' | 'api' | 'sandbox'; priceFen?: number } = {},
) {
  const status = opts.status ?? 'listed';
  const deliveryMode = opts.deliveryMode ?? 'download';
  const coded = status !== 'draft' && status !== 'pending_review' && status !== 'rejected';
  return ListingModel.create({
    ...(coded ? { code: `ZDEC-2026-${String(++seq).padStart(6, '0')}`, listedAt: new Date() } : {}),
    providerOrgId: provider.org._id,
    providerName: provider.org.name,
    createdBy: provider.user._id,
    title: '郑州公交客流日报',
    summary: '按站点汇总的每日公交客流',
    productType: deliveryMode === 'api' ? 'api' : 'dataset',
    sourceResourceIds: [l.resource._id],
    authorizationId: l.authorization._id,
    grade: 'general',
    level: 'L2',
    deliveryMode,
    pricing: { model: 'one_time', priceFen: opts.priceFen ?? 10_000 },
    sample: await storedSample('样例.csv'),
    ...(deliveryMode === 'sandbox' ? {} : { dataFile: await storedSample('数据.csv') }),
    status,
  });
}

/** A product taken to `pending_review` through the API (create, sample, data file, submit). Returns its id. */
export async function pendingListing(t: TestApp, provider: Actor, l: Licence): Promise<string> {
  const created = await t.http.post('/api/v1/listings').set('Authorization', provider.auth).send(listingBody(l));
  expectStatus(created, 201, 'create listing');
  const id = created.body.id as string;
  for (const what of ['sample', 'data']) {
    const up = await t.http
      .post(`/api/v1/listings/${id}/${what}`)
      .set('Authorization', provider.auth)
      .attach('file', CLEAN_CSV, { filename: `${what}.csv`, contentType: 'text/csv' });
    expectStatus(up, 200, `upload listing ${what}`);
  }
  const submitted = await t.http.post(`/api/v1/listings/${id}/submit`).set('Authorization', provider.auth);
  expectStatus(submitted, 200, 'submit listing');
  return id;
}

let keySeq = 0;

/** A bank-transfer order of `buyer` through the API; returns its id and amount. */
export async function pendingOrder(
  t: TestApp,
  buyer: Actor,
  listingId: unknown,
  paymentMethod = 'bank_transfer',
): Promise<{ id: string; amountFen: number }> {
  const res = await t.http
    .post('/api/v1/orders')
    .set('Authorization', buyer.auth)
    .set('Idempotency-Key', `rel-${Date.now()}-${++keySeq}`)
    .send({ listingId: String(listingId), quantity: 1, paymentMethod });
  expectStatus(res, 201, 'create order');
  return { id: res.body.order.id as string, amountFen: res.body.order.amountFen as number };
}

/** An order paid by confirmed bank transfer (delivered); returns its id. */
export async function deliveredOrder(t: TestApp, buyer: Actor, exchange: Actor, listingId: unknown): Promise<string> {
  const o = await pendingOrder(t, buyer, listingId);
  const res = await t.http
    .post(`/api/v1/orders/${o.id}/confirm-transfer`)
    .set('Authorization', exchange.auth)
    .send({ bankReference: `BANK-${o.id}`, amountFen: o.amountFen });
  expectStatus(res, 200, 'confirm transfer');
  return o.id;
}

/** A delivered order whose buyer has asked for a refund (an open refund request). Returns the order id. */
export async function refundRequestedOrder(
  t: TestApp,
  buyer: Actor,
  clearing: Actor,
  listingId: unknown,
): Promise<string> {
  const id = await deliveredOrder(t, buyer, clearing, listingId);
  const res = await t.http
    .post(`/api/v1/orders/${id}/refund-request`)
    .set('Authorization', buyer.auth)
    .send({ reason: '数据与产品说明不符' });
  expectStatus(res, 201, 'refund request');
  return id;
}

/** Fails with the response body when a set-up step does not answer as expected. */
export function expectStatus(res: Response, status: number, what: string): void {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// What the database holds

export type Fingerprint = Record<string, string>;

/**
 * Every collection of the test database as `count:sha256`, the hash taken over the extended JSON
 * of every document (sorted, so the order the server returns them in does not matter). Two equal
 * fingerprints mean nothing was inserted, changed or removed anywhere.
 */
export async function fingerprint(): Promise<Fingerprint> {
  // Work a call leaves running after its answer (its Merkle nodes and ledger ref, its notifications)
  // belongs to that call: wait for it, so that it never shows up as a change made by a later one.
  await Promise.all([merkleIdle(), drainNotifications()]);
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => !n.startsWith('system.'))
    .sort();
  const out: Fingerprint = {};
  await Promise.all(
    names.map(async (name) => {
      const docs = await db.collection(name).find({}).toArray();
      const hashes = docs.map((d) => sha256(mongoose.mongo.BSON.EJSON.stringify(d, { relaxed: false }))).sort();
      out[name] = `${docs.length}:${sha256(hashes.join(','))}`;
    }),
  );
  return out;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The collections whose content differs between two fingerprints (empty when nothing changed). */
export function changedCollections(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

/** A problem+json error response as SPEC section 5 describes it. */
export function problemShapeError(res: Response): string | null {
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'] ?? ''))) {
    return `content-type is ${res.headers['content-type']}, not application/problem+json`;
  }
  const body = res.body as Record<string, unknown>;
  if (typeof body?.type !== 'string' || typeof body.title !== 'string' || body.status !== res.status) {
    return `not a problem document: ${JSON.stringify(body).slice(0, 300)}`;
  }
  return null;
}

export const oid = () => String(new Types.ObjectId());
