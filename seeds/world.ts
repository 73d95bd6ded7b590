import {
  AdminCreateUserBody,
  ApplicationBody,
  AuthorizationCreateBody,
  ConfirmTransferBody,
  ListingCreateBody,
  ListingUpdateBody,
  ObjectionBody,
  ObjectionRulingBody,
  OrderCreateBody,
  RefundBody,
  RefundRequestBody,
  ResourceCreateBody,
  ResourceRegisterBody,
  ReviewBody,
  type Role,
} from '@zdec/shared';
import type { Config } from '../server/src/config';
import { atTime } from '../server/src/platform/clock';
import type { Principal } from '../server/src/platform/http/auth';
import type { Logger } from '../server/src/platform/logger';
import { adminCreateUser } from '../server/src/modules/accounts/accounts.service';
import { UserModel } from '../server/src/modules/accounts/user.model';
import * as authorizations from '../server/src/modules/authorizations/authorizations.service';
import { AuthorizationModel } from '../server/src/modules/authorizations/authorization.model';
import * as catalog from '../server/src/modules/resources/resources.service';
import { ResourceModel } from '../server/src/modules/resources/resource.model';
import { LedgerEntryModel } from '../server/src/modules/ledger/ledger.model';
import * as listings from '../server/src/modules/listings/listings.service';
import * as listingFiles from '../server/src/modules/listings/listings.files';
import * as listingReview from '../server/src/modules/listings/listings.review';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { OrderModel } from '../server/src/modules/trade/order.model';
import { cancelOrder, createOrder } from '../server/src/modules/trade/orders.service';
import { confirmTransfer } from '../server/src/modules/trade/payments.service';
import { refundOrder } from '../server/src/modules/trade/refunds.service';
import * as applications from '../server/src/modules/authorizations/applications.service';
import * as registration from '../server/src/modules/resources/registration.service';
import { requestRefund } from '../server/src/modules/trade/refund-requests.service';
import { DEMO_PASSWORD, ORGS } from './data/orgs';
import type { ResourceDef } from './data/resources';
import { DEFAULT_NOTICE_WORKING_DAYS, planWorld, type ListingJob, type SeedScale, type Step } from './plan';
import { deidentifiedCsv, PERSONAL_GENS, sampleCsv } from './samples';
import { seedSandboxProducts } from './sandbox'; // sandbox (issue 14)

export type { SeedScale } from './plan';

export interface SeedProgress {
  /** What is being laid down: accounts, resources, authorizations, listings, trades. */
  phase: string;
  done: number;
  total: number;
  /** The date in the world's history the seeder has reached. */
  at: string;
}

export interface SeedOptions {
  config: Config;
  log?: Logger;
  onProgress?: (p: SeedProgress) => void;
  /** `full` (default): the demo world; `small`: 12 resources, 16 listings, about 20 trades (tests). */
  scale?: SeedScale;
  /** Nothing is dated after this (default: now). */
  until?: Date;
}

export interface SeedCounts {
  users: number;
  resources: number;
  authorizations: number;
  listings: Record<string, number>;
  orders: Record<string, number>;
  ledger: Record<string, number>;
  volumeFen: number;
}

export interface SeedResult {
  /** False when the database already held resources, so nothing was done. */
  seeded: boolean;
  ms: number;
  counts: SeedCounts;
}

const SAMPLE_ROWS = 40;
const PRODUCT_SAMPLE_ROWS = 20;
const PRODUCT_DATA_ROWS = 300;

const PHASES: Record<Step['kind'], string> = {
  register: 'resources',
  grant: 'authorizations',
  revoke: 'authorizations',
  list: 'listings',
  review: 'listings',
  fix: 'listings',
  delist: 'listings',
  order: 'trades',
  confirm: 'trades',
  cancel: 'trades',
  refund: 'trades',
  publish: 'registrations',
  object: 'registrations',
  rule: 'registrations',
  certify: 'registrations',
  apply: 'authorizations',
  'refund-request': 'trades',
};

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/** A draft resource with its scanned sample (the sample 4 minutes after the draft). Returns its id. */
async function draftWithSample(p: Principal, r: ResourceDef, at: Date): Promise<string> {
  const created = await catalog.createResource(
    p,
    ResourceCreateBody.parse({
      name: r.name,
      description: r.description,
      holderDepartment: r.holder,
      regionCode: r.region,
      domain: r.domain,
      openness: r.openness,
      fields: r.fields.map((f) => ({ name: f.name, type: f.type, description: f.description })),
      updateFrequency: r.frequency,
      recordCount: r.records,
    }),
  );
  await atTime(minutes(at, 4), () =>
    catalog.uploadSample(p, created.id, {
      buffer: sampleCsv(r.fields, SAMPLE_ROWS, r.key),
      originalname: `${r.name}-样例.csv`,
    }),
  );
  return created.id;
}

/** The registration asked for: the declared grade; conditionally open data is internal (L2) even where the scan finds nothing personal. */
function registerBody(r: ResourceDef) {
  const personal = r.fields.some((f) => PERSONAL_GENS.has(f.gen));
  return ResourceRegisterBody.parse({
    ...(r.declaredGrade ? { grade: r.declaredGrade } : {}),
    ...(!personal && r.openness !== 'unconditional' ? { level: 'L2' } : {}),
  });
}

/** The fields of a product's table: its sources' columns, each name once. */
function productFields(sources: ResourceDef[]) {
  const seen = new Set<string>();
  return sources.flatMap((s) => s.fields).filter((f) => !seen.has(f.name) && seen.add(f.name));
}

/** A product file: de-identified when any source holds personal information, unless `raw` is asked for. */
function productCsv(job: ListingJob, rows: number, what: string, raw = false): Buffer {
  const fields = productFields(job.sources);
  const seed = `${job.key}:${what}`;
  return job.deIdentified && !raw ? deidentifiedCsv(fields, rows, seed) : sampleCsv(fields, rows, seed);
}

/**
 * Lays down the demo world through the platform's own services, each call at its moment in the
 * world's history (platform clock), in chronological order so the ledger's sequence follows time:
 * accounts; resources registered January–March 2025; authorizations over 2025; products created,
 * reviewed and listed from February 2025 on; orders paid by bank transfer and confirmed by the
 * exchange, month after month until yesterday; and, in the last days, work waiting for every role
 * (listings to review, transfers to confirm, a registration under notice with an objection, an
 * authorization application and one about to expire, a refund request). Does nothing when any
 * resource exists.
 */
export async function seedDemoWorld(opts: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const { config, log } = opts;
  if (await ResourceModel.exists({})) {
    log?.info('the database already holds resources: no demo world seeded');
    return { seeded: false, ms: Date.now() - started, counts: await countWorld() };
  }
  const plan = planWorld({
    scale: opts.scale,
    until: opts.until,
    noticeWorkingDays: config.REGISTRATION_NOTICE_WORKING_DAYS || DEFAULT_NOTICE_WORKING_DAYS,
  });
  const report = (phase: string, done: number, total: number, at: Date) =>
    opts.onProgress?.({ phase, done, total, at: at.toISOString() });

  const people = await ensureAccounts(config, log);
  report('accounts', people.size, people.size, new Date());
  const actor = (orgKey: string, role?: Role): Principal => {
    const p = [...people.values()].find((x) => x.orgKey === orgKey && (!role || x.principal.role === role));
    if (!p) throw new Error(`no demo account for ${orgKey}`);
    return p.principal;
  };
  const authority = actor('authority');
  const reviewer = people.get('exchange@demo.zdec.cn')!.principal;
  const clearing = people.get('clearing@demo.zdec.cn')!.principal;
  const deps = { config, log };

  const resourceIds = new Map<string, string>();
  const authorizationIds = new Map<string, string>();
  const listingIds = new Map<string, { id: string; job: ListingJob }>();
  const orderIds = new Map<string, string>();
  const noticeIds = new Map<string, string>();
  const objectionIds = new Map<string, string>();
  const listing = (key: string) => {
    const l = listingIds.get(key);
    if (!l) throw new Error(`listing ${key} was not created`);
    return l;
  };

  const run: Record<Step['kind'], (s: never) => Promise<unknown>> = {
    async register(s: Extract<Step, { kind: 'register' }>) {
      const r = s.resource;
      const p = actor(s.by);
      const id = await draftWithSample(p, r, s.at);
      await atTime(minutes(s.at, 25), () => catalog.registerResource(p, id, registerBody(r)));
      resourceIds.set(r.key, id);
    },

    // the registration lifecycle (公示): published for notice, objected to, ruled on, certified
    async publish(s: Extract<Step, { kind: 'publish' }>) {
      const id = await draftWithSample(authority, s.resource, s.at);
      const submitted = await atTime(minutes(s.at, 25), () =>
        registration.submitRegistration(authority, id, registerBody(s.resource), {
          noticeWorkingDays: plan.noticeWorkingDays,
        }),
      );
      if (!submitted.notice) throw new Error(`${s.resource.key}: registered without a public notice`);
      resourceIds.set(s.resource.key, id);
      noticeIds.set(s.resource.key, submitted.notice.id);
    },

    async object(s: Extract<Step, { kind: 'object' }>) {
      const body = ObjectionBody.parse({ reason: s.reason, contact: s.contact });
      const objection = await registration.fileObjection(actor(s.by), noticeIds.get(s.resource)!, body);
      objectionIds.set(s.resource, objection.id);
    },

    async rule(s: Extract<Step, { kind: 'rule' }>) {
      const body = ObjectionRulingBody.parse({ decision: s.decision, reasons: s.reasons });
      await registration.ruleObjection(authority, objectionIds.get(s.resource)!, body);
    },

    async certify(s: Extract<Step, { kind: 'certify' }>) {
      const notice = await registration.getNotice(undefined, noticeIds.get(s.resource)!);
      if (notice.status !== 'certified')
        throw new Error(`${s.resource}: the notice is ${notice.status}, not certified`);
    },

    async apply(s: Extract<Step, { kind: 'apply' }>) {
      await applications.apply(
        actor(s.operator),
        ApplicationBody.parse({
          resourceIds: s.resources.map((k) => resourceIds.get(k)!),
          purpose: s.purpose,
          allowedProductTypes: s.productTypes,
          allowedDeliveryModes: s.deliveryModes,
          validFrom: s.validFrom,
          validTo: s.validTo,
        }),
      );
    },

    async 'refund-request'(s: Extract<Step, { kind: 'refund-request' }>) {
      await requestRefund(actor(s.buyer), orderIds.get(s.order)!, RefundRequestBody.parse({ reason: s.reason }), log);
    },

    async grant(s: Extract<Step, { kind: 'grant' }>) {
      const a = s.auth;
      const caps = Object.fromEntries(Object.entries(a.feeCapsYuan ?? {}).map(([model, yuan]) => [model, yuan * 100]));
      const granted = await authorizations.grant(
        authority,
        AuthorizationCreateBody.parse({
          operatorOrgId: actor(a.operator).orgId,
          resourceIds: s.resources.map((k) => resourceIds.get(k)!),
          purpose: a.purpose,
          allowedProductTypes: a.productTypes ?? ['dataset', 'api', 'report', 'model', 'data-component', 'service'],
          allowedDeliveryModes: a.deliveryModes ?? ['download', 'api', 'sandbox'],
          validFrom: s.validFrom,
          validTo: s.validTo,
          feeCaps: caps,
        }),
      );
      authorizationIds.set(a.key, granted.id);
    },

    async revoke(s: Extract<Step, { kind: 'revoke' }>) {
      await authorizations.revoke(authority, authorizationIds.get(s.auth)!, s.reason);
    },

    async list(s: Extract<Step, { kind: 'list' }>) {
      const j = s.job;
      const p = actor(j.operator);
      const created = await listings.create(
        p,
        ListingCreateBody.parse({
          title: j.title,
          summary: j.thinSummaryFirst ? j.title : j.summary,
          productType: j.productType,
          sourceResourceIds: j.sources.map((r) => resourceIds.get(r.key)!),
          ...(j.authorization ? { authorizationId: authorizationIds.get(j.authorization)! } : {}),
          deIdentified: j.deIdentified,
          deliveryMode: j.deliveryMode,
          pricing: j.pricing,
          tags: j.tags,
        }),
      );
      listingIds.set(j.key, { id: created.id, job: j });
      await atTime(minutes(s.at, 6), () =>
        listingFiles.uploadSample(p, created.id, {
          buffer: productCsv(j, PRODUCT_SAMPLE_ROWS, 'sample', j.rawSampleFirst),
          originalname: `${j.title}-样例.csv`,
        }),
      );
      if (j.deliveryMode !== 'sandbox') {
        await atTime(minutes(s.at, 9), () =>
          listingFiles.uploadData(p, created.id, {
            buffer: productCsv(j, PRODUCT_DATA_ROWS, 'data'),
            originalname: `${j.title}.csv`,
          }),
        );
      }
      await atTime(minutes(s.at, 12), () => listingReview.submit(p, created.id));
    },

    async review(s: Extract<Step, { kind: 'review' }>) {
      await listingReview.review(
        reviewer,
        listing(s.listing).id,
        ReviewBody.parse({ decision: s.decision, reasons: s.reasons }),
      );
    },

    async fix(s: Extract<Step, { kind: 'fix' }>) {
      const { id, job } = listing(s.listing);
      const p = actor(job.operator);
      if (s.fix === 'sample') {
        await listingFiles.uploadSample(p, id, {
          buffer: productCsv(job, PRODUCT_SAMPLE_ROWS, 'sample'),
          originalname: `${job.title}-样例（去标识化）.csv`,
        });
      } else {
        await listings.update(p, id, ListingUpdateBody.parse({ summary: job.summary }));
      }
      await atTime(minutes(s.at, 5), () => listingReview.submit(p, id));
    },

    async delist(s: Extract<Step, { kind: 'delist' }>) {
      const { id, job } = listing(s.listing);
      await listingReview.delist(s.by === 'exchange' ? reviewer : actor(job.operator), id, s.reason);
    },

    async order(s: Extract<Step, { kind: 'order' }>) {
      const o = s.order;
      const created = await createOrder(
        deps,
        actor(o.buyer),
        OrderCreateBody.parse({
          listingId: listing(o.listing).id,
          quantity: o.quantity,
          paymentMethod: 'bank_transfer',
        }),
        `demo-seed-${o.key}`,
      );
      if (created.order.amountFen !== o.amountFen) {
        throw new Error(`order ${o.key}: the server priced ${String(created.order.amountFen)}, planned ${o.amountFen}`);
      }
      orderIds.set(o.key, String(created.order.id));
    },

    async confirm(s: Extract<Step, { kind: 'confirm' }>) {
      await confirmTransfer(
        deps,
        clearing,
        orderIds.get(s.order)!,
        ConfirmTransferBody.parse({ bankReference: s.bankReference, amountFen: s.amountFen }),
      );
    },

    async cancel(s: Extract<Step, { kind: 'cancel' }>) {
      const o = await OrderModel.findById(orderIds.get(s.order), { buyerOrgId: 1 }).lean();
      const buyer = [...people.values()].find((x) => x.principal.orgId === String(o?.buyerOrgId));
      await cancelOrder(deps, buyer!.principal, orderIds.get(s.order)!);
    },

    async refund(s: Extract<Step, { kind: 'refund' }>) {
      await refundOrder(
        deps,
        clearing,
        orderIds.get(s.order)!,
        RefundBody.parse({ reason: s.reason, bankReference: s.bankReference }),
      );
    },
  };

  const total = plan.steps.length;
  const every = Math.max(1, Math.round(total / 25));
  for (const [i, step] of plan.steps.entries()) {
    try {
      await atTime(step.at, () => run[step.kind](step as never));
    } catch (err) {
      throw new Error(
        `seeding stopped at step ${i + 1}/${total} (${step.kind} at ${step.at.toISOString()}): ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    if ((i + 1) % every === 0 || i + 1 === total) report(PHASES[step.kind], i + 1, total, step.at);
  }

  // sandbox (issue 14): the sandbox-only products, bought and queried, at the end of the history.
  // The full world only: the small one (tests, quick demos) keeps its fixed counts.
  if (opts.scale !== 'small') {
    await seedSandboxProducts({ config, log, actor: (key) => actor(key), reviewer, clearing });
    report('sandbox', 2, 2, new Date());
  }

  const counts = await countWorld();
  log?.info({ ms: Date.now() - started, ...counts }, 'demo world seeded');
  return { seeded: true, ms: Date.now() - started, counts };
}

interface Person {
  orgKey: string;
  principal: Principal;
}

/** Every demo account, created through the admin service (or found, when it exists already). */
async function ensureAccounts(config: Config, log?: Logger): Promise<Map<string, Person>> {
  const people = new Map<string, Person>();
  for (const org of ORGS) {
    for (const u of org.users) {
      const existing = await UserModel.findOne({ email: u.email }).lean();
      let principal: Principal;
      if (existing) {
        principal = {
          id: String(existing._id),
          role: existing.role as Role,
          orgId: String(existing.orgId),
          email: u.email,
        };
      } else {
        const view = await adminCreateUser(
          config,
          AdminCreateUserBody.parse({
            email: u.email,
            password: DEMO_PASSWORD,
            displayName: u.displayName,
            role: u.role,
            ...(u.duty ? { duty: u.duty } : {}),
            org: { name: org.name, creditCode: org.creditCode },
          }),
        );
        principal = { id: view.id, role: view.role, orgId: view.org.id, email: view.email };
      }
      people.set(u.email, { orgKey: org.key, principal });
    }
  }
  log?.debug({ accounts: people.size }, 'demo accounts ready');
  return people;
}

async function countBy(model: typeof ListingModel | typeof OrderModel, field: string): Promise<Record<string, number>> {
  const rows = await (model as typeof ListingModel).aggregate<{ _id: string; n: number }>([
    { $group: { _id: `$${field}`, n: { $sum: 1 } } },
  ]);
  return Object.fromEntries(rows.map((r) => [r._id, r.n]).sort());
}

/** What the database holds now: users, resources, authorizations, listings and orders by status, ledger by type. */
export async function countWorld(): Promise<SeedCounts> {
  // One accumulator per $group: FerretDB v1 returns 0 for a second one.
  const [users, resources, auths, listingCounts, orderCounts, ledgerCounts, ledgerFen] = await Promise.all([
    UserModel.countDocuments(),
    ResourceModel.countDocuments(),
    AuthorizationModel.countDocuments(),
    countBy(ListingModel, 'status'),
    countBy(OrderModel, 'status'),
    LedgerEntryModel.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$type', n: { $sum: 1 } } }]),
    LedgerEntryModel.aggregate<{ _id: string; fen: number }>([
      { $group: { _id: '$type', fen: { $sum: '$amountFen' } } },
    ]),
  ]);
  const fen = (type: string) => ledgerFen.find((r) => r._id === type)?.fen ?? 0;
  return {
    users,
    resources,
    authorizations: auths,
    listings: listingCounts,
    orders: orderCounts,
    ledger: Object.fromEntries(ledgerCounts.map((r) => [r._id, r.n]).sort()),
    volumeFen: fen('trade.settled') - Math.abs(fen('trade.refunded')),
  };
}
