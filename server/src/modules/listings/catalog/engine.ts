/**
 * The public catalog's search engine: every listed product in memory, in a MiniSearch index (BM25
 * over jieba-segmented words, tokens.ts) and in one ordered list per sort, with facet counts.
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
import { searchTerms as gramTerms, queryTerms as gramQuery } from '@zdec/shared';
import { ListingModel, type Listing } from '../listing.model';
import { appendFeed, exists, noteHead, onLocalChange, probeHead, readEntry, resetKnownHead, type FeedEntry } from './feed';
import { SortedList } from './sorted';
import { documentWords, queryTree, queryWords } from './tokens';

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

interface Item {
  id: string;
  rec: CatalogRecord;
  price: number;
  listedAt: number;
  createdAt: number;
  settled: number;
  type: string;
  grade: string;
  domains: string[];
  provider: string;
}

function itemOf(rec: CatalogRecord): Item {
  return {
    id: String(rec._id),
    rec,
    price: rec.pricing?.priceFen ?? 0,
    listedAt: rec.listedAt ? new Date(rec.listedAt).getTime() : 0,
    createdAt: rec.createdAt ? new Date(rec.createdAt).getTime() : 0,
    settled: rec.settledCount ?? 0,
    type: rec.productType,
    grade: rec.grade,
    domains: rec.domains ?? [],
    provider: String(rec.providerOrgId),
  };
}

const byId = (a: Item, b: Item) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** The same orders as the database sorts of listings.service (SORTS), ties broken the same way. */
const ORDERS: Record<Exclude<CatalogSort, 'relevance'>, (a: Item, b: Item) => number> = {
  newest: (a, b) => b.listedAt - a.listedAt || b.createdAt - a.createdAt || byId(b, a),
  price: (a, b) => a.price - b.price || b.listedAt - a.listedAt || byId(a, b),
  popular: (a, b) => b.settled - a.settled || b.listedAt - a.listedAt || byId(b, a),
};

const WORD_FIELDS = ['title', 'tags', 'summary', 'providerName'] as const;
const BOOST = { title: 3, tags: 2, providerName: 1.5, summary: 1 };
const SEP = '\u0001';
interface IndexedDoc {
  id: string;
  title: string;
  summary: string;
  tags: string;
  providerName: string;
  grams: string;
}
const asIs = (s: string) => s;

function newMiniSearch(): MiniSearch<IndexedDoc> {
  return new MiniSearch<IndexedDoc>({
    fields: [...WORD_FIELDS, 'grams'],
    storeFields: [],
    tokenize: (text, field) => (field === 'grams' || field === 'tags' ? text.split(SEP) : documentWords(text)),
    processTerm: (t) => t || null,
    searchOptions: { tokenize: (s) => [s], processTerm: asIs, combineWith: 'AND' },
  });
}

function indexedDoc(rec: CatalogRecord): IndexedDoc {
  const tags = rec.tags ?? [];
  return {
    id: String(rec._id),
    title: rec.title ?? '',
    summary: rec.summary ?? '',
    tags: tags.flatMap((t) => documentWords(t)).join(SEP),
    providerName: rec.providerName ?? '',
    grams: gramTerms(rec.title, rec.summary, ...tags, rec.providerName).join(SEP),
  };
}

/** One generation of the catalog: built at once by a rebuild, then updated in place. */
class CatalogIndex {
  readonly items = new Map<string, Item>();
  readonly ms = newMiniSearch();
  readonly orders = {
    newest: new SortedList<Item>(ORDERS.newest),
    price: new SortedList<Item>(ORDERS.price),
    popular: new SortedList<Item>(ORDERS.popular),
  };

  static build(recs: CatalogRecord[]): CatalogIndex {
    const ix = new CatalogIndex();
    const items = recs.map(itemOf);
    for (const it of items) ix.items.set(it.id, it);
    ix.ms.addAll(recs.map(indexedDoc));
    for (const o of Object.values(ix.orders)) o.reset([...items]);
    return ix;
  }

  remove(id: string): void {
    const old = this.items.get(id);
    if (!old) return;
    this.items.delete(id);
    this.ms.discard(id);
    for (const o of Object.values(this.orders)) o.remove(old);
  }

  /** A listing as it now is: in the catalog while listed, out of it otherwise. */
  put(id: string, rec: CatalogRecord | null): void {
    this.remove(id);
    if (!rec || rec.status !== 'listed') return;
    const it = itemOf(rec);
    this.items.set(id, it);
    this.ms.add(indexedDoc(rec));
    for (const o of Object.values(this.orders)) o.insert(it);
  }

  /** Matches of `q` with their relevance: [tier, BM25 score]; tier 1 matched words, 0 only the characters. */
  private matches(q: string): Map<string, [number, number]> | null {
    const words = queryWords(q);
    const grams = gramQuery(q);
    if (!words.length && !grams.length) return null;
    const out = new Map<string, [number, number]>();
    if (words.length) {
      for (const r of this.ms.search(queryTree(words), { fields: [...WORD_FIELDS], boost: BOOST })) {
        out.set(r.id as string, [1, r.score]);
      }
    }
    if (grams.length) {
      for (const r of this.ms.search({ combineWith: 'AND', queries: grams }, { fields: ['grams'] })) {
        if (!out.has(r.id as string)) out.set(r.id as string, [0, r.score]);
      }
    }
    return out;
  }

  search(query: CatalogQuery): CatalogResult {
    const scored = query.q ? this.matches(query.q) : null;
    const sort: CatalogSort = query.sort ?? (scored ? 'relevance' : 'newest');
    let candidates: Item[];
    if (!scored) {
      candidates = this.orders[sort === 'relevance' ? 'newest' : sort].items;
    } else {
      candidates = [];
      for (const id of scored.keys()) {
        const it = this.items.get(id);
        if (it) candidates.push(it);
      }
      if (sort === 'relevance') {
        candidates.sort((a, b) => {
          const [ta, sa] = scored.get(a.id)!;
          const [tb, sb] = scored.get(b.id)!;
          return tb - ta || sb - sa || ORDERS.newest(a, b);
        });
      } else candidates.sort(ORDERS[sort]);
    }

    const counts = { domain: new Map<string, number>(), type: new Map<string, number>(), grade: new Map<string, number>() };
    const bands = PRICE_BANDS.map(() => 0);
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const countBand = (price: number) => {
      for (let i = PRICE_BANDS.length - 1; i >= 0; i--) {
        if (price >= PRICE_BANDS[i]!.minPriceFen) {
          bands[i]!++;
          return;
        }
      }
    };
    const from = (query.page - 1) * query.pageSize;
    const to = from + query.pageSize;
    const page: CatalogRecord[] = [];
    let total = 0;
    const { type, domain, grade, provider, minPriceFen: min, maxPriceFen: max } = query;
    for (const it of candidates) {
      if (provider !== undefined && it.provider !== provider) continue;
      // Which faceted filters the item fails: none → it matches; one → it counts in that facet only.
      const failType = type !== undefined && it.type !== type;
      const failDomain = domain !== undefined && !it.domains.includes(domain);
      const failGrade = grade !== undefined && it.grade !== grade;
      const failPrice = (min !== undefined && it.price < min) || (max !== undefined && it.price > max);
      const fails = +failType + +failDomain + +failGrade + +failPrice;
      if (fails > 1) continue;
      if (fails === 0) {
        if (total >= from && total < to) page.push(it.rec);
        total++;
      }
      if (fails === 0 || failType) bump(counts.type, it.type);
      if (fails === 0 || failDomain) for (const d of new Set(it.domains)) bump(counts.domain, d);
      if (fails === 0 || failGrade) bump(counts.grade, it.grade);
      if (fails === 0 || failPrice) countBand(it.price);
    }
    const list = (m: Map<string, number>) =>
      [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return {
      items: page,
      total,
      facets: {
        domain: list(counts.domain),
        type: list(counts.type),
        grade: list(counts.grade),
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
let options: Required<Omit<CatalogOptions, 'log'>> & Pick<CatalogOptions, 'log'> = { pollMs: 200, reconcileMs: 900_000 };
let ticks = 0;
/** Listings changed by this process while a rebuild ran: re-read once it is in place. */
const changedDuringRebuild = new Set<string>();
const rechecks: { due: number; ids: string[] }[] = [];
/** Reads of one listing run one after the other, so an older read never overwrites a newer one. */
const chains = new Map<string, Promise<void>>();

function refreshOne(id: string): Promise<void> {
  const prev = chains.get(id) ?? Promise.resolve();
  const next = prev.then(async () => {
    const rec = await ListingModel.collection.findOne(
      { _id: new Types.ObjectId(id) },
      { projection: PROJECTION },
    );
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
      .find({ status: 'listed' }, { projection: PROJECTION })
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
