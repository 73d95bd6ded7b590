/**
 * Catalog search at growing catalog sizes (default 1k, 10k, 50k listed products in ONE database,
 * grown in steps by the bulk generator): p50/p95/p99 and requests/s of GET /listings over a mix of
 * searches, filters and sorts. At each size the same queries are also timed one at a time through
 * HTTP, the service function and the raw driver, and FerretDB's explain says what it pushed down to
 * SQLite, so a slow-down can be placed in our code or in the database.
 *
 *   npx tsx bench/search.ts [--sizes 1000,2000,3000] (full: 1000,10000,50000 --passes 1) [--passes 1] [--max-seconds 600] [--duration 10] [--connections 8]
 *
 * The goal compares the p95 of one client's requests (the SAMPLED searches, `passes` times each)
 * across sizes, measured the same way at every size; the several-client run gives requests/s and
 * is skipped where a request would take longer than the run (single-client p50 × clients ≥ duration).
 */
import mongoose, { Types } from 'mongoose';
import { ListingQuery, queryTerms } from '@zdec/shared';
import { generateBulk } from '../seeds/bulk';
import * as listings from '../server/src/modules/listings/listings.service';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { fmt, latencyOf, load, measured, peakRss, runMain, startBench, writeResult } from './lib';

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
/** Timed one request at a time at every size: a search, a filter, a sort, the default page and a miss. */
const SAMPLED = ['', 'q=气象观测', 'domain=transport', 'q=车流量&sort=popular', 'q=不存在的词语'];
/** Also timed through the service and the raw driver (a miss reads the whole catalog and returns nothing). */
const BREAKDOWN = ['q=不存在的词语', ''];

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
  return { filter, sort: SORTS[q.sort === undefined || q.sort === 'relevance' ? 'newest' : q.sort], skip: (q.page - 1) * q.pageSize, limit: q.pageSize };
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
  const sizes = (args.flags.sizes ?? '1000,2000,3000').split(',').map(Number);
  const passes = Number(args.flags.passes ?? 1);
  const maxSeconds = Number(args.flags['max-seconds'] ?? 600);
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
        await bench.quiet();
      }
      // 1. One client, the same samples at every size (the goal compares these p95s): each of the
      //    SAMPLED searches `passes` times, one request at a time, within --max-seconds per size.
      const sampled: number[] = [];
      const perQuery: Record<string, number[]> = {};
      const sampleStart = performance.now();
      const single = await measured(bench, async () => {
        for (let pass = 0; pass < passes; pass++) {
          for (const qs of SAMPLED) {
            if (pass > 0 && performance.now() - sampleStart > maxSeconds * 1000) return;
            const t = performance.now();
            const res = await fetch(`${bench.baseUrl}/api/v1/listings${qs ? `?${qs}` : ''}`);
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`search ${qs} answered ${res.status}`);
            const ms = performance.now() - t;
            sampled.push(ms);
            (perQuery[qs || '(default page)'] ??= []).push(ms);
          }
        }
      });
      const singleLatency = latencyOf(sampled);

      // 2. Throughput with several clients over the whole mix, when a request is quick enough for
      //    the run to mean something (requests still running at the deadline are not counted).
      let throughput: Record<string, unknown> = {
        skipped: `single-client p50 ${fmt(singleLatency.p50)} ms is too slow for ${args.connections} clients in a ${args.durationSeconds} s run`,
      };
      // Each client should finish a few requests: with N clients a request takes about N/cores times longer.
      if (singleLatency.p50 * args.connections < args.durationSeconds * 1000) {
        const paths = SEARCHES.map((qs) => `/api/v1/listings${qs ? `?${qs}` : ''}`);
        const run = await measured(
          bench,
          async () => {
            const r = await load({
              url: bench.baseUrl,
              connections: args.connections,
              durationSeconds: args.durationSeconds,
              scenario: { kind: 'paths', paths },
            });
            await bench.quiet(); // requests abandoned at the deadline still run on the server
            return r;
          },
          args.flags.profile ? `search-${size}` : undefined,
        );
        const http = run.value;
        if (Object.keys(http.statusCounts).some((st) => st !== '200')) {
          throw new Error(`search answered ${JSON.stringify(http.statusCounts)}`);
        }
        if (!http.requests) throughput = { skipped: `no request finished within ${args.durationSeconds} s` };
        else
          throughput = {
            connections: args.connections,
            requests: http.requests,
            requestsPerSecond: http.requestsPerSecond,
            latencyMs: http.latencyMs,
            cpuMsPerRequest: {
              server: (run.cpuSeconds.server / http.requests) * 1000,
              database: run.cpuSeconds.database === null ? null : (run.cpuSeconds.database / http.requests) * 1000,
            },
            ...(run.profile ? { profile: run.profile } : {}),
          };
      }

      // 3. Where the time goes: the service function and the raw driver on the same query, and what
      //    FerretDB's explain says it pushed down to SQLite.
      const breakdown: Record<string, unknown>[] = [];
      for (const qs of size > 10_000 ? BREAKDOWN.slice(0, 1) : BREAKDOWN) {
        const q = parse(qs);
        const raw = rawQuery(q);
        const coll = ListingModel.collection;
        const viaService = size > 10_000 ? null : await timeEach(1, () => listings.list(undefined, q));
        const rawFind = await timeEach(1, () =>
          coll
            .find(raw.filter, {
              sort: raw.sort,
              skip: raw.skip,
              limit: raw.limit,
              projection: { outbox: 0, reviews: 0, sampleScan: 0, dataScan: 0, searchTerms: 0 },
            })
            .toArray(),
        );
        const rawCount = await timeEach(1, () => coll.countDocuments(raw.filter));
        const explain = await mongoose.connection.db!.command({
          explain: { find: coll.collectionName, filter: raw.filter, sort: raw.sort, limit: raw.limit },
        });
        breakdown.push({
          query: qs || '(default page)',
          httpMs: latencyOf(perQuery[qs || '(default page)'] ?? []).p50,
          serviceMs: viaService ? viaService[0] : null,
          rawFindMs: rawFind[0],
          rawCountMs: rawCount[0],
          pushdown: {
            filter: explain.filterPushdown ?? null,
            sort: explain.sortPushdown ?? null,
            limit: explain.limitPushdown ?? null,
          },
          sqlitePlan: explain.queryPlanner?.Plan ?? null,
        });
      }
      const step = {
        listings: size,
        singleClient: {
          samples: sampled.length,
          latencyMs: singleLatency,
          perQueryMs: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, latencyOf(v).p50])),
          cpuMsPerRequest: {
            server: (single.cpuSeconds.server / sampled.length) * 1000,
            database: single.cpuSeconds.database === null ? null : (single.cpuSeconds.database / sampled.length) * 1000,
          },
        },
        throughput,
        breakdown,
      };
      steps.push(step);
      const tp = throughput as { requestsPerSecond?: number; latencyMs?: { p50: number; p95: number; p99: number } };
      console.log(
        `search @ ${String(size).padStart(6)} listings, one client (${sampled.length} samples): p50 ${fmt(singleLatency.p50)} ms, ` +
          `p95 ${fmt(singleLatency.p95)} ms, p99 ${fmt(singleLatency.p99)} ms; CPU per request: node ` +
          `${fmt(step.singleClient.cpuMsPerRequest.server)} ms, database ${step.singleClient.cpuMsPerRequest.database === null ? '?' : fmt(step.singleClient.cpuMsPerRequest.database)} ms`,
      );
      console.log(
        tp.latencyMs
          ? `    ${args.connections} clients over ${SEARCHES.length} searches: p50 ${fmt(tp.latencyMs.p50)} ms, p95 ${fmt(tp.latencyMs.p95)} ms, p99 ${fmt(tp.latencyMs.p99)} ms, ${fmt(tp.requestsPerSecond!)} req/s`
          : `    throughput run skipped: ${String(throughput.skipped)}`,
      );
      for (const b of breakdown) {
        console.log(
          `    ${String(b.query).padEnd(16)} http ${fmt(b.httpMs as number)} ms, service ${b.serviceMs === null ? '-' : fmt(b.serviceMs as number)} ms, ` +
            `raw find ${fmt(b.rawFindMs as number)} ms + raw count ${fmt(b.rawCountMs as number)} ms ` +
            `(pushdown ${JSON.stringify(b.pushdown)}, SQLite ${JSON.stringify(b.sqlitePlan)})`,
        );
      }
    }
    type Step = { listings: number; singleClient: { latencyMs: { p95: number } } };
    const first = steps[0] as Step;
    const last = steps.at(-1) as Step;
    const ratio = last.singleClient.latencyMs.p95 / first.singleClient.latencyMs.p95;
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
