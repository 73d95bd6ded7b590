/**
 * The back-office lists a user opens, p95 over HTTP, at each size of the trade (orders written by
 * the bulk generator, ledger ≈ orders + listings), each also as a ratio to the p50 of a raw driver
 * `findOne({_id})` on the same database in the same run (the cost of one key lookup), and how each
 * grows from the smallest to the largest size. Requests are sequential (one client): the figure
 * is a page's latency, not throughput.
 *
 *   npx tsx bench/lists.ts [--orders 10000,100000] [--samples 30]
 */
import { Types } from 'mongoose';
import { generateBulk } from '../seeds/bulk';
import { OrderModel } from '../server/src/modules/trade/order.model';
import { fmt, latencyOf, peakRss, runMain, startBench, writeResult } from './lib';

interface Row {
  list: string;
  path: string;
  role: 'buyer' | 'provider' | 'exchange' | 'regulator' | 'authority';
}

/** The lists of issue 11 part 4 this bench times; the ones served by access paths come first. */
const LISTS: Row[] = [
  { list: "buyer's orders", path: '/api/v1/orders', role: 'buyer' },
  { list: "provider's orders", path: '/api/v1/orders', role: 'provider' },
  { list: "exchange's orders", path: '/api/v1/orders', role: 'exchange' },
  { list: "exchange's orders, page 50", path: '/api/v1/orders?page=50', role: 'exchange' },
  { list: 'transfers awaiting confirmation', path: '/api/v1/orders?status=pending_payment', role: 'exchange' },
  { list: "authority's resources", path: '/api/v1/resources', role: 'authority' },
  { list: "authority's authorizations", path: '/api/v1/authorizations', role: 'authority' },
  { list: "regulator's ledger page", path: '/api/v1/ledger', role: 'regulator' },
];

async function timeGet(url: string, token: string, samples: number, deadlineMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples && Date.now() < deadlineMs; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

runMain(async (args) => {
  const sizes = (args.flags.orders ?? '10000,100000').split(',').map(Number);
  const samples = Number(args.flags.samples ?? 30);
  const perListSeconds = Number(args.flags['list-seconds'] ?? 30);
  const results: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const bench = await startBench(args);
    try {
      const gen = await generateBulk(bench.config, { listings: 300, trades: size, batch: 1000 });
      console.log(`lists: ${size} orders, ledger ${gen.ledger.toSeq} entries, loaded in ${fmt(gen.totalMs / 1000)} s`);
      await bench.quiet(60);
      const w = gen.world;
      const actor = {
        buyer: w.buyers[0]!,
        provider: w.providers[0]!,
        exchange: w.exchange,
        regulator: w.regulator,
        authority: w.authority,
      };
      const ids = (
        await OrderModel.collection
          .find({}, { projection: { _id: 1 } })
          .limit(200)
          .toArray()
      ).map((d) => d._id as Types.ObjectId);
      const raw: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await OrderModel.collection.findOne({ _id: ids[(i * 37) % ids.length]! });
        raw.push(performance.now() - t);
      }
      const rawP50 = latencyOf(raw).p50;
      console.log(`lists: raw findOne({_id}) p50 ${fmt(rawP50, 2)} ms`);
      const rows: Record<string, unknown>[] = [];
      for (const l of LISTS) {
        const token = bench.token(actor[l.role]);
        const ms = await timeGet(`${bench.baseUrl}${l.path}`, token, samples, Date.now() + perListSeconds * 1000);
        const lat = latencyOf(ms);
        const row = { list: l.list, path: l.path, n: lat.n, p50: lat.p50, p95: lat.p95, ratio: lat.p95 / rawP50 };
        rows.push(row);
        console.log(
          `  ${l.list.padEnd(34)} p50 ${fmt(lat.p50).padStart(8)} ms  p95 ${fmt(lat.p95).padStart(8)} ms  ${fmt(row.ratio).padStart(7)}× raw  (n=${lat.n})`,
        );
      }
      results.push({
        orders: size,
        ledgerEntries: gen.ledger.toSeq,
        rawFindOneP50Ms: rawP50,
        rows,
        peakRss: peakRss(bench.databasePid),
      });
    } finally {
      await bench.close();
    }
  }
  const first = results[0]!.rows as { list: string; p95: number }[];
  const last = results[results.length - 1]!.rows as { list: string; p95: number }[];
  const growth = first.map((r, i) => ({ list: r.list, growth: last[i]!.p95 / r.p95 }));
  if (results.length > 1) {
    console.log(`lists: growth of p95 from ${sizes[0]} to ${sizes[sizes.length - 1]} orders:`);
    for (const g of growth) console.log(`  ${g.list.padEnd(34)} ${fmt(g.growth, 2)}×`);
  }
  const lastRows = last as { list: string; p95: number; ratio: number }[];
  const met = lastRows.filter((r) => r.p95 <= 200 && r.ratio <= 5).length;
  writeResult('lists', {
    sizes: results,
    growth,
    goal: {
      description: `back-office lists p95 ≤ 200 ms and ≤ 5× raw at ${sizes[sizes.length - 1]} orders: ${met}/${lastRows.length} lists`,
      met: met === lastRows.length,
    },
  });
});
