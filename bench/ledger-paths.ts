/**
 * The regulator's ledger page filtered by type, organisation or a date range: p50/p95 over HTTP
 * through the access paths (modules/ledger/ledger.paths), beside what the same filter costs by
 * the query (find + countDocuments, timed in process: the path taken before the paths existed,
 * and still for combinations), and how long recording a bulk-loaded ledger in the paths takes.
 *
 *   npx tsx bench/ledger-paths.ts [--orders 10000] [--samples 30] [--query-samples 5]
 */
import { generateBulk } from '../seeds/bulk';
import { ledgerFilter } from '../server/src/modules/ledger/audit.service';
import { LedgerEntryModel } from '../server/src/modules/ledger/ledger.model';
import { backfillPaths } from '../server/src/modules/ledger/ledger.paths';
import { headRef } from '../server/src/modules/ledger/ledger.service';
import { fmt, latencyOf, runMain, startBench, writeResult } from './lib';

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

runMain(async (args) => {
  const size = Number(args.flags.orders ?? 10000);
  const samples = Number(args.flags.samples ?? 30);
  const querySamples = Number(args.flags['query-samples'] ?? 5);
  const bench = await startBench(args);
  try {
    const gen = await generateBulk(bench.config, { listings: 300, trades: size, batch: 1000 });
    const head = (await headRef()).seq;
    console.log(`ledger-paths: ${size} orders, ledger ${head} entries, loaded in ${fmt(gen.totalMs / 1000)} s`);
    await bench.quiet(60);
    const w = gen.world;
    const mid = await LedgerEntryModel.findById(String(Math.floor(head / 2)).padStart(12, '0')).lean();
    const from = new Date(mid!.at.getTime() - 3 * 86_400_000);
    const to = new Date(mid!.at.getTime() + 4 * 86_400_000);
    const q = (o: Record<string, string | undefined>) =>
      new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    const rows = [
      { list: 'ledger page, unfiltered', f: {} },
      { list: 'ledger page, type=trade.settled', f: { type: 'trade.settled' } },
      { list: 'ledger page 50, type=trade.settled', f: { type: 'trade.settled' }, page: 50 },
      { list: "ledger page, org=a buyer's", f: { org: w.buyers[0]!.orgId } },
      { list: 'ledger page, a week (from/to)', f: { from: from.toISOString(), to: to.toISOString() } },
      { list: 'ledger page, type+org (query)', f: { type: 'trade.settled', org: w.buyers[0]!.orgId } },
    ];
    const token = bench.token(w.regulator);
    const out: Record<string, unknown>[] = [];
    // 1. The query each filter ran before (in process, the same find + count as listEntries).
    for (const r of rows.slice(1)) {
      const filter = ledgerFilter({
        ...r.f,
        ...(r.f.from ? { from: new Date(r.f.from), to: new Date(r.f.to!) } : {}),
      } as never);
      const skip = ((r.page ?? 1) - 1) * 20;
      const ms = await timed(querySamples, () =>
        Promise.all([
          LedgerEntryModel.find(filter).sort({ seq: -1 }).skip(skip).limit(20).lean(),
          LedgerEntryModel.countDocuments(filter),
        ]),
      );
      const lat = latencyOf(ms);
      out.push({ list: r.list, by: 'query', ...lat });
      console.log(
        `  query  ${r.list.padEnd(36)} p50 ${fmt(lat.p50).padStart(8)} ms  p95 ${fmt(lat.p95).padStart(8)} ms`,
      );
    }
    // 2. Recording the bulk-loaded ledger in the paths (what the first filtered read starts).
    const t0 = performance.now();
    const ok = await backfillPaths(headRef);
    const backfillS = (performance.now() - t0) / 1000;
    console.log(
      `  backfill of ${head} entries: ${fmt(backfillS)} s (${fmt(head / backfillS)} entries/s), complete: ${ok}`,
    );
    await bench.quiet(30);
    // 3. Over HTTP, now through the paths.
    for (const r of rows) {
      const url = `${bench.baseUrl}/api/v1/ledger?${q({ ...r.f, page: String(r.page ?? 1) })}`;
      let total = 0;
      const ms = await timed(samples, async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        total = ((await res.json()) as { total: number }).total;
      });
      const lat = latencyOf(ms);
      out.push({ list: r.list, by: 'http', total, ...lat });
      console.log(
        `  http   ${r.list.padEnd(36)} p50 ${fmt(lat.p50).padStart(8)} ms  p95 ${fmt(lat.p95).padStart(8)} ms  (total ${total})`,
      );
    }
    writeResult('ledger-paths', { orders: size, ledgerEntries: head, backfillSeconds: backfillS, rows: out });
  } finally {
    await bench.close();
  }
});
