/**
 * The bulk generator: a valid world at scale for benchmarks and load tests.
 *
 *   npm run seed:bulk -- --listings 5000 --trades 200000 [--uri mongodb://…] [--db name] [--batch 1000]
 *                        [--days 365] [--refund-rate 0.002]
 *
 * It writes, in batches with raw `insertMany`, exactly the documents the services would have left
 * behind: organisations and users, registered public resources (with registration records,
 * certificates and real samples in GridFS), authorizations, listed listings (codes, review decisions,
 * the same search terms the listings service stores, settledCount), settled orders with their
 * transitions and entitlements, a few refunds, the sequence claims of every number handed out, and
 * the ledger: one entry per event, hash-chained in process with the ledger's own `entryHash`,
 * continuing the chain already in the database. Every listing is checked against the exchange's
 * compliance rules and the first document of every batch against its Mongoose model. Run it while
 * no server appends to the same database (the ledger's unique seq would stop it rather than fork).
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import bcrypt from 'bcryptjs';
import mongoose, { Types, type Model } from 'mongoose';
import {
  DOMAINS,
  withCreditCodeCheck,
  type DeliveryMode,
  type Domain,
  type Grade,
  type PricingModel,
  type ProductType,
  type Role,
  type ScanResult,
} from '@zdec/shared';
import { loadConfig, type Config } from '../server/src/config';
import { createLogger } from '../server/src/platform/logger';
import { startDatabase, type DatabaseHandle } from '../server/src/platform/services/database';
import { ingestSample, type StoredSample } from '../server/src/modules/samples/samples.store';
import { OrgModel } from '../server/src/modules/accounts/org.model';
import { UserModel } from '../server/src/modules/accounts/user.model';
import { AuthorizationModel } from '../server/src/modules/authorizations/authorization.model';
import {
  certificateBody,
  certificateDigest,
  resourceSearchTerms,
} from '../server/src/modules/resources/resources.service';
import { ResourceModel, ResourceRegistrationModel } from '../server/src/modules/resources/resource.model';
import { EntitlementModel } from '../server/src/modules/delivery/entitlement.model';
import { entryHash, GENESIS_HASH } from '../server/src/modules/ledger/ledger.hash';
import { entryId, LedgerEntryModel, LedgerHeadModel } from '../server/src/modules/ledger/ledger.model';
import { entryFields, headRef, type AppendInput, type HeadRef } from '../server/src/modules/ledger/ledger.service';
import {
  decisionId,
  ListingCodeModel,
  ListingDecisionModel,
  ListingModel,
} from '../server/src/modules/listings/listing.model';
import {
  evaluateRules,
  highestGrade,
  highestLevel,
  type RuleResult,
} from '../server/src/modules/listings/listing.rules';
import { announceBulkChange } from '../server/src/modules/listings/catalog';
import { listingSearchTerms } from '../server/src/modules/listings/listings.service';
import { OrderModel } from '../server/src/modules/trade/order.model';
import { OrderTransitionModel } from '../server/src/modules/trade/order-transition.model';
import { RESOURCES, type ResourceDef } from './data/resources';
import { deidentifiedCsv, rng, sampleCsv } from './samples';
import { BulkSequences, isDuplicateKey, onlyDuplicateKeys, SequenceMemberModel } from '../server/src/platform/db';

const DAY_MS = 86_400_000;
/** The resource fields a certificate covers (the model's arrays are plain arrays here). */
type CertifiedInput = Parameters<typeof certificateDigest>[0];
const HOUR_MS = 3_600_000;
/** The password of every generated account (a benchmark world, never production). */
export const BULK_PASSWORD = 'Zdec#2026bulk';

export interface BulkOptions {
  listings: number;
  trades: number;
  /** Documents per insertMany (default 1000). */
  batch?: number;
  /** The history's time window (default: the 365 days up to now); it starts after the ledger's head. */
  from?: Date;
  to?: Date;
  /** Buyer organisations (one user each); default one per 1,000 trades, at least 2. */
  buyers?: number;
  /** Share of trades refunded later (default 0.002: "a few"). */
  refundRate?: number;
  /** Deterministic output for a given seed (ids and times excepted). */
  seed?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Someone the benchmarks can act as: sign a token with these. */
export interface BulkActor {
  userId: string;
  orgId: string;
  role: Role;
  email: string;
}

export interface BulkWorld {
  authority: BulkActor;
  exchange: BulkActor;
  regulator: BulkActor;
  providers: BulkActor[];
  buyers: BulkActor[];
  /** The listings written, all `listed` and purchasable. */
  listingIds: string[];
  resourceIds: string[];
  authorizationIds: string[];
}

export interface CollectionStat {
  docs: number;
  /** Time spent in insertMany for this collection. */
  ms: number;
}

export interface BulkResult {
  world: BulkWorld;
  stats: Record<string, CollectionStat>;
  /** Ledger entries written: `fromSeq..toSeq`. */
  ledger: { fromSeq: number; toSeq: number; headHash: string };
  totalMs: number;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Raw insertMany in batches, timed per collection. */
class Inserter {
  readonly stats: Record<string, CollectionStat> = {};
  private readonly checked = new Set<string>();

  constructor(readonly batch: number) {}

  /** Inserts in order, `batch` at a time; the first document of every batch is checked against the model. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async insert(model: Model<any>, docs: Record<string, unknown>[]): Promise<void> {
    const name = model.collection.collectionName;
    const stat = (this.stats[name] ??= { docs: 0, ms: 0 });
    for (let i = 0; i < docs.length; i += this.batch) {
      const chunk = docs.slice(i, i + this.batch);
      if (chunk.length) this.check(model, chunk[0]!);
      const started = performance.now();
      await model.collection.insertMany(chunk, { ordered: true });
      stat.ms += performance.now() - started;
      stat.docs += chunk.length;
    }
  }

  /** Plain collections (sequence claims) have no model: timed only. */
  note(name: string, docs: number, ms: number): void {
    const stat = (this.stats[name] ??= { docs: 0, ms: 0 });
    stat.docs += docs;
    stat.ms += ms;
  }

  /**
   * The document must be exactly what the model would store: valid, and with no field the model
   * would add (a default) or drop (unknown), the first time also compared field by field.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private check(model: Model<any>, doc: Record<string, unknown>): void {
    const hydrated = new model(doc);
    const invalid = hydrated.validateSync();
    if (invalid) throw new Error(`bulk ${model.modelName} document is invalid: ${invalid.message}`);
    if (this.checked.has(model.modelName)) return;
    this.checked.add(model.modelName);
    const asStored = normalise(hydrated.toObject({ depopulate: true, versionKey: false }));
    const { __v: _v, ...mine } = doc;
    const ours = normalise(mine);
    if (asStored !== ours) {
      throw new Error(`bulk ${model.modelName} document differs from what the model stores:\n${asStored}\n${ours}`);
    }
  }
}

/** JSON with sorted keys, ids and dates as strings: for comparing two shapes of one document. */
function normalise(v: unknown): string {
  const walk = (x: unknown): unknown => {
    if (x instanceof Types.ObjectId) return `oid:${x.toHexString()}`;
    if (x instanceof Date) return `date:${x.toISOString()}`;
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const val = (x as Record<string, unknown>)[k];
        if (val !== undefined) out[k] = walk(val);
      }
      return out;
    }
    return x;
  };
  return JSON.stringify(walk(v));
}

/**
 * The ledger, appended in process: the same fields and hash as `append` (ledger.service), in seq
 * order, continuing from the head. Entries go in with ordered insertMany; the head hint is moved at
 * the end so the next `append` of a running server continues from here without a scan.
 */
class LedgerWriter {
  private buffer: Record<string, unknown>[] = [];
  readonly fromSeq: number;
  private lastAt = 0;

  constructor(
    private head: HeadRef,
    private readonly out: Inserter,
  ) {
    if (head.seq === 0 && head.hash !== GENESIS_HASH) throw new Error('an empty ledger chains from the genesis hash');
    this.fromSeq = head.seq + 1;
  }

  get seq(): number {
    return this.head.seq;
  }
  get hash(): string {
    return this.head.hash;
  }

  async push(input: AppendInput & { at: Date }): Promise<void> {
    if (input.at.getTime() < this.lastAt)
      throw new Error(`ledger events out of time order at ${input.type} ${input.ref}`);
    this.lastAt = input.at.getTime();
    const fields = entryFields(input, this.head, input.at);
    const hash = entryHash(fields);
    const doc: Record<string, unknown> = { _id: entryId(fields.seq), hash };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc[k] = v;
    this.buffer.push(doc);
    this.head = { seq: fields.seq, hash };
    if (this.buffer.length >= this.out.batch) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const docs = this.buffer;
    this.buffer = [];
    try {
      await this.out.insert(LedgerEntryModel, docs);
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new Error(
          'the ledger moved while the generator wrote it (a server appending?): stopped before forking it',
        );
      }
      throw err;
    }
  }

  /** Writes what is left and moves the head hint forward (never back). */
  async close(): Promise<void> {
    await this.flush();
    if (this.head.seq < this.fromSeq) return;
    await LedgerHeadModel.updateOne(
      { _id: 'ledger', seq: { $lt: this.head.seq } },
      { $set: { seq: this.head.seq, hash: this.head.hash } },
      { upsert: true },
    ).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  }
}

/**
 * `count` numbers of a named sequence, claimed the way `nextSequence` claims one (an insert of
 * `<name>#<n>` into sequence_claims; taken numbers are skipped), then the counter hint moved past them.
 */
async function claimNumbers(name: string, count: number, out: Inserter): Promise<number[]> {
  const db = mongoose.connection;
  const claims = db.collection<{ _id: string }>('sequence_claims');
  const counters = db.collection<{ _id: string; seq: number }>('counters');
  let next = ((await counters.findOne({ _id: name }))?.seq ?? 0) + 1;
  const got: number[] = [];
  const started = performance.now();
  let written = 0;
  while (got.length < count) {
    const want = Math.min(out.batch, count - got.length);
    const numbers = Array.from({ length: want }, (_, i) => next + i);
    next += want;
    const taken = new Set<number>();
    try {
      await claims.insertMany(
        numbers.map((n) => ({ _id: `${name}#${n}` })),
        { ordered: false },
      );
    } catch (err) {
      const errors = (err as { writeErrors?: { code?: number; index: number }[] }).writeErrors;
      if (!errors?.length || !onlyDuplicateKeys(err)) throw err;
      for (const e of errors) taken.add(numbers[e.index]!);
    }
    for (const n of numbers) if (!taken.has(n)) got.push(n);
    written += numbers.length - taken.size;
  }
  out.note('sequence_claims', written, performance.now() - started);
  await counters.updateOne({ _id: name }, { $max: { seq: got.at(-1)! } }, { upsert: true }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  return got;
}

const count = (groups: Map<string, number>, name: string) => groups.set(name, (groups.get(name) ?? 0) + 1);

/** The next claimed number of a sequence. */
function take(claimed: Map<string, number[]>, name: string): number {
  const n = claimed.get(name)?.shift();
  if (n === undefined) throw new Error(`bulk: no number claimed for ${name}`);
  return n;
}

/** Claims the numbers of every group at once: `groups` maps a sequence name to how many it needs. */
async function claimAll(groups: Map<string, number>, out: Inserter): Promise<Map<string, number[]>> {
  const result = new Map<string, number[]>();
  for (const [name, count] of groups) result.set(name, await claimNumbers(name, count, out));
  return result;
}

// ---------------------------------------------------------------------------------------------
// The world

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const SHANGHAI_YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' });
const yearOf = (at: Date) => SHANGHAI_YEAR.format(at);
const pad6 = (n: number) => String(n).padStart(6, '0');

/** An ObjectId whose timestamp is `at`, as if created then. */
const idAt = (at: Date) => new Types.ObjectId(Types.ObjectId.generate(Math.floor(at.getTime() / 1000)));

export const TYPE_NAMES: Record<ProductType, string> = {
  dataset: '数据集',
  api: '查询接口',
  report: '分析报告',
  model: '预测模型',
  'data-component': '数据组件',
  service: '数据服务',
};
export const QUALIFIERS = [
  '月度',
  '季度',
  '年度',
  '实时',
  '历史',
  '精选',
  '全量',
  '区县级',
  '网格化',
  '高频',
  '标准版',
  '专业版',
  '企业版',
  '轻量版',
  '增强版',
  '汇总',
  '明细',
  '趋势',
  '专题',
  '融合',
];

/** A bulk product's title, summary and tags, from its source resource (bench/search-engine.ts uses it too). */
export function productWords(w: {
  qualifier: string;
  resourceName: string;
  description: string;
  domain: Domain;
  productType: ProductType;
  /** What the summary says it is based on (registration numbers), before the resource's name. */
  basis?: string;
}): { title: string; summary: string; tags: string[] } {
  const typeName = TYPE_NAMES[w.productType];
  return {
    title: `${w.qualifier}${w.resourceName.replace(/数据$/, '')}${typeName}`.slice(0, 120),
    summary: `基于${w.basis ?? ''}「${w.resourceName}」加工形成的${typeName}。${w.description}`,
    tags: [...new Set([DOMAINS[w.domain], w.qualifier, typeName])],
  };
}
const PROVIDER_NAMES = ['数据科技', '智慧信息', '数字产业', '数据服务', '信息技术', '大数据运营'];
const BUYER_NAMES = ['物流', '保险', '银行', '能源', '建设', '医药', '农业科技', '文旅', '汽车', '零售'];
const PREFIXES = ['郑州', '洛阳', '开封', '新乡', '南阳', '许昌', '安阳', '信阳', '焦作', '商丘', '周口', '平顶山'];

/** A sample file stored once per resource template and shared by every clone of it. */
interface TemplateFiles {
  def: ResourceDef;
  resourceSample: StoredSample;
  resourceScan: ScanResult;
  grade: Grade;
  level: string;
  listingSample: StoredSample;
  listingScan: ScanResult;
  dataFile: StoredSample;
  dataScan: ScanResult;
}

interface ResourceRec {
  _id: Types.ObjectId;
  t: TemplateFiles;
  name: string;
  registrationNumber: string;
  grade: Grade;
  level: string;
  domain: string;
  doc: Record<string, unknown>;
}

interface ListingRec {
  _id: Types.ObjectId;
  at: Date;
  code: string;
  providerOrgId: Types.ObjectId;
  authorizationId: Types.ObjectId;
  authorityOrgId: Types.ObjectId;
  grade: Grade;
  title: string;
  productType: ProductType;
  deliveryMode: DeliveryMode;
  pricing: { model: PricingModel; priceFen: number; unit?: string; periodDays?: number };
}

function creditCode(r: () => number): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += CODE_CHARS[Math.floor(r() * CODE_CHARS.length)];
  return withCreditCodeCheck(`91410100${body}`);
}

/** Up to `k` sorted times in [from, to), uniformly spread. */
function sortedTimes(r: () => number, k: number, from: number, to: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) out[i] = from + r() * (to - from);
  return out.sort();
}

/** How many of the sorted `times` are below `t`. */
function countBelow(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function storeTemplate(def: ResourceDef, tag: string): Promise<TemplateFiles> {
  const res = await ingestSample(
    { buffer: sampleCsv(def.fields, 40, `${def.key}`), originalname: `${def.key}-sample.csv` },
    { bulk: tag },
  );
  const lst = await ingestSample(
    { buffer: deidentifiedCsv(def.fields, 20, `${def.key}:sample`), originalname: `${def.key}-product-sample.csv` },
    { bulk: tag, role: 'sample' },
  );
  const data = await ingestSample(
    { buffer: deidentifiedCsv(def.fields, 200, `${def.key}:data`), originalname: `${def.key}-product-data.csv` },
    { bulk: tag, role: 'dataFile' },
  );
  const proposed = res.scan.proposed;
  return {
    def,
    resourceSample: res.sample,
    resourceScan: res.scan,
    grade: highestGrade([proposed.grade, def.declaredGrade]),
    level: proposed.level,
    listingSample: lst.sample,
    listingScan: lst.scan,
    dataFile: data.sample,
    dataScan: data.scan,
  };
}

/** What an order's entitlement will grant (orders.service `entitlementTerms`). */
function entitlementTerms(config: Config, l: ListingRec, quantity: number) {
  const terms: Record<string, number> = {};
  if (l.deliveryMode === 'download') terms.downloadLimit = config.DOWNLOAD_LIMIT * quantity;
  if (l.deliveryMode === 'api') {
    terms.callQuota = quantity * (l.pricing.model === 'per_call' ? config.API_CALLS_PER_UNIT : config.API_CALL_QUOTA);
  }
  if (l.pricing.model === 'subscription' && l.pricing.periodDays) terms.validDays = l.pricing.periodDays * quantity;
  return terms;
}

/** The order's request hash (orders.service `requestHash`). */
function requestHash(listingId: string, quantity: number, paymentMethod: string): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([listingId.toLowerCase(), quantity, paymentMethod]))
    .digest('hex');
}

/**
 * Writes a world of `listings` listed products and `trades` settled orders into the connected
 * database (mongoose must be connected and the models initialised). Returns who is in it and how
 * fast each collection was written.
 */
export async function generateBulk(config: Config, opts: BulkOptions): Promise<BulkResult> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  const out = new Inserter(Math.max(1, opts.batch ?? 1000));
  const r = rng(opts.seed ?? crypto.randomInt(2 ** 31));
  const tag = crypto.randomBytes(3).toString('hex');
  const refundRate = opts.refundRate ?? 0.002;

  const head = await headRef();
  const headAt = head.seq ? (await LedgerEntryModel.findById(entryId(head.seq), { at: 1 }).lean())?.at : undefined;
  const end = (opts.to ?? new Date()).getTime();
  const t0 = Math.max((opts.from ?? new Date(end - 365 * DAY_MS)).getTime(), (headAt?.getTime() ?? 0) + 1000);
  if (t0 >= end) throw new Error('the time window is empty (it must end after the ledger head)');
  const span = end - t0;
  const ledger = new LedgerWriter(head, out);

  // Times first: resources registered, then authorizations granted, then listings, trades after their listing.
  const tGrant = t0 + 0.01 * span;
  const tList = t0 + 0.02 * span;
  const listingTimes = sortedTimes(r, opts.listings, tList, tList + 0.6 * (end - tList));
  const firstListed = listingTimes[0] ?? end;
  const tradeTimes = opts.listings ? sortedTimes(r, opts.trades, firstListed + 1, end) : new Float64Array(0);
  const tradeListing = new Int32Array(tradeTimes.length);
  const orderTimes = new Float64Array(tradeTimes.length); // placed up to two days before settlement
  const settled = new Int32Array(opts.listings);
  for (let i = 0; i < tradeTimes.length; i++) {
    const open = countBelow(listingTimes, tradeTimes[i]!);
    const idx = Math.min(open - 1, Math.floor(open * r() ** 1.6)); // older listings sell more
    tradeListing[i] = idx;
    orderTimes[i] = Math.max(listingTimes[idx]! + 1, tradeTimes[i]! - Math.floor(r() * 2 * DAY_MS));
    settled[idx]!++;
  }

  // -- Organisations and users ----------------------------------------------------------------
  const passwordHash = await bcrypt.hash(BULK_PASSWORD, 10);
  const nProviders = Math.max(2, Math.min(200, Math.ceil(opts.listings / 250)));
  const nBuyers = opts.buyers ?? Math.max(2, Math.min(500, Math.ceil(opts.trades / 1000)));
  const orgs: Record<string, unknown>[] = [];
  const users: Record<string, unknown>[] = [];
  const actor = (role: Role, name: string, i = 0): BulkActor => {
    const at = new Date(t0 - DAY_MS);
    const org = { _id: idAt(at), name, creditCode: creditCode(r), createdAt: at, updatedAt: at, __v: 0 };
    const email = `bulk-${tag}-${role}-${i}@bench.zdec.cn`;
    const user = {
      _id: idAt(at),
      email,
      passwordHash,
      displayName: `${name} ${role}`,
      role,
      orgId: org._id,
      active: true,
      tokenVersion: 0,
      // The bulk world's exchange user confirms transfers (the benchmarks' clearing staff); the
      // reviews the generator writes are records, not requests, so they need no review duty.
      ...(role === 'exchange' ? { duty: 'clearing' } : {}),
      createdAt: at,
      updatedAt: at,
      __v: 0,
    };
    orgs.push(org);
    users.push(user);
    return { userId: String(user._id), orgId: String(org._id), role, email };
  };
  const world: BulkWorld = {
    authority: actor('authority', `河南省数据局（批量 ${tag}）`),
    exchange: actor('exchange', `郑州数据交易中心（批量 ${tag}）`),
    regulator: actor('regulator', `河南省数据交易监管办公室（批量 ${tag}）`),
    providers: Array.from({ length: nProviders }, (_, i) =>
      actor(
        'provider',
        `${PREFIXES[i % PREFIXES.length]}${PROVIDER_NAMES[i % PROVIDER_NAMES.length]}有限公司（批量 ${tag}-${i}）`,
        i,
      ),
    ),
    buyers: Array.from({ length: nBuyers }, (_, i) =>
      actor(
        'buyer',
        `${PREFIXES[(i * 7) % PREFIXES.length]}${BUYER_NAMES[i % BUYER_NAMES.length]}集团（批量 ${tag}-${i}）`,
        i,
      ),
    ),
    listingIds: [],
    resourceIds: [],
    authorizationIds: [],
  };
  await out.insert(OrgModel, orgs);
  await out.insert(UserModel, users);
  const orgName = new Map(orgs.map((o) => [String(o._id), o.name as string]));
  const oid = (s: string) => new Types.ObjectId(s);
  log(`organisations ${orgs.length}, users ${users.length}`);

  // -- Resources: one sample per template, registered clones ----------------------------------
  const usable = RESOURCES.filter((d) => d.openness !== 'closed' && d.declaredGrade !== 'core');
  const nResources = Math.max(nProviders, Math.min(2000, Math.max(10, Math.ceil(opts.listings / 40))));
  const templates: TemplateFiles[] = [];
  for (const def of usable.slice(0, Math.min(usable.length, nResources))) {
    const t = await storeTemplate(def, tag);
    if (t.grade !== 'core') templates.push(t);
  }
  log(`sample files ${templates.length * 3} (GridFS)`);

  const authorityUser = oid(world.authority.userId);
  const authorityOrg = oid(world.authority.orgId);
  const resources: ResourceRec[] = [];
  const resourceTimes = sortedTimes(r, nResources, t0, tGrant);
  const drGroups = new Map<string, number>();
  const drName = (t: TemplateFiles, at: Date) => `resource:${t.def.region}:${yearOf(at)}`;
  for (let i = 0; i < nResources; i++) {
    const t = templates[i % templates.length]!;
    const at = new Date(resourceTimes[i]!);
    count(drGroups, drName(t, at));
  }
  const drNumbers = await claimAll(drGroups, out);
  const registrations: Record<string, unknown>[] = [];
  for (let i = 0; i < nResources; i++) {
    const t = templates[i % templates.length]!;
    const def = t.def;
    const registeredAt = new Date(resourceTimes[i]!);
    const createdAt = new Date(registeredAt.getTime() - HOUR_MS);
    const round = Math.floor(i / templates.length);
    const name = round ? `${def.name}（${round + 1}）` : def.name;
    const year = yearOf(registeredAt);
    const number = `DR-${def.region}-${year}-${pad6(take(drNumbers, drName(t, registeredAt)))}`;
    const _id = idAt(createdAt);
    const meta = {
      kind: 'public' as const,
      ownerOrgId: authorityOrg,
      name,
      description: def.description,
      holderDepartment: def.holder,
      regionCode: def.region,
      domain: def.domain,
      openness: def.openness,
      fields: def.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
      updateFrequency: def.frequency,
      recordCount: def.records,
      grade: t.grade,
      level: t.level as 'L1',
      sample: t.resourceSample,
    };
    const certificate = {
      number,
      issuedAt: registeredAt,
      digest: certificateDigest(meta as unknown as CertifiedInput, { number, issuedAt: registeredAt }),
    };
    const doc = {
      _id,
      registrationNumber: number,
      ...meta,
      createdBy: authorityUser,
      scan: t.resourceScan,
      status: 'registered',
      certificate,
      registeredAt,
      searchTerms: resourceSearchTerms({ ...meta, registrationNumber: number }),
      outbox: [],
      createdAt,
      updatedAt: registeredAt,
      __v: 0,
    };
    const snapshot = {
      ...certificateBody(meta as unknown as CertifiedInput, { number: '', issuedAt: registeredAt }),
      sample: t.resourceSample,
      scan: t.resourceScan,
      number,
    };
    registrations.push({
      _id: idAt(registeredAt),
      resourceId: _id,
      number,
      ownerOrgId: authorityOrg,
      by: authorityUser,
      at: registeredAt,
      grade: t.grade,
      level: t.level,
      certificate,
      snapshot,
      outbox: [],
    });
    resources.push({
      _id,
      t,
      name,
      registrationNumber: number,
      grade: t.grade,
      level: t.level,
      domain: def.domain,
      doc,
    });
  }
  await out.insert(
    ResourceModel,
    resources.map((x) => x.doc),
  );
  await out.insert(ResourceRegistrationModel, registrations);
  world.resourceIds = resources.map((x) => String(x._id));
  for (const x of resources) {
    await ledger.push({
      type: 'resource.registered',
      ref: String(x._id),
      resourceId: String(x._id),
      grade: x.grade,
      orgIds: [world.authority.orgId],
      at: x.doc.registeredAt as Date,
    });
  }
  log(`resources ${resources.length}`);

  // -- Authorizations: one per provider over its share of the resources -------------------------
  const grantAt = new Date(tGrant);
  const sqYear = yearOf(grantAt);
  const sqNumbers = (await claimAll(new Map([[`authorization:${sqYear}`, nProviders]]), out)).get(
    `authorization:${sqYear}`,
  )!;
  const feeCaps = { one_time: 50_000_000, subscription: 50_000_000, per_call: 100_000 };
  const auths = world.providers.map((p, i) => {
    const mine = resources.filter((_, k) => k % nProviders === i);
    return {
      _id: idAt(grantAt),
      number: `SQ-${sqYear}-${pad6(sqNumbers[i]!)}`,
      authorityOrgId: authorityOrg,
      operatorOrgId: oid(p.orgId),
      resourceIds: mine.map((x) => x._id),
      purpose: '公共数据授权运营：加工形成数据产品和服务，面向市场主体提供（批量生成）',
      allowedProductTypes: Object.keys(TYPE_NAMES),
      allowedDeliveryModes: ['download', 'api', 'sandbox'],
      validFrom: grantAt,
      validTo: new Date(end + 3 * 365 * DAY_MS),
      feeCaps,
      status: 'active',
      grantedBy: authorityUser,
      outbox: [],
      createdAt: grantAt,
      updatedAt: grantAt,
      __v: 0,
      mine,
    };
  });
  await out.insert(
    AuthorizationModel,
    auths.map(({ mine: _m, ...a }) => a),
  );
  world.authorizationIds = auths.map((a) => String(a._id));
  for (const a of auths) {
    await ledger.push({
      type: 'authorization.granted',
      ref: String(a._id),
      authorizationId: String(a._id),
      orgIds: [world.authority.orgId, String(a.operatorOrgId)],
      at: grantAt,
    });
  }
  log(`authorizations ${auths.length}`);

  // -- Listings: built, checked against every compliance rule, listed ---------------------------
  const exchangeUser = oid(world.exchange.userId);
  const lsGroups = new Map<string, number>();
  for (const t of listingTimes) count(lsGroups, `listing:${yearOf(new Date(t))}`);
  const lsNumbers = await claimAll(lsGroups, out);
  const listings: ListingRec[] = [];
  let listingDocs: Record<string, unknown>[] = [];
  let codeDocs: Record<string, unknown>[] = [];
  let decisionDocs: Record<string, unknown>[] = [];
  const flushListings = async () => {
    await out.insert(ListingModel, listingDocs);
    await out.insert(ListingCodeModel, codeDocs);
    await out.insert(ListingDecisionModel, decisionDocs);
    listingDocs = [];
    codeDocs = [];
    decisionDocs = [];
  };
  for (let i = 0; i < opts.listings; i++) {
    const pi = i % nProviders;
    const provider = world.providers[pi]!;
    const auth = auths[pi]!;
    const src = auth.mine[Math.floor(r() * auth.mine.length)]!;
    const sources = [src];
    if (r() < 0.2 && auth.mine.length > 1) {
      const other = auth.mine[Math.floor(r() * auth.mine.length)]!;
      if (other !== src && other.t.grade === src.t.grade) sources.push(other);
    }
    const grade = highestGrade(sources.map((s) => s.grade));
    const level = highestLevel(sources.map((s) => s.level));
    const deliveryMode: DeliveryMode =
      grade === 'important' ? 'sandbox' : (['download', 'api', 'sandbox'] as const)[Math.floor(r() * 3)]!;
    const productType: ProductType =
      deliveryMode === 'api'
        ? (['api', 'service'] as const)[Math.floor(r() * 2)]!
        : deliveryMode === 'download'
          ? (['dataset', 'report', 'data-component'] as const)[Math.floor(r() * 3)]!
          : (['model', 'service', 'dataset'] as const)[Math.floor(r() * 3)]!;
    const pricing: ListingRec['pricing'] =
      deliveryMode === 'api' && r() < 0.6
        ? { model: 'per_call', priceFen: 100 * (5 + Math.floor(r() * 500)), unit: '千次' }
        : r() < 0.4
          ? {
              model: 'subscription',
              priceFen: 100 * (100 + Math.floor(r() * 20_000)),
              periodDays: [30, 90, 365][Math.floor(r() * 3)]!,
            }
          : { model: 'one_time', priceFen: 100 * (50 + Math.floor(r() * 50_000)) };
    const qualifier = QUALIFIERS[Math.floor(r() * QUALIFIERS.length)]!;
    const words = productWords({
      qualifier,
      resourceName: src.name,
      description: src.t.def.description,
      domain: src.domain as Domain,
      productType,
      basis: sources.map((s) => s.registrationNumber).join('、'),
    });
    const { title, summary, tags } = words;
    const listedAt = new Date(listingTimes[i]!);
    const createdAt = new Date(listedAt.getTime() - Math.min(3 * HOUR_MS, (listedAt.getTime() - tGrant) / 2));
    const submittedAt = new Date((createdAt.getTime() + listedAt.getTime()) / 2);
    const _id = idAt(createdAt);
    const year = yearOf(listedAt);
    const code = `ZDEC-${year}-${pad6(take(lsNumbers, `listing:${year}`))}`;
    const needsFile = deliveryMode !== 'sandbox';
    const files = {
      sample: src.t.listingSample,
      sampleScan: src.t.listingScan,
      ...(needsFile ? { dataFile: src.t.dataFile, dataScan: src.t.dataScan } : {}),
    };
    const deIdentified = level === 'L3' || level === 'L4' || r() < 0.3;
    const listingForRules = {
      providerOrgId: provider.orgId,
      productType,
      deliveryMode,
      deIdentified,
      authorizationId: auth._id,
      sourceResourceIds: sources.map((s) => s._id),
      pricing,
      ...files,
    };
    const checklist: RuleResult[] = evaluateRules({
      listing: listingForRules,
      sources: sources.map((s) => ({
        _id: s._id,
        kind: 'public',
        ownerOrgId: authorityOrg,
        status: 'registered',
        grade: s.grade,
        level: s.level,
        openness: s.t.def.openness,
        registrationNumber: s.registrationNumber,
        name: s.name,
      })),
      authorization: { ...auth, feeCaps },
      now: listedAt,
    });
    const failed = checklist.filter((c) => !c.ok);
    if (failed.length) throw new Error(`bulk listing ${title} would fail review: ${JSON.stringify(failed)}`);
    const review = { by: exchangeUser, at: listedAt, decision: 'approve', reasons: [], checklist };
    const providerName = orgName.get(provider.orgId)!;
    listingDocs.push({
      _id,
      code,
      providerOrgId: oid(provider.orgId),
      providerName,
      createdBy: oid(provider.userId),
      title,
      summary,
      productType,
      sourceResourceIds: sources.map((s) => s._id),
      authorizationId: auth._id,
      grade,
      ...(level ? { level } : {}),
      domains: [...new Set(sources.map((s) => s.domain))],
      deIdentified,
      deliveryMode,
      pricing,
      ...files,
      tags,
      status: 'listed',
      reviews: [review],
      submittedAt,
      reviewRound: 1,
      listedAt,
      delistCount: 0,
      settledCount: settled[i]!,
      searchTerms: listingSearchTerms({ title, summary, tags, providerName }),
      outbox: [],
      createdAt,
      updatedAt: listedAt,
      __v: 0,
    });
    codeDocs.push({ _id: code, listingId: _id, at: listedAt });
    decisionDocs.push({ _id: decisionId(_id, 1), listingId: _id, round: 1, ...review });
    listings.push({
      _id,
      at: listedAt,
      code,
      providerOrgId: oid(provider.orgId),
      authorizationId: auth._id,
      authorityOrgId: authorityOrg,
      grade,
      title,
      productType,
      deliveryMode,
      pricing,
    });
    if (listingDocs.length >= out.batch) await flushListings();
  }
  await flushListings();
  world.listingIds = listings.map((l) => String(l._id));
  log(`listings ${listings.length}`);

  // -- Trades, merged with the listing events into one ledger in time order ---------------------
  const ordGroups = new Map<string, number>();
  for (const t of orderTimes) count(ordGroups, `order-${yearOf(new Date(t))}`);
  const ordNumbers = await claimAll(ordGroups, out);
  let orders: Record<string, unknown>[] = [];
  let transitions: Record<string, unknown>[] = [];
  let entitlements: Record<string, unknown>[] = [];
  // The orders' access paths (server/src/modules/trade/order-paths.ts, platform/db sequences).
  const sequences = new BulkSequences();
  const flushTrades = async () => {
    await out.insert(OrderModel, orders);
    await out.insert(OrderTransitionModel, transitions);
    await out.insert(EntitlementModel, entitlements);
    await out.insert(SequenceMemberModel, sequences.take());
    orders = [];
    transitions = [];
    entitlements = [];
  };
  const pendingRefunds: (AppendInput & { at: Date })[] = []; // few: kept sorted by time
  let nextListing = 0;
  // The listing events and the (few) delayed refunds, merged in time order up to `t`.
  const emitUntil = async (t: number) => {
    for (;;) {
      const upcoming = listings[nextListing];
      const refund = pendingRefunds[0];
      const lAt = upcoming ? upcoming.at.getTime() : Infinity;
      const rAt = refund ? refund.at.getTime() : Infinity;
      if (!upcoming && !refund) return;
      if (Math.min(lAt, rAt) > t) return;
      if (rAt < lAt) {
        await ledger.push(pendingRefunds.shift()!);
        continue;
      }
      const l = listings[nextListing++]!;
      await ledger.push({
        type: 'listing.listed',
        ref: String(l._id),
        listingId: String(l._id),
        listingCode: l.code,
        authorizationId: String(l.authorizationId),
        grade: l.grade,
        orgIds: [String(l.providerOrgId), String(l.authorityOrgId)],
        at: l.at,
      });
    }
  };
  const confirmer = exchangeUser;
  let refunds = 0;
  for (let i = 0; i < tradeTimes.length; i++) {
    const at = new Date(tradeTimes[i]!);
    await emitUntil(at.getTime());
    const l = listings[tradeListing[i]!]!;
    const buyer = world.buyers[Math.floor(r() * world.buyers.length)]!;
    const quantity = r() < 0.8 ? 1 : 2 + Math.floor(r() * 4);
    const amountFen = l.pricing.priceFen * quantity;
    const orderedAt = new Date(orderTimes[i]!);
    const _id = idAt(orderedAt);
    const orderId = String(_id);
    const year = yearOf(orderedAt);
    const number = `ORD-${year}-${pad6(take(ordNumbers, `order-${year}`))}`;
    const payment = {
      method: 'bank_transfer',
      receivedFen: amountFen,
      bankReference: `BK${at.toISOString().slice(0, 10).replace(/-/g, '')}${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
      confirmedBy: confirmer,
    };
    const refunded = r() < refundRate;
    const refundAt = refunded
      ? new Date(Math.min(end, at.getTime() + HOUR_MS + Math.floor(r() * 10 * DAY_MS)))
      : undefined;
    const refund = refundAt
      ? {
          method: 'bank_transfer',
          amountFen,
          reason: '买方申请退款：数据与描述不符（批量生成）',
          bankReference: `RF${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
          by: confirmer,
          at: refundAt,
        }
      : undefined;
    const snapshot = {
      title: l.title,
      productType: l.productType,
      grade: l.grade,
      deliveryMode: l.deliveryMode,
      pricing: { ...l.pricing },
    };
    const terms = entitlementTerms(config, l, quantity);
    const deliveredAt = new Date(at.getTime() + 5);
    orders.push({
      _id,
      number,
      buyerOrgId: oid(buyer.orgId),
      buyerUserId: oid(buyer.userId),
      providerOrgId: l.providerOrgId,
      listingId: l._id,
      listingCode: l.code,
      authorizationId: l.authorizationId,
      snapshot,
      quantity,
      terms,
      amountFen,
      currency: 'cny',
      paymentMethod: 'bank_transfer',
      status: refund ? 'refunded' : 'delivered',
      idempotencyKey: `auto:${crypto.randomUUID()}`,
      requestHash: requestHash(String(l._id), quantity, 'bank_transfer'),
      payment,
      paidAt: at,
      deliveredAt,
      ...(refund ? { refund, refundedAt: refundAt } : {}),
      createdAt: orderedAt,
      updatedAt: refundAt ?? deliveredAt,
      __v: 0,
    });
    for (const k of [
      'all',
      `buyer:${buyer.orgId}`,
      `provider:${String(l.providerOrgId)}`,
      `listing:${String(l._id)}`,
    ]) {
      sequences.add('orders', k, orderId, orderedAt);
    }
    sequences.add('listing-settled', String(l._id), orderId);
    transitions.push({
      _id: `${orderId}:resolution`,
      key: `${orderId}:resolution`,
      orderId: _id,
      listingId: l._id,
      kind: 'settled',
      at,
      payment: { ...payment, confirmedBy: world.exchange.userId },
      outbox: [],
      createdAt: at,
      updatedAt: at,
    });
    if (refund) {
      transitions.push({
        _id: `${orderId}:refund`,
        key: `${orderId}:refund`,
        orderId: _id,
        listingId: l._id,
        kind: 'refunded',
        at: refundAt,
        refund: { ...refund, by: world.exchange.userId },
        outbox: [],
        createdAt: refundAt,
        updatedAt: refundAt,
      });
    }
    entitlements.push({
      _id,
      orderId: _id,
      orderNumber: number,
      buyerOrgId: oid(buyer.orgId),
      providerOrgId: l.providerOrgId,
      listingId: l._id,
      listingCode: l.code,
      authorizationId: l.authorizationId,
      kind: l.deliveryMode,
      grantedAt: at,
      ...(terms.validDays ? { validUntil: new Date(at.getTime() + terms.validDays * DAY_MS) } : {}),
      ...(l.deliveryMode === 'download' ? { downloadLimit: terms.downloadLimit } : {}),
      ...(l.deliveryMode === 'api' ? { callQuota: terms.callQuota } : {}),
      ...(l.deliveryMode === 'sandbox' ? { workspaceId: `SBX-${number}` } : {}),
      ...(refund ? { revokedAt: refundAt, revokeReason: 'Order refunded' } : {}),
      createdAt: at,
      updatedAt: refundAt ?? at,
      __v: 0,
    });
    const entry = {
      ref: orderId,
      grade: l.grade,
      orderId,
      listingId: String(l._id),
      listingCode: l.code,
      authorizationId: String(l.authorizationId),
      orgIds: [buyer.orgId, String(l.providerOrgId)],
    };
    await ledger.push({ type: 'trade.settled', amountFen, at, ...entry });
    if (refund) {
      refunds++;
      pendingRefunds.push({
        type: 'trade.refunded',
        amountFen: amountFen === 0 ? 0 : -amountFen,
        at: refundAt!,
        ...entry,
      });
      pendingRefunds.sort((a, b) => a.at.getTime() - b.at.getTime());
    }
    if (orders.length >= out.batch) {
      await flushTrades();
      if ((i + 1) % (out.batch * 20) === 0) log(`trades ${i + 1}/${tradeTimes.length}`);
    }
  }
  await flushTrades();
  await sequences.finish();
  await emitUntil(Number.POSITIVE_INFINITY);
  await ledger.close();
  log(`trades ${tradeTimes.length} (${refunds} refunded), ledger seq ${ledger.fromSeq}..${ledger.seq}`);
  // Listings written behind the services' back: every server's catalog rebuilds (catalog/feed.ts).
  await announceBulkChange();

  return {
    world,
    stats: out.stats,
    ledger: { fromSeq: ledger.fromSeq, toSeq: ledger.seq, headHash: ledger.hash },
    totalMs: performance.now() - started,
  };
}

/** Per-collection lines: documents, seconds in insertMany, documents per second. */
export function formatStats(result: BulkResult): string {
  const rows = Object.entries(result.stats).map(([name, s]) => {
    const rate = s.ms > 0 ? Math.round((s.docs / s.ms) * 1000) : 0;
    return `  ${name.padEnd(24)} ${String(s.docs).padStart(9)} docs ${(s.ms / 1000).toFixed(1).padStart(7)} s ${String(rate).padStart(8)} docs/s`;
  });
  const docs = Object.values(result.stats).reduce((n, s) => n + s.docs, 0);
  const secs = result.totalMs / 1000;
  rows.push(
    `  ${'total'.padEnd(24)} ${String(docs).padStart(9)} docs ${secs.toFixed(1).padStart(7)} s ${String(Math.round(docs / secs)).padStart(8)} docs/s (wall, generation included)`,
  );
  return rows.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Command line

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      listings: { type: 'string' },
      trades: { type: 'string' },
      uri: { type: 'string' },
      db: { type: 'string' },
      batch: { type: 'string', default: '1000' },
      days: { type: 'string', default: '365' },
      'refund-rate': { type: 'string', default: '0.002' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const listings = int('listings', values.listings, 1);
  const trades = int('trades', values.trades ?? '0', 0);
  const batch = int('batch', values.batch, 1);
  const days = int('days', values.days, 1);
  const refundRate = Number(values['refund-rate']);
  if (!(refundRate >= 0 && refundRate <= 1)) throw new Error('--refund-rate must be between 0 and 1');

  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  let db: DatabaseHandle | undefined;
  try {
    db = await startDatabase({ uri: values.uri ?? config.MONGODB_URI, dataDir: config.DATA_DIR, log });
    const dbName = values.db ?? config.MONGODB_DB;
    await mongoose.connect(db.uri, { dbName, serverSelectionTimeoutMS: 15_000 });
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
    console.log(
      `bulk: ${listings} listings, ${trades} trades into ${db.kind} database "${dbName}", batches of ${batch}`,
    );
    const now = new Date();
    const result = await generateBulk(config, {
      listings,
      trades,
      batch,
      refundRate,
      from: new Date(now.getTime() - days * DAY_MS),
      to: now,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(formatStats(result));
    console.log(`ledger: seq ${result.ledger.fromSeq}..${result.ledger.toSeq}, head ${result.ledger.headHash}`);
    console.log(
      `accounts: ${result.world.exchange.email} (exchange), ${result.world.buyers[0]!.email} (buyer), … password ${BULK_PASSWORD}`,
    );
  } finally {
    await mongoose.disconnect();
    await db?.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
