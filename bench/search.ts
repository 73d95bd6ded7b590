/**
 * The public catalog (GET /listings, served by the in-memory search engine of
 * server/src/modules/listings/catalog) at growing catalog sizes in ONE database, grown in steps by
 * the bulk generator: one client, one request at a time, over every filter, every sort and Chinese
 * queries (p50/p95/p99 over all of them and per query), and in the same run the p50 of a raw driver
 * `findOne({_id})` on the listings collection (the cost of one key lookup on this database, the
 * yardstick of the ratio goal). Also: how long the catalog takes to (re)build from the collection
 * after the bulk load, and requests/s with several clients over the same mix.
 *
 *   npx tsx bench/search.ts [--sizes 1000,5000] (full: 5000,50000) [--passes 5] [--duration 10] [--connections 8]
 *
 * Goals (issue 11): p95 ≤ 50 ms at 5,000 listings and ≤ 100 ms at 50,000; p95 ÷ raw findOne p50 ≤ 3;
 * p95 at the largest size ≤ 2× the p95 at the first.
 */
import { Types } from 'mongoose';
import { generateBulk } from '../seeds/bulk';
import { catalogState, syncCatalog } from '../server/src/modules/listings/catalog';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { fmt, latencyOf, load, measured, peakRss, runMain, startBench, writeResult } from './lib';
import { SEARCHES } from './search-mix';

/** Timed one at a time: `fn` `n` times or until `seconds` pass. */
async function sequential(n: number, seconds: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

const GOAL_P95_MS: [number, number][] = [
  [5_000, 50],
  [50_000, 100],
];
/** The p95 goal for a size: that of the smallest goal size at or above it. */
const goalFor = (size: number) => GOAL_P95_MS.find(([n]) => size <= n)?.[1] ?? 100;

runMain(async (args) => {
  const sizes = (args.flags.sizes ?? '1000,5000').split(',').map(Number);
  const passes = Number(args.flags.passes ?? 5);
  const bench = await startBench(args);
  const steps: Record<string, unknown>[] = [];
  const ids: Types.ObjectId[] = [];
  const searches = [...SEARCHES];
  try {
    let have = 0;
    for (const size of sizes) {
      const add = size - have;
      if (add > 0) {
        const gen = await generateBulk(bench.config, { listings: add, trades: Math.round(add / 10), batch: 1000 });
        ids.push(...gen.world.listingIds.map((id) => new Types.ObjectId(id)));
        if (have === 0) {
          const p = gen.world.providers[0]!.orgId;
          searches.push(`provider=${p}`, `q=交通&provider=${p}&sort=popular`);
        }
        have = size;
        console.log(`search: catalog grown to ${size} listings in ${fmt(gen.totalMs / 1000)} s (bulk inserts)`);
        await bench.quiet(60);
      }
      // The bulk generator announced its listings on the feed: the catalog rebuilds from the collection.
      const rebuildStart = performance.now();
      await syncCatalog();
      const rebuildMs = performance.now() - rebuildStart;
      const state = catalogState();
      if (state.listed < size) throw new Error(`the catalog holds ${state.listed} listings, expected ${size}`);
      console.log(`search: catalog rebuilt with ${state.listed} listings in ${fmt(rebuildMs)} ms`);
      await bench.quiet(30);

      // The yardstick: a raw driver findOne({_id}) on the listings collection, one at a time.
      const coll = ListingModel.collection;
      const raw = latencyOf(await sequential(500, 60, (i) => coll.findOne({ _id: ids[(i * 7919) % ids.length]! })));

      // One client over the whole mix, `passes` times.
      const sampled: number[] = [];
      const perQuery: Record<string, number[]> = {};
      const single = await measured(bench, async () => {
        for (let pass = 0; pass < passes; pass++) {
          for (const qs of searches) {
            const t = performance.now();
            const res = await fetch(`${bench.baseUrl}/api/v1/listings${qs ? `?${qs}` : ''}`);
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`search ${qs} answered ${res.status}`);
            const ms = performance.now() - t;
            if (pass === 0) continue; // the first pass warms up (JIT, caches of the engine's first queries)
            sampled.push(ms);
            (perQuery[qs || '(default page)'] ??= []).push(ms);
          }
        }
      });
      const latency = latencyOf(sampled);

      // Several clients over the same mix.
      const run = await measured(bench, () =>
        load({
          url: bench.baseUrl,
          connections: args.connections,
          durationSeconds: args.durationSeconds,
          scenario: { kind: 'paths', paths: searches.map((qs) => `/api/v1/listings${qs ? `?${qs}` : ''}`) },
        }),
      );
      const http = run.value;
      if (Object.keys(http.statusCounts).some((st) => st !== '200')) {
        throw new Error(`search answered ${JSON.stringify(http.statusCounts)}`);
      }
      const step = {
        listings: size,
        rebuildMs,
        rawFindOneMs: raw,
        singleClient: {
          samples: sampled.length,
          latencyMs: latency,
          ratioP95ToRawFindOneP50: latency.p95 / raw.p50,
          perQueryMs: Object.fromEntries(
            Object.entries(perQuery).map(([k, v]) => [k, { p50: latencyOf(v).p50, p95: latencyOf(v).p95 }]),
          ),
          cpuMsPerRequest: {
            server: (single.cpuSeconds.server / (searches.length * passes)) * 1000,
            database:
              single.cpuSeconds.database === null
                ? null
                : (single.cpuSeconds.database / (searches.length * passes)) * 1000,
          },
        },
        throughput: {
          connections: args.connections,
          requests: http.requests,
          requestsPerSecond: http.requestsPerSecond,
          latencyMs: http.latencyMs,
        },
        goals: {
          p95: { goalMs: goalFor(size), met: latency.p95 <= goalFor(size) },
          ratio: { goal: 3, met: latency.p95 / raw.p50 <= 3 },
        },
      };
      steps.push(step);
      console.log(
        `search @ ${String(size).padStart(6)} listings, one client (${sampled.length} samples over ${searches.length} searches): ` +
          `p50 ${fmt(latency.p50, 2)} ms, p95 ${fmt(latency.p95, 2)} ms, p99 ${fmt(latency.p99, 2)} ms ` +
          `— goal p95 ≤ ${goalFor(size)} ms: ${step.goals.p95.met ? 'met' : 'MISSED'}`,
      );
      console.log(
        `    raw findOne({_id}) p50 ${fmt(raw.p50, 2)} ms (p95 ${fmt(raw.p95, 2)}); search p95 ÷ findOne p50 = ` +
          `${fmt(step.singleClient.ratioP95ToRawFindOneP50, 2)} — goal ≤ 3: ${step.goals.ratio.met ? 'met' : 'MISSED'}`,
      );
      console.log(
        `    ${args.connections} clients: p50 ${fmt(http.latencyMs.p50)} ms, p95 ${fmt(http.latencyMs.p95)} ms, ` +
          `${fmt(http.requestsPerSecond)} req/s; CPU per request (one client): node ${fmt(step.singleClient.cpuMsPerRequest.server, 2)} ms`,
      );
      for (const [k, v] of Object.entries(step.singleClient.perQueryMs)) {
        console.log(
          `      ${k.slice(0, 60).padEnd(60)} p50 ${fmt(v.p50, 2).padStart(7)} ms  p95 ${fmt(v.p95, 2).padStart(7)} ms`,
        );
      }
    }
    type Step = (typeof steps)[number] & { listings: number; singleClient: { latencyMs: { p95: number } } };
    const first = steps[0] as Step;
    const last = steps.at(-1) as Step;
    const growth = last.singleClient.latencyMs.p95 / first.singleClient.latencyMs.p95;
    const allMet = (steps as { goals: { p95: { met: boolean }; ratio: { met: boolean } } }[]).every(
      (s) => s.goals.p95.met && s.goals.ratio.met,
    );
    const goal = {
      description: `search p95 ≤ 50/100 ms and ≤ 3× raw findOne p50 at every size; p95 at ${last.listings} ≤ 2× p95 at ${first.listings} (growth)`,
      ratio: growth,
      met: allMet && growth <= 2,
    };
    console.log(
      `search: p95 grew ${fmt(growth, 2)}× from ${first.listings} to ${last.listings} listings — goal ≤ 2×: ${growth <= 2 ? 'met' : 'MISSED'}`,
    );
    const rss = peakRss(bench.databasePid);
    console.log(
      `search: peak RSS bench process ${rss.benchProcessMiB} MiB, database ${rss.databaseMiB ?? 'not measured'} MiB`,
    );
    writeResult('search', { database: bench.db.kind, searches, steps, growth, goal, peakRss: rss });
  } finally {
    await bench.close();
  }
});
