/**
 * Ledger verification speed on a ledger of 200k+ entries written by the bulk generator (a whole
 * world: listings, settled orders, refunds). Times GET /ledger/verify and the service function
 * `verifyChain` directly, in entries per second (goal: at least 100,000/s), and splits the cost:
 * reading the entries from the database (the same streaming scan, nothing computed) against
 * hashing them in this process (the same `entryHash` over entries already in memory).
 *
 *   npx tsx bench/ledger-verify.ts [--trades 30000] (full: 200000) [--listings 1000] [--runs 3]
 */
import { generateBulk, formatStats } from '../seeds/bulk';
import { verifyChain } from '../server/src/modules/ledger/audit.service';
import { signingKey } from '../server/src/modules/ledger/checkpoint.service';
import { entryHash } from '../server/src/modules/ledger/ledger.hash';
import { entriesInSeqOrder, type RawEntry } from '../server/src/modules/ledger/ledger.scan';
import { headRef } from '../server/src/modules/ledger/ledger.service';
import { fmt, latencyOf, measured, peakRss, runMain, startBench, writeResult } from './lib';

const HASH_SAMPLE = 50_000;

runMain(async (args) => {
  const trades = Number(args.flags.trades ?? 30_000);
  const size = Number(args.flags.listings ?? 1000);
  const runs = Number(args.flags.runs ?? 3);
  const bench = await startBench(args);
  try {
    console.log(`ledger-verify: generating ${size} listings and ${trades} trades …`);
    const gen = await generateBulk(bench.config, { listings: size, trades, batch: Number(args.flags.batch ?? 1000) });
    console.log(formatStats(gen));
    const entries = gen.ledger.toSeq;
    await bench.quiet();
    const token = bench.token(gen.world.regulator);
    const key = signingKey(bench.config);

    const httpMs: number[] = [];
    const httpRuns = await measured(
      bench,
      async () => {
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          const res = await fetch(`${bench.baseUrl}/api/v1/ledger/verify`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await res.json()) as { ok: boolean; checked: number };
          httpMs.push(performance.now() - t);
          if (!body.ok || body.checked !== entries) throw new Error(`verify answered ${JSON.stringify(body)}`);
        }
      },
      args.flags.profile ? 'ledger-verify' : undefined,
    );
    const cpuPerRun = {
      serverSeconds: httpRuns.cpuSeconds.server / runs,
      databaseSeconds: httpRuns.cpuSeconds.database === null ? null : httpRuns.cpuSeconds.database / runs,
    };
    const serviceMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const report = await verifyChain({}, key);
      serviceMs.push(performance.now() - t);
      if (!report.ok || report.checked !== entries) throw new Error(`verifyChain found ${JSON.stringify(report)}`);
    }

    // The two halves of the work: reading (database and driver) and hashing (our process).
    // Hashing is timed on the first 50k entries only, so the bench does not hold the ledger in memory.
    const head = await headRef();
    let t = performance.now();
    const kept: RawEntry[] = [];
    let read = 0;
    for await (const docs of entriesInSeqOrder(1, head.seq)) {
      read += docs.length;
      for (const d of docs) if (kept.length < HASH_SAMPLE) kept.push(d);
    }
    const readMs = performance.now() - t;
    if (read !== entries) throw new Error(`the scan read ${read} entries, not ${entries}`);
    t = performance.now();
    let mismatches = 0;
    for (const e of kept) if (entryHash(e) !== e.hash) mismatches++;
    const hashMs = ((performance.now() - t) * entries) / kept.length;
    if (mismatches) throw new Error(`${mismatches} entries do not hash to their stored hash`);

    const http = latencyOf(httpMs);
    const service = latencyOf(serviceMs);
    const perSecond = (ms: number) => entries / (ms / 1000);
    const httpRate = perSecond(http.p50);
    const goal = {
      description: 'ledger verify ≥ 100,000 entries/s',
      entriesPerSecond: httpRate,
      met: httpRate >= 100_000,
    };
    console.log(`ledger-verify: ${entries} entries (median of ${runs} runs)`);
    console.log(`  GET /ledger/verify        ${fmt(http.p50 / 1000, 2)} s  ${fmt(httpRate, 0)} entries/s`);
    console.log(
      `  verifyChain() (service)   ${fmt(service.p50 / 1000, 2)} s  ${fmt(perSecond(service.p50), 0)} entries/s`,
    );
    console.log(`  read only (scan, no hash) ${fmt(readMs / 1000, 2)} s  ${fmt(perSecond(readMs), 0)} entries/s`);
    console.log(`  hash only (in memory)*    ${fmt(hashMs / 1000, 2)} s  ${fmt(perSecond(hashMs), 0)} entries/s`);
    console.log(
      `  CPU per verify: node ${fmt(cpuPerRun.serverSeconds, 2)} s, database ${cpuPerRun.databaseSeconds === null ? '?' : fmt(cpuPerRun.databaseSeconds, 2)} s`,
    );
    console.log(`  * timed on the first ${Math.min(HASH_SAMPLE, entries)} entries, scaled to all`);
    console.log(`ledger-verify: goal ≥ 100,000 entries/s: ${goal.met ? 'met' : 'MISSED'}`);
    const rss = peakRss(bench.databasePid);
    writeResult('ledger-verify', {
      database: bench.db.kind,
      entries,
      runs,
      generator: {
        listings: size,
        trades,
        totalSeconds: gen.totalMs / 1000,
        collections: Object.fromEntries(
          Object.entries(gen.stats).map(([name, s]) => [
            name,
            { docs: s.docs, seconds: s.ms / 1000, docsPerSecond: s.docs / (s.ms / 1000) },
          ]),
        ),
      },
      httpMs: http,
      serviceMs: service,
      entriesPerSecond: {
        http: httpRate,
        service: perSecond(service.p50),
        readOnly: perSecond(readMs),
        hashOnly: perSecond(hashMs),
      },
      cpuPerVerify: cpuPerRun,
      ...(httpRuns.profile ? { profile: httpRuns.profile } : {}),
      goal,
      peakRss: rss,
    });
  } finally {
    await bench.close();
  }
});
