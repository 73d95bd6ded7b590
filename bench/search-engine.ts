/**
 * The catalog's search engine alone (server/src/modules/listings/catalog/engine.ts: no database,
 * no HTTP), on listings shaped like the bulk generator's (its resource templates, qualifiers and
 * product-type names, summaries from the resource descriptions), at 5,000 and 50,000 listings:
 * the build time, and the time of one `search` over the GET /listings mix of bench/search.ts, cold
 * (each query's first time at this size: the word search runs) and warm (its matches cached).
 * Places the HTTP figures of bench/search.ts: what is the engine's, what the rest's.
 *
 *   npx tsx bench/search-engine.ts [--sizes 5000,50000] [--passes 5]
 */
import { Types } from 'mongoose';
import { type ProductType } from '@zdec/shared';
import { RESOURCES } from '../seeds/data/resources';
import { CatalogIndex, type CatalogQuery, type CatalogRecord } from '../server/src/modules/listings/catalog/engine';
import { benchArgs, fmt, latencyOf, writeResult } from './lib';
import { SEARCHES } from './search-mix';
import { productWords, QUALIFIERS, TYPE_NAMES } from '../seeds/bulk';

const PROVIDERS = ['郑州数据科技有限公司', '洛阳智慧信息有限公司', '开封数字产业有限公司', '新乡大数据运营有限公司'];

function records(n: number, seed: number): { recs: CatalogRecord[]; providerId: string } {
  let s = seed;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const providers = PROVIDERS.map((name) => ({ id: new Types.ObjectId(), name }));
  const types = Object.keys(TYPE_NAMES) as ProductType[];
  const recs: CatalogRecord[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const src = pick(RESOURCES);
    const type = pick(types);
    const q = pick(QUALIFIERS.slice(0, 12));
    const p = pick(providers);
    const listedAt = new Date(now - Math.floor(r() * 365 * 86_400_000));
    recs.push({
      _id: new Types.ObjectId(),
      ...productWords({
        qualifier: q,
        resourceName: src.name,
        description: src.description,
        domain: src.domain,
        productType: type,
      }),
      providerName: p.name,
      providerOrgId: p.id,
      productType: type,
      grade: r() < 0.2 ? 'important' : 'general',
      domains: [src.domain],
      pricing: { model: 'one_time', priceFen: 100 * (50 + Math.floor(r() * 50_000)) },
      status: 'listed',
      listedAt,
      createdAt: listedAt,
      updatedAt: listedAt,
      settledCount: Math.floor(r() * 30),
    } as unknown as CatalogRecord);
  }
  return { recs, providerId: String(providers[0]!.id) };
}

const parse = (qs: string, provider: string): CatalogQuery => {
  const p = Object.fromEntries(new URLSearchParams(qs.replace('<provider>', provider)));
  const num = (v?: string) => (v === undefined ? undefined : Number(v));
  return {
    ...p,
    minPriceFen: num(p.minPriceFen),
    maxPriceFen: num(p.maxPriceFen),
    page: Number(p.page ?? 1),
    pageSize: Number(p.pageSize ?? 20),
  } as CatalogQuery;
};

function main(): void {
  const args = benchArgs();
  const sizes = (args.flags.sizes ?? '5000,50000').split(',').map(Number);
  const passes = Number(args.flags.passes ?? 5);
  const steps: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const { recs, providerId } = records(size, 42);
    const heapBefore = process.memoryUsage().heapUsed;
    let t = performance.now();
    const ix = CatalogIndex.build(recs);
    const buildMs = performance.now() - t;
    const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    const mix = [...SEARCHES, 'provider=<provider>', 'q=交通&provider=<provider>&sort=popular'];
    const cold: number[] = [];
    const warm: number[] = [];
    const perQuery: Record<string, { coldMs: number; warmP50Ms: number; total: number }> = {};
    for (const qs of mix) {
      const q = parse(qs, providerId);
      t = performance.now();
      const total = ix.search(q).total;
      const c = performance.now() - t;
      cold.push(c);
      const w: number[] = [];
      for (let i = 1; i < passes; i++) {
        t = performance.now();
        ix.search(q);
        w.push(performance.now() - t);
      }
      warm.push(...w);
      perQuery[qs || '(default page)'] = { coldMs: c, warmP50Ms: latencyOf(w).p50, total };
    }
    const step = { listings: size, buildMs, heapMiB, cold: latencyOf(cold), warm: latencyOf(warm), perQuery };
    steps.push(step);
    console.log(
      `search-engine @ ${size}: built in ${fmt(buildMs)} ms (+${fmt(heapMiB)} MiB heap); one search, cold p50 ${fmt(step.cold.p50, 2)} ms ` +
        `p95 ${fmt(step.cold.p95, 2)} ms max ${fmt(Math.max(...cold), 2)} ms; warm p50 ${fmt(step.warm.p50, 2)} ms p95 ${fmt(step.warm.p95, 2)} ms`,
    );
    for (const [k, v] of Object.entries(perQuery)) {
      console.log(
        `    ${k.slice(0, 60).padEnd(60)} ${String(v.total).padStart(6)} hits  cold ${fmt(v.coldMs, 2).padStart(8)} ms  warm ${fmt(v.warmP50Ms, 2).padStart(7)} ms`,
      );
    }
  }
  writeResult('search-engine', { steps });
}

main();
