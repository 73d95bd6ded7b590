/**
 * Catalog search at growing catalog sizes (default 1k, 10k, 50k listed products in ONE database,
 * grown in steps by the bulk generator): p50/p95/p99 and requests/s of GET /listings over a mix of
 * searches, filters and sorts. At each size the same queries are also timed one at a time through
 * HTTP, the service function and the raw driver, and FerretDB's explain says what it pushed down to
 * SQLite, so a slow-down can be placed in our code or in the database.
 *
 *   npx tsx bench/search.ts [--sizes 1000,10000,50000] [--duration 10] [--connections 8]
 */
import mongoose, { Types } from 'mongoose';
import { ListingQuery, queryTerms } from '@zdec/shared';
import { generateBulk } from '../seeds/bulk';
import * as listings from '../server/src/modules/listings/listings.service';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { fmt, latencyOf, load, peakRss, runMain, startBench, writeResult } from './lib';

/** The catalog mix: full-text (Chinese and Latin), filters, sorts, deep pages, a miss. */
export const SEARCHES = [
  '',
  'q=交通',
  'q=气象观测',
  'q=车流量&sort=popular',
  'q=郑州',
  'q=api',
  'q=月度 报告',
  'q=空气质量&sort=price',
  'q=不存在的词语',
  'domain=transport',
  'domain=meteorology&sort=price',
  'type=api&sort=popular',
  'grade=important',
  'minPriceFen=10000&maxPriceFen=500000&sort=price',
  'sort=popular&page=3',
  'page=20&pageSize=50',
];
/** The few timed one at a time through every layer (a search, a filter, a sort and the default page). */
const BREAKDOWN = ['', 'q=气象观测', 'domain=transport', 'q=车流量&sort=popular', 'q=不存在的词语'];

const SORTS = {
  newest: { listedAt: -1, createdAt: -1, _id: -1 },
  price: { 'pricing.priceFen': 1, listedAt: -1, _id: 1 },
  popular: { settledCount: -1, listedAt: -1, _id: -1 },
} as const;

/** The same query as listings.service `list` builds for an anonymous caller, for the raw driver. */
function rawQuery(q: ListingQuery) {
  const filter: Record<string, unknown> = { status: 'listed' };
  const t = q.q ? queryTerms(q.q) : [];
  if (t.length) filter.searchTerms = { $all: t };
  if (q.type) filter.productType = q.type;
  if (q.domain) filter.domains = q.domain;
  if (q.grade) filter.grade = q.grade;
  if (q.provider) filter.providerOrgId = new Types.ObjectId(q.provider);
  if (q.minPriceFen !== undefined || q.maxPriceFen !== undefined) {
    filter['pricing.priceFen'] = {
      ...(q.minPriceFen !== undefined ? { $gte: q.minPriceFen } : {}),
      ...(q.maxPriceFen !== undefined ? { $lte: q.maxPriceFen } : {}),
    };
  }
  return { filter, sort: SORTS[q.sort], skip: (q.page - 1) * q.pageSize, limit: q.pageSize };
}

const parse = (qs: string) => ListingQuery.parse(Object.fromEntries(new URLSearchParams(qs)));

async function timeEach(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

runMain(async (args) => {
  const sizes = (args.flags.sizes ?? '1000,10000,50000').split(',').map(Number);
  const reps = Number(args.flags.reps ?? 3);
  const bench = await startBench(args);
  const steps: Record<string, unknown>[] = [];
  try {
    let have = 0;
    for (const size of sizes) {
      const add = size - have;
      if (add > 0) {
        const gen = await generateBulk(bench.config, { listings: add, trades: Math.round(add / 2), batch: 1000 });
        have = size;
        console.log(`search: catalog grown to ${size} listings in ${fmt(gen.totalMs / 1000)} s`);
      }
      const paths = SEARCHES.map((qs) => `/api/v1/listings${qs ? `?${qs}` : ''}`);
      const http = await load({
        url: bench.baseUrl,
        connections: args.connections,
        durationSeconds: args.durationSeconds,
        scenario: { kind: 'paths', paths },
      });
      const bad = Object.entries(http.statusCounts).filter(([s]) => s !== '200');
      if (bad.length) throw new Error(`search answered ${JSON.stringify(http.statusCounts)}`);

      // Where the time goes, one request at a time: HTTP, the service function, the raw driver.
      const breakdown: Record<string, unknown>[] = [];
      for (const qs of BREAKDOWN) {
        const q = parse(qs);
        const raw = rawQuery(q);
        const coll = ListingModel.collection;
        const viaHttp = await timeEach(reps, async () => {
          const res = await fetch(`${bench.baseUrl}/api/v1/listings${qs ? `?${qs}` : ''}`);
          await res.arrayBuffer();
        });
        const viaService = await timeEach(reps, () => listings.list(undefined, q));
        const rawFind = await timeEach(reps, () =>
          coll
            .find(raw.filter, {
              sort: raw.sort,
              skip: raw.skip,
              limit: raw.limit,
              projection: { outbox: 0, reviews: 0, sampleScan: 0, dataScan: 0, searchTerms: 0 },
            })
            .toArray(),
        );
        const rawCount = await timeEach(reps, () => coll.countDocuments(raw.filter));
        const total = await coll.countDocuments(raw.filter);
        const explain = await mongoose.connection.db!.command({
          explain: { find: coll.collectionName, filter: raw.filter, sort: raw.sort, limit: raw.limit },
        });
        breakdown.push({
          query: qs || '(default page)',
          matches: total,
          httpMs: latencyOf(viaHttp).p50,
          serviceMs: latencyOf(viaService).p50,
          rawFindMs: latencyOf(rawFind).p50,
          rawCountMs: latencyOf(rawCount).p50,
          pushdown: {
            filter: explain.filterPushdown ?? null,
            sort: explain.sortPushdown ?? null,
            limit: explain.limitPushdown ?? null,
          },
        });
      }
      const step = {
        listings: size,
        connections: args.connections,
        requests: http.requests,
        requestsPerSecond: http.requestsPerSecond,
        latencyMs: http.latencyMs,
        breakdown,
      };
      steps.push(step);
      console.log(
        `search @ ${String(size).padStart(6)} listings: p50 ${fmt(http.latencyMs.p50)} ms, p95 ${fmt(http.latencyMs.p95)} ms, ` +
          `p99 ${fmt(http.latencyMs.p99)} ms, ${fmt(http.requestsPerSecond)} req/s (${args.connections} connections)`,
      );
      for (const b of breakdown) {
        console.log(
          `    ${String(b.query).padEnd(22)} ${String(b.matches).padStart(6)} hits: http ${fmt(b.httpMs as number)} ms, ` +
            `service ${fmt(b.serviceMs as number)} ms, raw find ${fmt(b.rawFindMs as number)} ms + count ${fmt(b.rawCountMs as number)} ms ` +
            `(pushdown ${JSON.stringify(b.pushdown)})`,
        );
      }
    }
    const first = steps[0] as { latencyMs: { p95: number } };
    const last = steps.at(-1) as { latencyMs: { p95: number }; listings: number };
    const ratio = last.latencyMs.p95 / first.latencyMs.p95;
    const goal = {
      description: `search p95 at ${last.listings} listings ≤ 3× its p95 at ${sizes[0]}`,
      ratio,
      met: ratio <= 3,
    };
    console.log(
      `search: p95 grew ${fmt(ratio, 2)}× from ${sizes[0]} to ${last.listings} listings — goal ≤ 3×: ${goal.met ? 'met' : 'MISSED'}`,
    );
    const rss = peakRss(bench.databasePid);
    console.log(
      `search: peak RSS bench process ${rss.benchProcessMiB} MiB, database ${rss.databaseMiB ?? 'not measured'} MiB`,
    );
    writeResult('search', {
      database: bench.db.kind,
      durationSeconds: args.durationSeconds,
      searches: SEARCHES,
      steps,
      goal,
      peakRss: rss,
    });
  } finally {
    await bench.close();
  }
});
