/**
 * The public catalog's search engine: every listed product in memory, in a MiniSearch index (BM25
 * over jieba-segmented words, tokens.ts) and in one ordered list per sort, with facet counts; and,
 * beside it, the listings awaiting review (the exchange's review queue), so that neither page reads
 * more than the listings it shows.
 *
 * Why MiniSearch: a small, dependency-free, well-kept full-text library with BM25 ranking, a
 * tokenizer per field (so jieba does the Chinese), query trees (AND/OR, used for jieba's sub-words)
 * and cheap incremental updates (`discard` + `add`), which the change feed needs. Orama brings its
 * own tokenizers, async APIs and much more than we use; FlexSearch does not rank by BM25 and its
 * typings are weak. Filters, sorts and facets are ours, over plain arrays: a pass over the ordered
 * candidates evaluates every filter once and counts facets the way shops do (each facet counted
 * with every other filter applied, so choosing a domain still shows how many products the other
 * domains have).
 *
 * Kept current in every process by the change feed (feed.ts): a poll every POLL_MS reads new entries
 * by `_id` and re-reads their listings by `_id`; this process's own writes are applied as soon as
 * they are done (read-your-writes); a rebuild from the collection runs at start-up, after a bulk
 * change or a reset of the feed, and every RECONCILE_MS as reconciliation.
 */
import MiniSearch from 'minisearch';
import { Types } from 'mongoose';
import { ListingModel, type Listing } from '../listing.model';
import {
  appendFeed,
  exists,
  noteHead,
  onLocalChange,
  probeHead,
  readEntry,
  resetKnownHead,
  type FeedEntry,
} from './feed';
import { SortedList } from './sorted';
import { documentWords, normalise, queryPhrases, queryTree, queryWords } from './tokens';

/** A listing as the catalog keeps it: the stored record without its heavy, never-listed parts. */
export type CatalogRecord = Listing & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
const PROJECTION = { outbox: 0, reviews: 0, sampleScan: 0, dataScan: 0, searchTerms: 0 } as const;

export const CATALOG_SORTS = ['relevance', 'newest', 'price', 'popular'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

export interface CatalogQuery {
  q?: string;
  type?: string;
  domain?: string;
  grade?: string;
  provider?: string;
  minPriceFen?: number;
  maxPriceFen?: number;
  sort?: CatalogSort;
  page: number;
  pageSize: number;
}

/** Price bands of the price facet, in fen; `maxPriceFen` inclusive, null for open-ended. */
export const PRICE_BANDS = [
  { band: 'under-1k', minPriceFen: 0, maxPriceFen: 99_999 },
  { band: '1k-10k', minPriceFen: 100_000, maxPriceFen: 999_999 },
  { band: '10k-100k', minPriceFen: 1_000_000, maxPriceFen: 9_999_999 },
  { band: '100k-1m', minPriceFen: 10_000_000, maxPriceFen: 99_999_999 },
  { band: 'over-1m', minPriceFen: 100_000_000, maxPriceFen: null },
] as const;

export interface FacetCount {
  value: string;
  count: number;
}
export interface CatalogFacets {
  domain: FacetCount[];
  type: FacetCount[];
  grade: FacetCount[];
  price: { band: string; minPriceFen: number; maxPriceFen: number | null; count: number }[];
}
export interface CatalogResult {
  items: CatalogRecord[];
  total: number;
  facets: CatalogFacets;
}

/** Small integer codes for facet values, so counting is array arithmetic. */
class Codes {
  private readonly byValue = new Map<string, number>();
  readonly values: string[] = [];
  code(v: string): number {
    let c = this.byValue.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.byValue.set(v, c);
      this.values.push(v);
    }
    return c;
  }
  find(v: string | undefined): number {
    return v === undefined ? -1 : (this.byValue.get(v) ?? -2);
  }
}
const TYPES = new Codes();
const GRADE_CODES = new Codes();
const DOMAIN_CODES = new Codes();

interface Item {
  id: string;
  rec: CatalogRecord;
  price: number;
  listedAt: number;
  createdAt: number;
  settled: number;
  type: number;
  grade: number;
  domains: number[];
  provider: string;
  /** The searchable texts, normalised, for the phrase fallback (fields apart, so no phrase spans two). */
  text: string;
}

const SEP = '\u0001';

function itemOf(rec: CatalogRecord): Item {
  return {
    id: String(rec._id),
    rec,
    price: rec.pricing?.priceFen ?? 0,
    listedAt: rec.listedAt ? new Date(rec.listedAt).getTime() : 0,
    createdAt: rec.createdAt ? new Date(rec.createdAt).getTime() : 0,
    settled: rec.settledCount ?? 0,
    type: TYPES.code(rec.productType),
    grade: GRADE_CODES.code(rec.grade),
    domains: [...new Set(rec.domains ?? [])].map((d) => DOMAIN_CODES.code(d)),
    provider: String(rec.providerOrgId),
    text: normalise([rec.title, rec.summary, ...(rec.tags ?? []), rec.providerName].join(SEP)),
  };
}

const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** The same orders as the database sorts of listings.query (SORTS), ties broken the same way. */
const ORDERS: Record<Exclude<CatalogSort, 'relevance'>, (a: Item, b: Item) => number> = {
  newest: (a, b) => b.listedAt - a.listedAt || b.createdAt - a.createdAt || byId(b, a),
  price: (a, b) => a.price - b.price || b.listedAt - a.listedAt || byId(a, b),
  popular: (a, b) => b.settled - a.settled || b.listedAt - a.listedAt || byId(b, a),
};

const WORD_FIELDS = ['title', 'tags', 'summary', 'providerName'] as const;
const BOOST = { title: 3, tags: 2, providerName: 1.5, summary: 1 };
interface IndexedDoc {
  id: string;
  title: string;
  summary: string;
  tags: string;
  providerName: string;
}
const asIs = (s: string) => s;

function newMiniSearch(): MiniSearch<IndexedDoc> {
  return new MiniSearch<IndexedDoc>({
    fields: [...WORD_FIELDS],
    storeFields: [],
    tokenize: (text, field) => (field === 'tags' ? text.split(SEP) : documentWords(text)),
    processTerm: (t) => t || null,
    searchOptions: { tokenize: (s) => [s], processTerm: asIs, combineWith: 'AND' },
  });
}

function indexedDoc(rec: CatalogRecord): IndexedDoc {
  return {
    id: String(rec._id),
    title: rec.title ?? '',
    summary: rec.summary ?? '',
    tags: (rec.tags ?? []).flatMap((t) => documentWords(t)).join(SEP),
    providerName: rec.providerName ?? '',
  };
}

/** How many queries' matches are kept (per catalog version). */
const CACHED_QUERIES = 200;
/** How many searches' results (matches of query and filters, facets) are kept (per catalog version). */
const CACHED_RESULTS = 100;

/** Relevance of a match: tier 1 matched the query's words (BM25 score), tier 0 only its phrases. */
type Score = [tier: number, score: number];

/** One generation of the catalog: built at once by a rebuild, then updated in place. */
export class CatalogIndex {
  readonly items = new Map<string, Item>();
  /** The listings awaiting review (the exchange's review queue), kept beside the catalog: few, and changed by the same feed. */
  readonly pending = new Map<string, Item>();
  readonly ms = newMiniSearch();
  readonly orders = {
    newest: new SortedList<Item>(ORDERS.newest),
    price: new SortedList<Item>(ORDERS.price),
    popular: new SortedList<Item>(ORDERS.popular),
  };

  static build(all: CatalogRecord[]): CatalogIndex {
    const ix = new CatalogIndex();
    for (const rec of all) if (rec.status === 'pending_review') ix.pending.set(String(rec._id), itemOf(rec));
    const recs = all.filter((rec) => rec.status === 'listed');
    const items = recs.map(itemOf);
    for (const it of items) ix.items.set(it.id, it);
    ix.ms.addAll(recs.map(indexedDoc));
    for (const o of Object.values(ix.orders)) o.reset([...items]);
    return ix;
  }

  remove(id: string): void {
    this.pending.delete(id);
    const old = this.items.get(id);
    if (!old) return;
    this.version++;
    this.items.delete(id);
    this.ms.discard(id);
    for (const o of Object.values(this.orders)) o.remove(old);
  }

  /** A listing as it now is: in the catalog while listed, in the review queue while pending, out of both otherwise. */
  put(id: string, rec: CatalogRecord | null): void {
    this.remove(id);
    if (rec?.status === 'pending_review') this.pending.set(id, itemOf(rec));
    if (!rec || rec.status !== 'listed') return;
    this.version++;
    const it = itemOf(rec);
    this.items.set(id, it);
    this.ms.add(indexedDoc(rec));
    for (const o of Object.values(this.orders)) o.insert(it);
  }

  /**
   * The matches of `q`: every word of the query (jieba, stop words aside) in the document, ranked by
   * BM25; then, ranked below them, documents that contain every phrase of the query as written (the
   * fallback for a phrase that segmentation split differently in the document).
   */
  private matches(q: string): Map<string, Score> | null {
    const words = queryWords(q);
    const phrases = queryPhrases(q);
    if (!words.length && !phrases.length) return null;
    const out = new Map<string, Score>();
    if (words.length) {
      for (const r of this.ms.search(queryTree(words), { fields: [...WORD_FIELDS], boost: BOOST })) {
        out.set(r.id as string, [1, r.score]);
      }
    }
    if (phrases.length) {
      for (const it of this.items.values()) {
        if (out.has(it.id)) continue;
        if (phrases.every((ph) => it.text.includes(ph))) out.set(it.id, [0, 0]);
      }
    }
    return out;
  }

  /** Bumped by every change; cached matches are of one version. */
  private version = 0;
  /** The last queries' matches in relevance order (a small LRU; valid for one version). */
  private readonly cache = new Map<string, { version: number; ranked: Item[] }>();

  /** The items matching `q`, best first (relevance order), or null for a query without terms. */
  private ranked(q: string): Item[] | null {
    const key = q.normalize('NFKC').toLowerCase().trim();
    const hit = this.cache.get(key);
    if (hit && hit.version === this.version) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.ranked;
    }
    const scored = this.matches(q);
    if (!scored) return null;
    const rows: { it: Item; tier: number; score: number }[] = [];
    for (const [id, [tier, score]] of scored) {
      const it = this.items.get(id);
      if (it) rows.push({ it, tier, score });
    }
    rows.sort((a, b) => b.tier - a.tier || b.score - a.score || ORDERS.newest(a.it, b.it));
    const ranked = rows.map((r) => r.it);
    this.cache.set(key, { version: this.version, ranked });
    if (this.cache.size > CACHED_QUERIES) this.cache.delete(this.cache.keys().next().value!);
    return ranked;
  }

  /** Recent searches' matches in order with their facets (page aside), valid for one version. */
  private readonly results = new Map<string, { version: number; matched: Item[]; facets: CatalogFacets }>();

  /** A page of the review queue, newest first as the database sorts it (listedAt, createdAt, _id descending). */
  pendingPage(page: number, pageSize: number): { items: CatalogRecord[]; total: number } {
    const all = [...this.pending.values()].sort(ORDERS.newest);
    const from = (page - 1) * pageSize;
    return { items: all.slice(from, from + pageSize).map((it) => it.rec), total: all.length };
  }

  search(query: CatalogQuery): CatalogResult {
    const { page: _page, pageSize: _size, ...rest } = query;
    const key = JSON.stringify({ ...rest, q: query.q?.normalize('NFKC').toLowerCase().trim() });
    let hit = this.results.get(key);
    if (!hit || hit.version !== this.version) {
      hit = { version: this.version, ...this.evaluate(query) };
      this.results.set(key, hit);
      if (this.results.size > CACHED_RESULTS) this.results.delete(this.results.keys().next().value!);
    }
    const from = (query.page - 1) * query.pageSize;
    return {
      items: hit.matched.slice(from, from + query.pageSize).map((it) => it.rec),
      total: hit.matched.length,
      facets: hit.facets,
    };
  }

  /** Every match of a query in order, and its facets. */
  private evaluate(query: CatalogQuery): { matched: Item[]; facets: CatalogFacets } {
    const ranked = query.q ? this.ranked(query.q) : null;
    const sort: CatalogSort = query.sort ?? (ranked ? 'relevance' : 'newest');
    let candidates: Item[];
    if (!ranked) candidates = this.orders[sort === 'relevance' ? 'newest' : sort].items;
    else if (sort === 'relevance') candidates = ranked;
    else candidates = [...ranked].sort(ORDERS[sort]);

    const typeCounts = new Array<number>(TYPES.values.length).fill(0);
    const gradeCounts = new Array<number>(GRADE_CODES.values.length).fill(0);
    const domainCounts = new Array<number>(DOMAIN_CODES.values.length).fill(0);
    const bands = PRICE_BANDS.map(() => 0);
    const countBand = (price: number) => {
      for (let i = PRICE_BANDS.length - 1; i >= 0; i--) {
        if (price >= PRICE_BANDS[i]!.minPriceFen) {
          bands[i]!++;
          return;
        }
      }
    };
    const matched: Item[] = [];
    const { provider, minPriceFen: min, maxPriceFen: max } = query;
    // -1: no such filter; -2: a value no listed product has (nothing matches it).
    const type = TYPES.find(query.type);
    const grade = GRADE_CODES.find(query.grade);
    const domain = DOMAIN_CODES.find(query.domain);
    for (const it of candidates) {
      if (provider !== undefined && it.provider !== provider) continue;
      // Which faceted filters the item fails: none → it matches; one → it counts in that facet only.
      const failType = type !== -1 && it.type !== type;
      const failDomain = domain !== -1 && !it.domains.includes(domain);
      const failGrade = grade !== -1 && it.grade !== grade;
      const failPrice = (min !== undefined && it.price < min) || (max !== undefined && it.price > max);
      const fails = +failType + +failDomain + +failGrade + +failPrice;
      if (fails > 1) continue;
      if (fails === 0) matched.push(it);
      if (fails === 0 || failType) typeCounts[it.type]!++;
      if (fails === 0 || failDomain) for (const d of it.domains) domainCounts[d]!++;
      if (fails === 0 || failGrade) gradeCounts[it.grade]!++;
      if (fails === 0 || failPrice) countBand(it.price);
    }
    const list = (codes: Codes, counts: number[]) =>
      counts
        .map((count, i) => ({ value: codes.values[i]!, count }))
        .filter((f) => f.count > 0)
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return {
      matched,
      facets: {
        domain: list(DOMAIN_CODES, domainCounts),
        type: list(TYPES, typeCounts),
        grade: list(GRADE_CODES, gradeCounts),
        price: PRICE_BANDS.map((b, i) => ({ ...b, count: bands[i]! })),
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The process's catalog and how it stays current

export interface CatalogOptions {
  /** How often the feed is polled (default 200 ms). */
  pollMs?: number;
  /** How often the catalog is rebuilt from the collection, as reconciliation (default 15 min). */
  reconcileMs?: number;
  log?: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };
}
/** A `before` entry's listings are re-read this long after it was seen, and again 10 times later. */
const RECHECK_MS = 2_000;
/** Behind the head by more than this many entries: rebuilding is cheaper than replaying. */
const MAX_REPLAY = 2_000;

let index = new CatalogIndex();
/** The last feed entry applied to `index`. */
let last = 0;
let started: Promise<void> | null = null;
let timer: NodeJS.Timeout | null = null;
let busy: Promise<void> | null = null;
let rebuilding = false;
let needRebuild = false;
let lastRebuildAt = 0;
let options: Required<Omit<CatalogOptions, 'log'>> & Pick<CatalogOptions, 'log'> = {
  pollMs: 200,
  reconcileMs: 900_000,
};
let ticks = 0;
/** Listings changed by this process while a rebuild ran: re-read once it is in place. */
const changedDuringRebuild = new Set<string>();
const rechecks: { due: number; ids: string[] }[] = [];
/** Reads of one listing run one after the other, so an older read never overwrites a newer one. */
const chains = new Map<string, Promise<void>>();

function refreshOne(id: string): Promise<void> {
  const prev = chains.get(id) ?? Promise.resolve();
  const next = prev.then(async () => {
    const rec = await ListingModel.collection.findOne({ _id: new Types.ObjectId(id) }, { projection: PROJECTION });
    index.put(id, rec as CatalogRecord | null);
  });
  const settled = next.catch(() => undefined);
  chains.set(id, settled);
  void settled.then(() => {
    if (chains.get(id) === settled) chains.delete(id);
  });
  return next;
}

async function refresh(ids: string[]): Promise<void> {
  await Promise.all([...new Set(ids)].map(refreshOne));
}

async function rebuild(): Promise<void> {
  rebuilding = true;
  try {
    const head = await probeHead();
    const recs = (await ListingModel.collection
      .find({ status: { $in: ['listed', 'pending_review'] } }, { projection: PROJECTION })
      .toArray()) as unknown as CatalogRecord[];
    index = CatalogIndex.build(recs);
    last = head;
    needRebuild = false;
    lastRebuildAt = Date.now();
  } finally {
    rebuilding = false;
  }
  const again = [...changedDuringRebuild];
  changedDuringRebuild.clear();
  if (again.length) await refresh(again);
}

async function apply(e: FeedEntry): Promise<void> {
  if (e.all) {
    needRebuild = true;
    return;
  }
  await refresh(e.ids);
  if (e.phase === 'before') {
    rechecks.push({ due: Date.now() + RECHECK_MS, ids: e.ids }, { due: Date.now() + 10 * RECHECK_MS, ids: e.ids });
  }
}

/** One round: new feed entries, due re-checks, a rebuild when one is needed. */
async function tick(): Promise<void> {
  if (needRebuild || Date.now() - lastRebuildAt > options.reconcileMs) await rebuild();
  // An emptied feed (a restored or dropped database): start again from what is there.
  if (++ticks % 10 === 0 && last > 0 && !(await exists(last))) {
    resetKnownHead(0);
    await rebuild();
  }
  for (let n = 0; n < 200; n++) {
    const e = await readEntry(last + 1);
    if (!e) break;
    last = e.seq;
    noteHead(e.seq);
    await apply(e);
    if (needRebuild) break;
    if (n === 199 && (await probeHead(last)) - last > MAX_REPLAY) needRebuild = true;
  }
  if (needRebuild) await rebuild();
  const now = Date.now();
  const due = rechecks.filter((r) => r.due <= now);
  if (due.length) {
    rechecks.splice(0, rechecks.length, ...rechecks.filter((r) => r.due > now));
    await refresh(due.flatMap((r) => r.ids));
  }
}

/** Runs a round now, or waits for the one running. */
function round(): Promise<void> {
  busy ??= tick()
    .catch((err: unknown) => {
      options.log?.warn({ err }, 'catalog: feed round failed; retrying');
    })
    .finally(() => {
      busy = null;
    });
  return busy;
}

/**
 * Builds the catalog (once per process) and keeps it current. The server calls this at start-up;
 * a search before then starts it too (tests, scripts).
 */
export function startCatalog(opts: CatalogOptions = {}): Promise<void> {
  if (started) return started;
  options = { ...options, ...opts };
  onLocalChange(async (ids, all) => {
    if (all) {
      needRebuild = true;
      await round();
      return;
    }
    if (rebuilding) for (const id of ids) changedDuringRebuild.add(id);
    await refresh(ids);
  });
  started = rebuild().then(() => {
    timer = setInterval(() => void round(), options.pollMs);
    timer.unref();
    options.log?.info({ listed: index.items.size, feedSeq: last }, 'catalog built');
  });
  started.catch(() => {
    started = null;
  });
  return started;
}

export function stopCatalog(): void {
  if (timer) clearInterval(timer);
  timer = null;
  started = null;
  onLocalChange(null);
}

/** Brings the catalog up to the feed's head now (benchmarks and tests that wrote behind its back). */
export async function syncCatalog(): Promise<void> {
  await startCatalog();
  await round();
  await round();
}

export async function searchCatalog(query: CatalogQuery): Promise<CatalogResult> {
  await startCatalog();
  return index.search(query);
}

/** A page of the listings awaiting review, from memory (kept current like the catalog). */
export async function pendingReviewPage(
  page: number,
  pageSize: number,
): Promise<{ items: CatalogRecord[]; total: number }> {
  await startCatalog();
  return index.pendingPage(page, pageSize);
}

/** A listed listing from memory, or undefined (not listed, not yet known, or the catalog not built). */
export function listedFromMemory(id: string): CatalogRecord | undefined {
  return started ? index.items.get(id)?.rec : undefined;
}

/** For bulk writers: announce that many listings changed (every process rebuilds). */
export async function announceBulkChange(): Promise<void> {
  await appendFeed({ ids: [], all: true, phase: 'after' });
}

/** How current this process's catalog is (tests, diagnostics). */
export function catalogState(): { listed: number; feedSeq: number } {
  return { listed: index.items.size, feedSeq: last };
}
