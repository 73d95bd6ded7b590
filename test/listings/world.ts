import type { Config } from '../../server/src/config';
import type { OrgDoc } from '../../server/src/modules/accounts/org.model';
import { ResourceModel, type ResourceDoc } from '../../server/src/modules/resources/resource.model';
import { makeActor, type Actor } from '../helpers/factories';
import type { TestApp } from '../helpers/app';

/*
 * The world the authorization, listing and disclosure tests build on: real users with real tokens,
 * registered resources written straight to the model (so these tests do not depend on the catalog
 * routes), and everything else through the real HTTP API.
 */

let seq = 0;
const DAY = 24 * 3600_000;

export const daysFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A registered resource (public by default) owned by `owner`. */
export async function makeResource(
  owner: Actor,
  overrides: Partial<{
    kind: 'public' | 'enterprise';
    name: string;
    domain: string;
    openness: 'unconditional' | 'conditional' | 'closed';
    grade: 'general' | 'important' | 'core';
    level: 'L1' | 'L2' | 'L3' | 'L4' | undefined;
    status: 'draft' | 'registered' | 'retired';
  }> = {},
): Promise<ResourceDoc> {
  const n = ++seq;
  const o = {
    kind: 'public',
    name: `郑州市公交客流数据 ${n}`,
    domain: 'transport',
    openness: 'conditional',
    grade: 'general',
    level: 'L2',
    status: 'registered',
    ...overrides,
  };
  return ResourceModel.create({
    ...o,
    registrationNumber: o.status === 'draft' ? undefined : `DR-410100-2026-${String(900000 + n).padStart(6, '0')}`,
    ownerOrgId: owner.org._id,
    createdBy: owner.user._id,
    description: '测试资源',
    holderDepartment: '郑州市交通运输局',
    regionCode: '410100',
    fields: [{ name: 'station', type: 'string', description: '站点' }],
    updateFrequency: 'daily',
    recordCount: 1000,
    registeredAt: new Date(),
  });
}

export interface World {
  authority: Actor;
  exchange: Actor;
  provider: Actor;
  otherProvider: Actor;
  buyer: Actor;
  regulator: Actor;
}

/** The cast: one of each role, the providers in organisations with Chinese names. */
export async function makeWorld(config: Config, opts: { providerOrg?: OrgDoc } = {}): Promise<World> {
  return {
    authority: await makeActor(config, 'authority', { orgName: '河南省数据局' }),
    exchange: await makeActor(config, 'exchange', { orgName: '郑州数据交易中心' }),
    provider: await makeActor(
      config,
      'provider',
      opts.providerOrg ? { org: opts.providerOrg } : { orgName: `中原交通数据科技有限公司 ${++seq}` },
    ),
    otherProvider: await makeActor(config, 'provider', { orgName: `豫信气象服务有限公司 ${++seq}` }),
    buyer: await makeActor(config, 'buyer'),
    regulator: await makeActor(config, 'regulator'),
  };
}

/** Grants an authorization through the API (expects 201) and returns its JSON. */
export async function grant(
  t: TestApp,
  authority: Actor,
  operator: Actor,
  resources: { _id: unknown }[],
  overrides: Record<string, unknown> = {},
) {
  const res = await t.http
    .post('/api/v1/authorizations')
    .set('Authorization', authority.auth)
    .send({
      operatorOrgId: operator.org.id,
      resourceIds: resources.map((r) => String(r._id)),
      purpose: '公交客流分析产品开发',
      allowedProductTypes: ['dataset', 'api', 'report'],
      allowedDeliveryModes: ['download', 'api', 'sandbox'],
      validFrom: daysFromNow(-30),
      validTo: daysFromNow(365),
      feeCaps: { one_time: 5_000_000, per_call: 100 },
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; number: string; effectiveStatus: string };
}

/** A listing body with sensible defaults. */
export function listingBody(
  sources: { _id: unknown }[],
  authorizationId: string | undefined,
  overrides: Record<string, unknown> = {},
) {
  return {
    title: '郑州公交客流日报',
    summary: '按站点汇总的每日公交客流，适合交通规划分析。',
    productType: 'dataset',
    sourceResourceIds: sources.map((s) => String(s._id)),
    ...(authorizationId ? { authorizationId } : {}),
    deIdentified: false,
    deliveryMode: 'download',
    pricing: { model: 'one_time', priceFen: 1_000_000 },
    tags: ['交通', '客流'],
    ...overrides,
  };
}

/** Creates a draft listing through the API (expects 201). */
export async function createListing(t: TestApp, provider: Actor, body: Record<string, unknown>) {
  const res = await t.http.post('/api/v1/listings').set('Authorization', provider.auth).send(body);
  if (res.status !== 201) throw new Error(`create listing failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; status: string; grade: string; code: string | null };
}

/** A CSV without personal information. */
export const CLEAN_CSV = Buffer.from(
  '站点,日期,客流量\n郑州东站,2026-01-01,12345\n二七广场,2026-01-01,8800\n紫荆山,2026-01-01,9100\n',
  'utf8',
);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A mainland ID number with a valid GB 11643 check character (computed here, independently of the scanner). */
export function idNumber(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + '10X98765432'[sum % 11]!;
}

/** A CSV whose `证件号码` column holds valid ID numbers (L4). */
export const ID_CSV = Buffer.from(
  [
    '站点,证件号码,次数',
    `郑州东站,${idNumber('41010519900307123')},3`,
    `二七广场,${idNumber('41010219851112004')},5`,
    `紫荆山,${idNumber('41018319771201331')},2`,
  ].join('\n') + '\n',
  'utf8',
);

/** Uploads a file as the listing's sample or data file (expects 200). */
export async function upload(
  t: TestApp,
  provider: Actor,
  listingId: string,
  what: 'sample' | 'data',
  csv: Buffer,
  name = 'sample.csv',
) {
  const res = await t.http
    .post(`/api/v1/listings/${listingId}/${what}`)
    .set('Authorization', provider.auth)
    .attach('file', csv, { filename: name, contentType: 'text/csv' });
  if (res.status !== 200) throw new Error(`upload ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function submit(t: TestApp, provider: Actor, listingId: string) {
  const res = await t.http.post(`/api/v1/listings/${listingId}/submit`).set('Authorization', provider.auth);
  if (res.status !== 200) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { listing: { status: string }; checklist: { rule: string; ok: boolean; detail: string }[] };
}

export function approve(t: TestApp, exchange: Actor, listingId: string) {
  return t.http
    .post(`/api/v1/listings/${listingId}/review`)
    .set('Authorization', exchange.auth)
    .send({ decision: 'approve' });
}

/**
 * A product taken all the way to `listed` through the API: create, clean sample, data file (for
 * download/api delivery), submit, approve.
 */
export async function listProduct(
  t: TestApp,
  w: Pick<World, 'exchange'>,
  provider: Actor,
  body: Record<string, unknown>,
) {
  const l = await createListing(t, provider, body);
  await upload(t, provider, l.id, 'sample', CLEAN_CSV);
  if (body.deliveryMode !== 'sandbox') await upload(t, provider, l.id, 'data', CLEAN_CSV, 'data.csv');
  await submit(t, provider, l.id);
  const res = await approve(t, w.exchange, l.id);
  if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string; status: string };
}
