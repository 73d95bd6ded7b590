import { DOMAINS, noticeEnd, type DeliveryMode, type Domain, type PricingModel, type ProductType } from '@zdec/shared';
import { AUTHORIZATIONS, type AuthorizationDef } from './data/authorizations';
import { PRODUCTS, type ProductIdea } from './data/products';
import { CITIES, ENTERPRISE_RESOURCES, NOTICE_RESOURCES, RESOURCES, type ResourceDef } from './data/resources';
import { PERSONAL_GENS, rng, seedOf } from './samples';

/**
 * The demo world's history as a list of dated steps, decided here without touching the database so
 * that it is deterministic (the same world on every machine) and cheap to check. seeds/world.ts
 * carries the steps out through the services, in this order, each at its time.
 */

export type SeedScale = 'full' | 'small';

export interface ListingJob {
  key: string;
  /** Provider organisation key (seeds/data/orgs.ts). */
  operator: string;
  /** AuthorizationDef key; none for a product of the operator's own enterprise data. */
  authorization?: string;
  sources: ResourceDef[];
  title: string;
  summary: string;
  productType: ProductIdea['type'];
  deliveryMode: ProductIdea['delivery'];
  pricing: { model: PricingModel; priceFen: number; unit?: string; periodDays?: number };
  tags: string[];
  deIdentified: boolean;
  /** First submitted with the raw (not de-identified) sample, which review rejects. */
  rawSampleFirst?: boolean;
  /** First submitted with a one-line summary, which review sends back. */
  thinSummaryFirst?: boolean;
  domains: Domain[];
  popularity: number;
}

export interface PlannedOrder {
  key: string;
  buyer: string;
  listing: string;
  quantity: number;
  amountFen: number;
}

export type Step =
  | { kind: 'register'; at: Date; resource: ResourceDef; by: string }
  | { kind: 'grant'; at: Date; auth: AuthorizationDef; resources: string[]; validFrom: string; validTo: string }
  | { kind: 'list'; at: Date; job: ListingJob }
  | { kind: 'review'; at: Date; listing: string; decision: 'approve' | 'reject'; reasons: string[] }
  | { kind: 'fix'; at: Date; listing: string; fix: 'sample' | 'summary' }
  | { kind: 'delist'; at: Date; listing: string; by: 'provider' | 'exchange'; reason: string }
  | { kind: 'revoke'; at: Date; auth: string; reason: string }
  | { kind: 'order'; at: Date; order: PlannedOrder }
  | { kind: 'confirm'; at: Date; order: string; amountFen: number; bankReference: string }
  | { kind: 'cancel'; at: Date; order: string }
  | { kind: 'refund'; at: Date; order: string; amountFen: number; reason: string; bankReference: string }
  // the registration lifecycle and the work waiting at the end of the history (issue 16 item 5)
  | { kind: 'publish'; at: Date; resource: ResourceDef }
  | { kind: 'object'; at: Date; resource: string; by: string; reason: string; contact: string }
  | { kind: 'rule'; at: Date; resource: string; decision: 'dismiss'; reasons: string }
  | { kind: 'certify'; at: Date; resource: string }
  | {
      kind: 'apply';
      at: Date;
      operator: string;
      resources: string[];
      purpose: string;
      productTypes: ProductType[];
      deliveryModes: DeliveryMode[];
      validFrom: string;
      validTo: string;
    }
  | { kind: 'refund-request'; at: Date; order: string; buyer: string; reason: string };

export interface Plan {
  scale: SeedScale;
  /** Working days of public notice the plan's registrations are published for. */
  noticeWorkingDays: number;
  steps: Step[];
  /** Product ideas that found no usable authorization among the planned resources (small scale). */
  skipped: string[];
}

// ---------------------------------------------------------------------------------------------
// Calendar: Shanghai days as day numbers since 1970-01-01, business hours in Asia/Shanghai.

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

const dayOf = (d: Date) => Math.floor((d.getTime() + SHANGHAI_MS) / DAY_MS);
const dayNum = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (day: number) => {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday === 0 || weekday === 6;
};
/** The day itself when it is a weekday, else the Monday after. */
const workday = (day: number) => {
  while (isWeekend(day)) day++;
  return day;
};
const addWorkdays = (day: number, n: number) => {
  let d = day;
  for (let i = 0; i < n; i++) d = workday(d + 1);
  return d;
};
/** A moment on a Shanghai day, `minutes` after midnight. */
const moment = (day: number, minutes: number) => new Date(day * DAY_MS + minutes * 60_000 - SHANGHAI_MS);
/** Some time during business hours (09:00–17:30). */
const officeMinutes = (r: () => number) => 9 * 60 + Math.floor(r() * 8.5 * 60);

// ---------------------------------------------------------------------------------------------
// Scale

const SMALL_RESOURCES = ['p0', 'p2', 'p3', 'p5', 'p7', 'p9', 'p14', 'p20', 'c410100-0', 'c410100-1'];
const SCALES = {
  full: { listings: Infinity, trades: 720 },
  small: { listings: 12, trades: 20 },
} as const;

/** Domains of the province's plan, registered first. */
const FIRST_DOMAINS: Domain[] = ['meteorology', 'agriculture', 'transport', 'natural-resources', 'ecology'];

const CITY_PRICE: Record<string, number> = { '410000': 1, '410100': 1, '410300': 0.6 };

const BUYERS: { key: string; weight: number; likes: Domain[]; institutional: boolean }[] = [
  {
    key: 'logistics',
    weight: 2.5,
    likes: ['transport', 'meteorology', 'urban-management', 'energy'],
    institutional: false,
  },
  {
    key: 'insurer',
    weight: 2,
    likes: ['meteorology', 'agriculture', 'health', 'social-security'],
    institutional: true,
  },
  {
    key: 'bank',
    weight: 3,
    likes: ['credit', 'market-regulation', 'finance', 'industry', 'energy', 'ecology', 'social-security'],
    institutional: true,
  },
  {
    key: 'institute',
    weight: 1.5,
    likes: [
      'natural-resources',
      'urban-management',
      'transport',
      'ecology',
      'gov-services',
      'education',
      'culture-tourism',
    ],
    institutional: true,
  },
  { key: 'automaker', weight: 1.5, likes: ['energy', 'transport', 'meteorology'], institutional: false },
];

const TYPE_POPULARITY: Record<ProductIdea['type'], number> = {
  report: 3,
  api: 2.6,
  dataset: 2,
  'data-component': 1.4,
  service: 1,
  model: 0.9,
};

const isPersonal = (r: ResourceDef) => r.fields.some((f) => PERSONAL_GENS.has(f.gen));
const isNeverAuthorized = (r: ResourceDef) =>
  r.openness === 'closed' || r.declaredGrade === 'core' || r.owner !== undefined;

function niceYuan(yuan: number): number {
  if (yuan >= 10_000) return Math.round(yuan / 1000) * 1000;
  if (yuan >= 1000) return Math.round(yuan / 100) * 100;
  return Math.max(500, Math.round(yuan / 10) * 10);
}

/** A normal deviate (Box–Muller) from the uniform generator. */
function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function weighted<T>(r: () => number, items: T[], weight: (t: T) => number): T | undefined {
  const total = items.reduce((s, t) => s + weight(t), 0);
  let x = r() * total;
  for (const t of items) {
    x -= weight(t);
    if (x < 0) return t;
  }
  return items[items.length - 1];
}

// ---------------------------------------------------------------------------------------------

/** What the stages share: the steps laid down so far and the last day anything may happen. */
interface Ctx {
  scale: SeedScale;
  lastDay: number;
  until: Date;
  noticeWorkingDays: number;
  steps: Step[];
  skipped: string[];
}

/** The notice period when none is given (REGISTRATION_NOTICE_WORKING_DAYS's default). */
export const DEFAULT_NOTICE_WORKING_DAYS = 10;

/**
 * Plans the demo world up to `until` (nothing is dated on or after its Shanghai day). Its public
 * registrations under the lifecycle are published for `noticeWorkingDays` working days (at least 1).
 */
export function planWorld(opts: { scale?: SeedScale; until?: Date; noticeWorkingDays?: number } = {}): Plan {
  const scale = opts.scale ?? 'full';
  const until = opts.until ?? new Date();
  const noticeWorkingDays = Math.max(1, opts.noticeWorkingDays || DEFAULT_NOTICE_WORKING_DAYS);
  const ctx: Ctx = { scale, lastDay: dayOf(until) - 1, until, noticeWorkingDays, steps: [], skipped: [] };
  const resources = [...RESOURCES, ...(scale === 'full' ? ENTERPRISE_RESOURCES : [])].filter(
    (r) => scale === 'full' || SMALL_RESOURCES.includes(r.key),
  );
  const registeredOn = planRegistrations(ctx, resources);
  const terms = planAuthorizations(ctx, resources, registeredOn);
  const scheduled = scheduleListings(ctx, productJobs(ctx, resources, registeredOn, terms));
  const waiting = waitingListings(ctx, scheduled, terms);
  const jobs = scheduled.kept.filter((j) => !waiting.includes(j));
  const onSale = planReviews(ctx, jobs, terms);
  planDelistings(ctx, jobs, onSale);
  planTrades(ctx, jobs, onSale);
  planWaitingWork(ctx, { waiting, jobs, onSale, resources, registeredOn });
  ctx.steps.sort((x, y) => x.at.getTime() - y.at.getTime()); // stable: same-moment steps keep their order
  return { scale, noticeWorkingDays, steps: ctx.steps, skipped: ctx.skipped };
}

/** Resources: the plan's first domains in January 2025, the rest and the operators' own by the end of March. */
function planRegistrations(ctx: Ctx, resources: ResourceDef[]): Map<string, number> {
  const priority = (r: ResourceDef) => {
    const i = FIRST_DOMAINS.indexOf(r.domain);
    return i < 0 ? FIRST_DOMAINS.length : i;
  };
  const publicOnes = resources.filter((r) => !r.owner).sort((a, b) => priority(a) - priority(b));
  const registeredOn = new Map<string, number>();
  const spread = (list: ResourceDef[], from: string, to: string) => {
    const days: number[] = [];
    for (let d = dayNum(from); d <= dayNum(to); d++) if (!isWeekend(d)) days.push(d);
    list.forEach((res, i) => {
      const day = days[Math.floor((i * days.length) / list.length)]!;
      registeredOn.set(res.key, day);
      const at = moment(day, 9 * 60 + 30 + (i % 5) * 55);
      ctx.steps.push({ kind: 'register', at, resource: res, by: res.owner ?? 'authority' });
    });
  };
  spread(
    publicOnes.filter((r) => priority(r) < FIRST_DOMAINS.length),
    '2025-01-06',
    '2025-02-07',
  );
  spread(
    publicOnes.filter((r) => priority(r) >= FIRST_DOMAINS.length),
    '2025-02-10',
    '2025-03-28',
  );
  spread(
    resources.filter((r) => r.owner),
    '2025-02-20',
    '2025-03-20',
  );
  return registeredOn;
}

interface Terms {
  grantedOn: Map<string, number>;
  revokedOn: Map<string, number>;
  covered: Map<string, ResourceDef[]>;
}

/** Authorizations, each granted once its resources are registered; the education pilot is revoked in 2026. */
function planAuthorizations(ctx: Ctx, resources: ResourceDef[], registeredOn: Map<string, number>): Terms {
  const terms: Terms = { grantedOn: new Map(), revokedOn: new Map(), covered: new Map() };
  for (const a of AUTHORIZATIONS) {
    const covered = resources.filter(
      (r) =>
        !isNeverAuthorized(r) &&
        a.domains.includes(r.domain) &&
        (!a.level || (a.level === 'province') === (r.region === '410000')),
    );
    if (!covered.length) continue;
    const ready = Math.max(...covered.map((r) => registeredOn.get(r.key)!));
    const day = workday(Math.max(dayNum(a.planned), addWorkdays(ready, 2)));
    if (day > ctx.lastDay) continue;
    terms.grantedOn.set(a.key, day);
    terms.covered.set(a.key, covered);
    const end = new Date(Date.parse(`${isoDay(day)}T00:00:00Z`));
    end.setUTCFullYear(end.getUTCFullYear() + a.years);
    ctx.steps.push({
      kind: 'grant',
      at: moment(day, 15 * 60),
      auth: a,
      resources: covered.map((r) => r.key),
      validFrom: `${isoDay(day)}T00:00:00+08:00`,
      validTo: `${isoDay(dayOf(end) - 1)}T23:59:59+08:00`,
    });
    if (a.revoked && dayNum(a.revoked.on) <= ctx.lastDay) {
      terms.revokedOn.set(a.key, dayNum(a.revoked.on));
      const at = moment(dayNum(a.revoked.on), 10 * 60 + 30);
      ctx.steps.push({ kind: 'revoke', at, auth: a.key, reason: a.revoked.reason });
    }
  }
  return terms;
}

/** A product to list, with the window of days in which it may be listed. */
type Job = ListingJob & { earliest: number; latest: number; ideaIndex: number };

/**
 * Every product idea on every planned resource of its template, built under the operator's
 * authorization that covers all its sources (none for its own enterprise data). A product the
 * rules would refuse is a mistake in seeds/data and stops planning.
 */
function productJobs(ctx: Ctx, resources: ResourceDef[], registeredOn: Map<string, number>, terms: Terms): Job[] {
  const jobs: Job[] = [];
  const covers = (a: AuthorizationDef, r: ResourceDef) => terms.covered.get(a.key)?.some((x) => x.key === r.key);
  for (const group of PRODUCTS) {
    for (const res of resources.filter((r) => r.template === group.template)) {
      const city = CITIES[res.region] ?? '';
      group.ideas.forEach((idea, ideaIndex) => {
        const title = idea.title.replace('{city}', city);
        const sources = [res];
        for (const w of idea.with ?? []) {
          const other = resources.find((r) => r.template === w && r.region === res.region);
          if (!other) return void ctx.skipped.push(`${title}: a source is not planned`);
          sources.push(other);
        }
        const own = sources.every((s) => s.owner === group.operator);
        const auth = own
          ? undefined
          : AUTHORIZATIONS.find((a) => a.operator === group.operator && sources.every((s) => covers(a, s)));
        if (!own && !auth) return void ctx.skipped.push(`${title}: no authorization of ${group.operator} covers it`);
        if (auth?.productTypes && !auth.productTypes.includes(idea.type))
          throw new Error(`${title}: ${auth.key} does not allow ${idea.type}`);
        if (auth?.deliveryModes && !auth.deliveryModes.includes(idea.delivery))
          throw new Error(`${title}: ${auth.key} does not allow ${idea.delivery}`);
        if (sources.some((s) => s.declaredGrade === 'important') && idea.delivery !== 'sandbox')
          throw new Error(`${title}: important data is delivered in the sandbox only`);
        const priceFen = niceYuan(idea.priceYuan * (CITY_PRICE[res.region] ?? 0.4)) * 100;
        const cap = auth?.feeCapsYuan?.[idea.model];
        if (cap !== undefined && priceFen > cap * 100) throw new Error(`${title}: above the fee cap of ${auth!.key}`);

        const deIdentified = sources.some(isPersonal);
        const holders = [...new Set(sources.map((s) => s.holder))].join('、');
        const summary =
          `${idea.summary}数据来源：${sources.map((s) => s.name).join('、')}（${holders}）。` +
          (deIdentified ? '个人信息已在加工环节去标识化，产品不含可识别特定自然人的信息。' : '') +
          (idea.delivery === 'sandbox' ? '在隐私计算沙箱内交付，数据可用不可见。' : '');
        const tags = [...new Set([...idea.tags, ...sources.map((s) => DOMAINS[s.domain]), city])].slice(0, 8);
        const start = auth ? terms.grantedOn.get(auth.key)! : Math.max(...sources.map((s) => registeredOn.get(s.key)!));
        const revoked = auth && terms.revokedOn.get(auth.key);
        for (const edition of idea.yearly ? ['2025', '2026'] : ['']) {
          const key = `${res.key}/${ideaIndex}${edition ? `/${edition}` : ''}`;
          const r = rng(seedOf(key));
          const earliest = Math.max(
            addWorkdays(start, 5 + Math.floor(r() * 15)),
            edition === '2026' ? dayNum('2026-01-05') : 0,
          );
          let latest = edition === '2025' ? dayNum('2025-12-19') : ctx.lastDay - 10;
          if (revoked) latest = Math.min(latest, revoked - 45);
          if (earliest > latest) continue;
          jobs.push({
            key,
            operator: group.operator,
            authorization: auth?.key,
            sources,
            title: edition ? `${title}（${edition}年版）` : title,
            summary,
            productType: idea.type,
            deliveryMode: idea.delivery,
            pricing: {
              model: idea.model,
              priceFen,
              ...(idea.unit ? { unit: idea.unit } : {}),
              ...(idea.periodDays ? { periodDays: idea.periodDays } : {}),
            },
            tags,
            deIdentified,
            domains: [...new Set(sources.map((s) => s.domain))],
            popularity: TYPE_POPULARITY[idea.type] * Math.exp(0.6 * normal(r)),
            earliest,
            latest,
            ideaIndex,
          });
        }
      });
    }
  }
  return jobs;
}

const byDayThenKey = (x: Job, y: Job) => x.earliest - y.earliest || (x.key < y.key ? -1 : 1);

/**
 * When each product is submitted (`earliest` becomes that day): slots on a growth curve from
 * February 2025 to the last weeks (about six times as many a month at the end as at the start),
 * each slot given to the waiting product whose window closes first. The small world keeps the
 * first ideas of its resources (`spare`: the others, from which its waiting listings come).
 */
function scheduleListings(ctx: Ctx, jobs: Job[]): { kept: Job[]; spare: Job[] } {
  const curveFrom = dayNum('2025-02-17');
  const curveTo = ctx.lastDay - 10;
  const a = 0.2; // density ∝ a + x on [0, 1]
  const slots = jobs
    .map((_, i) => {
      const u = (i + 0.5) / jobs.length;
      const x = -a + Math.sqrt(a * a + 2 * u * (a + 0.5));
      return Math.round(curveFrom + x * (curveTo - curveFrom));
    })
    .sort((x, y) => x - y);
  const waiting = [...jobs].sort(byDayThenKey);
  const ready: Job[] = [];
  for (const slot of slots) {
    while (waiting.length && waiting[0]!.earliest <= slot) ready.push(waiting.shift()!);
    ready.sort((x, y) => x.latest - y.latest || (x.key < y.key ? -1 : 1));
    const next = ready.find((j) => j.latest >= slot);
    if (!next) continue;
    ready.splice(ready.indexOf(next), 1);
    const jitter = Math.floor(rng(seedOf(`${next.key}:date`))() * 5) - 2;
    next.earliest = workday(Math.min(next.latest, Math.max(next.earliest, slot + jitter)));
  }
  for (const j of [...ready, ...waiting]) j.earliest = workday(Math.min(j.earliest, j.latest)); // no slot left
  const limit = SCALES[ctx.scale].listings;
  const ranked = [...jobs].sort((x, y) => x.ideaIndex - y.ideaIndex || x.earliest - y.earliest);
  const kept = Number.isFinite(limit) ? ranked.slice(0, limit) : jobs;
  const spare = Number.isFinite(limit) ? ranked.slice(limit) : [];
  return { kept: [...kept].sort(byDayThenKey), spare };
}

/** When each product is on sale: from its approval until it is delisted or its authorization revoked. */
interface OnSale {
  from: Map<string, Date>;
  until: Map<string, Date>;
}

const REFUSALS = [
  '定价依据不充分：请补充成本测算与同类产品价格比较后重新提交',
  '产品应用场景描述超出授权运营协议约定的用途范围',
  '样例数据与产品说明的字段口径不一致，请核对后重新提交',
];

/**
 * Submission and exchange review: mostly approved within three working days; the first product
 * from personal data comes with its raw sample and is sent back until it ships a de-identified one;
 * in the full world two thin descriptions are sent back and fixed, and three products are refused.
 */
function planReviews(ctx: Ctx, jobs: Job[], terms: Terms): OnSale {
  const onSale: OnSale = { from: new Map(), until: new Map() };
  const firstPersonal = jobs.find((j) => j.deIdentified && j.deliveryMode !== 'sandbox');
  const plain = jobs.filter((j) => !j.deIdentified && j.sources.length === 1);
  const thin = ctx.scale === 'full' ? [plain[30], plain[120]] : [];
  const refused = ctx.scale === 'full' ? [plain[60], plain[140], plain[170]] : [];
  for (const j of jobs) {
    const r = rng(seedOf(`${j.key}:review`));
    if (j === firstPersonal) j.rawSampleFirst = true;
    if (thin.includes(j)) j.thinSummaryFirst = true;
    ctx.steps.push({ kind: 'list', at: moment(j.earliest, officeMinutes(r)), job: j });
    let day = addWorkdays(j.earliest, 1 + Math.floor(r() * 3));
    const refusal = REFUSALS[refused.indexOf(j)];
    if (refusal) {
      const at = moment(day, officeMinutes(r));
      ctx.steps.push({ kind: 'review', at, listing: j.key, decision: 'reject', reasons: [refusal] });
      continue;
    }
    if (j.rawSampleFirst || j.thinSummaryFirst) {
      const reasons = [
        j.rawSampleFirst
          ? '样例数据含身份证号、手机号、车牌号或精确位置等个人信息，未完成去标识化（sample-clean 未通过），请替换样例后重新提交'
          : '产品说明不完整：请补充数据来源、更新频率与字段口径说明',
      ];
      ctx.steps.push({ kind: 'review', at: moment(day, 10 * 60 + 15), listing: j.key, decision: 'reject', reasons });
      day = addWorkdays(day, 2);
      const fix = j.rawSampleFirst ? 'sample' : 'summary';
      ctx.steps.push({ kind: 'fix', at: moment(day, 14 * 60), listing: j.key, fix });
      day = addWorkdays(day, 1);
    }
    if (day > ctx.lastDay) continue;
    const at = moment(day, officeMinutes(r));
    ctx.steps.push({ kind: 'review', at, listing: j.key, decision: 'approve', reasons: [] });
    onSale.from.set(j.key, at);
    const revoked = j.authorization && terms.revokedOn.get(j.authorization);
    if (revoked) onSale.until.set(j.key, moment(revoked, 10 * 60 + 30));
  }
  return onSale;
}

/** A few products leave the catalogue: 2025 editions superseded by 2026's, one whose source dried up. */
function planDelistings(ctx: Ctx, jobs: Job[], onSale: OnSale): void {
  const delist = (key: string, day: number, by: 'provider' | 'exchange', reason: string) => {
    if (day > ctx.lastDay || !onSale.from.has(key) || onSale.until.has(key)) return;
    const at = moment(workday(day), 16 * 60);
    if (at <= onSale.from.get(key)!) return;
    ctx.steps.push({ kind: 'delist', at, listing: key, by, reason });
    onSale.until.set(key, at);
  };
  if (ctx.scale === 'small') {
    const last = jobs.filter((j) => onSale.from.has(j.key)).at(-1);
    if (last) {
      const day = Math.min(ctx.lastDay, dayOf(onSale.from.get(last.key)!) + 30);
      delist(last.key, day, 'provider', '产品升级，旧版本停止销售');
    }
    return;
  }
  const successor = (j: Job) => onSale.from.get(j.key.replace(/2025$/, '2026'));
  const superseded = jobs.filter((j) => j.key.endsWith('/2025') && successor(j));
  for (const j of superseded.filter((_, i) => i % 6 === 2).slice(0, 4)) {
    delist(j.key, dayOf(successor(j)!) + 21, 'provider', '已发布2026年版，本版本停止销售');
  }
  const stale = jobs.find(
    (j) =>
      j.productType === 'dataset' &&
      onSale.from.has(j.key) &&
      onSale.from.get(j.key)! > moment(dayNum('2025-09-01'), 0),
  );
  if (stale) delist(stale.key, dayNum('2026-07-15'), 'exchange', '数据源更新中断超过90天，暂停交易并下架');
}

/**
 * Trades month by month, following the catalogue (products on sale mid-month) and a market warming
 * up; every order paid by bank transfer (对公转账) and confirmed by the exchange's clearing desk within
 * a week; a few cancelled, a few refunded, the last days' still awaiting their transfer.
 */
function planTrades(ctx: Ctx, jobs: Job[], onSale: OnSale): void {
  const listed = jobs.filter((j) => onSale.from.has(j.key));
  if (!listed.length) return;
  const firstMonth = Math.min(...listed.map((j) => monthIndex(onSale.from.get(j.key)!))) + 1;
  const lastMonth = monthIndex(moment(ctx.lastDay, 0));
  const months: { weight: number; days: number[] }[] = [];
  for (let m = firstMonth; m <= lastMonth; m++) {
    const start = dayNum(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`);
    const days: number[] = [];
    for (let d = start; monthIndex(moment(d, 0)) === m && d <= ctx.lastDay; d++) if (!isWeekend(d)) days.push(d);
    const mid = moment(start + 14, 12 * 60);
    const selling = listed.filter((j) => onSale.from.get(j.key)! < mid && !(onSale.until.get(j.key)! < mid)).length;
    const warming = 1 + (m - firstMonth) / Math.max(1, lastMonth - firstMonth);
    months.push({ weight: selling ** 0.8 * warming * Math.min(1, days.length / 21.7), days });
  }
  const totalWeight = months.reduce((s, m) => s + m.weight, 0);
  const r = rng(seedOf(`trades:${ctx.scale}`));
  const moments: Date[] = [];
  for (const m of months) {
    const n = Math.round((SCALES[ctx.scale].trades * m.weight) / totalWeight);
    for (let i = 0; i < n && m.days.length; i++)
      moments.push(moment(m.days[Math.floor(r() * m.days.length)]!, officeMinutes(r)));
  }
  moments.sort((x, y) => x.getTime() - y.getTime());

  const refundEvery = ctx.scale === 'full' ? 110 : 9;
  moments.forEach((at, i) => {
    // About one trade in eight is an institutional framework deal: a model, service or large
    // dataset licensed for several entities or years, or millions of API calls.
    const big = r() < 0.13;
    const buyer = weighted(r, big ? BUYERS.filter((b) => b.institutional) : BUYERS, (b) => b.weight)!;
    const confirmDay = addWorkdays(dayOf(at), 1 + Math.floor(r() * 5));
    const confirmAt = moment(confirmDay, officeMinutes(r));
    const candidates = listed.filter((j) => {
      const until = onSale.until.get(j.key);
      return (
        onSale.from.get(j.key)!.getTime() + 3_600_000 < at.getTime() &&
        (!until || until > confirmAt) && // still purchasable when the transfer is confirmed
        (!big || j.pricing.model === 'per_call' || j.pricing.priceFen >= BIG_DEAL_MIN_FEN)
      );
    });
    const likes = (j: Job) => j.domains.some((d) => buyer.likes.includes(d));
    const job = weighted(r, candidates, (j) => j.popularity * (likes(j) ? 4 : 1));
    if (!job) return;
    const quantity = big ? bigQuantity(job.pricing.model, r) : quantityFor(job.pricing.model, buyer.institutional, r);
    const order = {
      key: `o${i + 1}`,
      buyer: buyer.key,
      listing: job.key,
      quantity,
      amountFen: job.pricing.priceFen * quantity,
    };
    ctx.steps.push({ kind: 'order', at, order });
    if (r() < 0.025) {
      const cancelDay = addWorkdays(dayOf(at), 2);
      if (cancelDay <= ctx.lastDay)
        ctx.steps.push({ kind: 'cancel', at: moment(cancelDay, officeMinutes(r)), order: order.key });
      return;
    }
    if (confirmDay > ctx.lastDay) return; // still awaiting the transfer
    const bankReference = `ZYB${isoDay(confirmDay).replace(/-/g, '')}${String(i + 1).padStart(6, '0')}`;
    ctx.steps.push({ kind: 'confirm', at: confirmAt, order: order.key, amountFen: order.amountFen, bankReference });
    if (i % refundEvery !== refundEvery - 2) return;
    const refundDay = addWorkdays(confirmDay, 8 + Math.floor(r() * 15));
    if (refundDay > ctx.lastDay) return;
    ctx.steps.push({
      kind: 'refund',
      at: moment(refundDay, officeMinutes(r)),
      order: order.key,
      amountFen: order.amountFen,
      reason: '买方需求变更，经三方协商全额退款',
      bankReference: `ZYBTK${isoDay(refundDay).replace(/-/g, '')}${String(i + 1).padStart(4, '0')}`,
    });
  });
}

function monthIndex(d: Date): number {
  const s = new Date(d.getTime() + SHANGHAI_MS).toISOString();
  return Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
}

const BIG_DEAL_MIN_FEN = 200_000_00;

/** A framework deal: licences for a group's entities, several years, or millions of calls. */
function bigQuantity(model: PricingModel, r: () => number): number {
  if (model === 'per_call') return 1000 + 500 * Math.floor(r() * 13);
  return 1 + Math.floor(r() * r() * 4);
}

/** How much a buyer takes: licences, subscription periods, or thousands of API calls. */
function quantityFor(model: PricingModel, institutional: boolean, r: () => number): number {
  const x = r();
  if (model === 'one_time') return x < 0.88 ? 1 : x < 0.96 ? 2 : 3 + Math.floor(r() * 3);
  if (model === 'subscription') return x < 0.8 ? 1 : x < 0.95 ? 2 : 3;
  const base = [10, 20, 50, 100, 200, 500][Math.floor(r() * 6)]!;
  return institutional && r() < 0.3 ? Math.min(10_000, base * (5 + Math.floor(r() * 16))) : base;
}

// ---------------------------------------------------------------------------------------------
// Work waiting at the end of the history (issue 16 item 5): every role has something to do first.

/** The last `n` weekdays up to `day`, oldest first. */
function lastWorkdays(day: number, n: number): number[] {
  const days: number[] = [];
  for (let d = day; days.length < n; d--) if (!isWeekend(d)) days.unshift(d);
  return days;
}

const WAITING_LISTINGS = 4;

/**
 * The products still with the exchange at the end: submitted in the last days, not yet reviewed
 * (one of them, provider@demo's where it has one, sent back with reasons). The small world takes
 * them from the ideas it does not list; the full world holds back its last-scheduled products.
 * Plain products only (no personal data, no sandbox), so a reviewer's first approval passes.
 */
function waitingListings(ctx: Ctx, scheduled: { kept: Job[]; spare: Job[] }, terms: Terms): Job[] {
  const usable = (j: Job) =>
    !j.key.endsWith('/2025') &&
    !j.deIdentified &&
    j.deliveryMode !== 'sandbox' &&
    !(j.authorization && terms.revokedOn.has(j.authorization));
  const pool = (ctx.scale === 'small' ? scheduled.spare : [...scheduled.kept].sort((x, y) => y.earliest - x.earliest))
    .filter(usable)
    .slice(0, 40);
  const picked: Job[] = [];
  const first = pool.find((j) => j.operator === 'hndata');
  if (first) picked.push(first);
  for (const j of pool) {
    if (picked.length >= WAITING_LISTINGS) break;
    if (!picked.includes(j) && !picked.some((p) => p.operator === j.operator)) picked.push(j);
  }
  for (const j of pool) if (picked.length < WAITING_LISTINGS && !picked.includes(j)) picked.push(j);
  return picked;
}

/** A registration's public-notice cycle as planned: published, objected to, ruled on, certified. */
function planNotice(
  ctx: Ctx,
  r: ResourceDef,
  publishAt: Date,
  objection: { by: string; reason: string; contact: string },
  ruling?: string,
): Date {
  const ends = noticeEnd(publishAt, ctx.noticeWorkingDays);
  ctx.steps.push({ kind: 'publish', at: publishAt, resource: r });
  const objectAt = new Date(
    Math.min(moment(addWorkdays(dayOf(publishAt), 2), 14 * 60 + 30).getTime(), ends.getTime() - 2 * 3_600_000),
  );
  ctx.steps.push({ kind: 'object', at: objectAt, resource: r.key, ...objection });
  if (ruling) {
    const ruleAt = new Date(
      Math.max(
        objectAt.getTime() + 3_600_000,
        Math.min(moment(addWorkdays(dayOf(publishAt), 5), 10 * 60).getTime(), ends.getTime() - 3_600_000),
      ),
    );
    ctx.steps.push({ kind: 'rule', at: ruleAt, resource: r.key, decision: 'dismiss', reasons: ruling });
    ctx.steps.push({ kind: 'certify', at: moment(dayOf(ends), 9 * 60 + 30), resource: r.key });
  }
  return ends;
}

/**
 * The end of the history, in both worlds: listings pending review (one sent back), bank transfers
 * awaiting confirmation, a registration under notice with an objection to rule on (and an earlier
 * one that went through notice, a dismissed objection and its certificate), an authorization
 * application, an authorization of provider@demo's expiring within 30 days, and a refund request.
 */
function planWaitingWork(
  ctx: Ctx,
  w: { waiting: Job[]; jobs: Job[]; onSale: OnSale; resources: ResourceDef[]; registeredOn: Map<string, number> },
): void {
  const [d0, d1, d2, d3] = lastWorkdays(ctx.lastDay, 4) as [number, number, number, number];
  const at = (day: number, hour: number, minute = 0) => moment(day, hour * 60 + minute);

  // Listings: submitted in the last days; the first is sent back and waits for its provider.
  w.waiting.forEach((j, i) => {
    const day = [d0, d1, d2, d3][i] ?? d3;
    ctx.steps.push({ kind: 'list', at: at(day, 9 + i, 20), job: j });
    if (i === 0) {
      const reasons = [REFUSALS[0]!];
      ctx.steps.push({ kind: 'review', at: at(d1, 15, 10), listing: j.key, decision: 'reject', reasons });
    }
  });

  // Bank transfers ordered in the last two days, awaiting the clearing desk.
  const selling = w.jobs.filter((j) => w.onSale.from.get(j.key)! < at(d2, 0) && !w.onSale.until.has(j.key));
  const r = rng(seedOf(`waiting:${ctx.scale}`));
  ['logistics', 'bank', 'institute'].forEach((buyer, i) => {
    const job = weighted(r, selling, (j) => j.popularity);
    if (!job) return;
    const order = { key: `w${i + 1}`, buyer, listing: job.key, quantity: 1, amountFen: job.pricing.priceFen };
    ctx.steps.push({ kind: 'order', at: at(i === 0 ? d2 : d3, 10 + i, 5), order });
  });

  // A refund request on the latest delivered order of insurer@demo (any buyer but buyer@demo, whose
  // own first task is to make one, when the insurer has none).
  const orders = new Map(ctx.steps.flatMap((s) => (s.kind === 'order' ? [[s.order.key, s.order] as const] : [])));
  const refunded = new Set(ctx.steps.flatMap((s) => (s.kind === 'refund' ? [s.order] : [])));
  const confirmed = ctx.steps
    .filter((s): s is Extract<Step, { kind: 'confirm' }> => s.kind === 'confirm')
    .filter((s) => dayOf(s.at) < d3 && !refunded.has(s.order) && orders.get(s.order)?.buyer !== 'logistics')
    .sort((x, y) => y.at.getTime() - x.at.getTime());
  const delivered = confirmed.find((s) => orders.get(s.order)?.buyer === 'insurer') ?? confirmed[0];
  if (delivered) {
    ctx.steps.push({
      kind: 'refund-request',
      at: at(d3, 11, 40),
      order: delivered.order,
      buyer: orders.get(delivered.order)!.buyer,
      reason: '数据更新频率与产品说明不符：约定按日更新，实际最近两周未更新，申请全额退款',
    });
  }

  // Registrations under the lifecycle: one certified after a dismissed objection, one under notice now.
  const [certified, open] = NOTICE_RESOURCES as [ResourceDef, ResourceDef];
  let publish = workday(ctx.lastDay - 42);
  while (dayOf(noticeEnd(at(publish, 10), ctx.noticeWorkingDays)) >= d0) publish = workday(publish - 7);
  planNotice(
    ctx,
    certified,
    at(publish, 10),
    {
      by: 'institute',
      reason: '该停车场泊位数据中部分泊位由我院规划项目实地采集，请核实数据来源与权属',
      contact: '规划所 林海燕 0371-6555 0101',
    },
    '经核查，泊位数据由郑州市城市管理局依职责通过停车诱导系统采集，规划项目调查数据未纳入本次登记，异议不成立',
  );
  let openAt = at(d0, 9, 40);
  if (noticeEnd(openAt, ctx.noticeWorkingDays) <= ctx.until) openAt = at(d3, 9, 40);
  planNotice(ctx, open, openAt, {
    by: 'zztraffic',
    reason: '郑州市辖区内部分农村公路巡查记录系我公司受托采集，委托合同对数据权属另有约定，请暂缓登记并核实',
    contact: '运营部 张伟 0371-6777 0202',
  });

  // An application for an authorization, waiting for the authority.
  const meteorology = w.resources.filter(
    (x) => !isNeverAuthorized(x) && x.domain === 'meteorology' && !x.declaredGrade,
  );
  if (meteorology.length) {
    ctx.steps.push({
      kind: 'apply',
      at: at(d2, 14, 30),
      operator: 'zztraffic',
      resources: meteorology.slice(0, 2).map((x) => x.key),
      purpose: '城市交通出行气象服务产品开发（道路结冰、团雾预警接口）',
      productTypes: ['api', 'report'],
      deliveryModes: ['api', 'download'],
      validFrom: `${isoDay(ctx.lastDay + 1)}T00:00:00+08:00`,
      validTo: `${isoDay(ctx.lastDay + 3 * 365)}T23:59:59+08:00`,
    });

    // provider@demo's one-year pilot, ending three weeks after the history's last day.
    const sources = meteorology.slice(0, 1);
    const ready = Math.max(...sources.map((x) => w.registeredOn.get(x.key)!));
    const day = workday(Math.max(addWorkdays(ready, 2), ctx.lastDay - 340));
    if (day <= ctx.lastDay) {
      ctx.steps.push({
        kind: 'grant',
        at: at(day, 15, 30),
        auth: {
          key: 'hndata-pilot',
          operator: 'hndata',
          domains: ['meteorology'],
          purpose: '交通气象融合服务试点（一年期，到期前可申请续期）',
          planned: isoDay(day),
          years: 1,
          productTypes: ['report', 'api'],
          deliveryModes: ['download', 'api'],
        },
        resources: sources.map((x) => x.key),
        validFrom: `${isoDay(day)}T00:00:00+08:00`,
        validTo: `${isoDay(ctx.lastDay + 21)}T23:59:59+08:00`,
      });
    }
  }
}
