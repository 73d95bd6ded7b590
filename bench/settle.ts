/**
 * Order and settle throughput: 32 concurrent buyers (one autocannon connection each, each its own
 * organisation) place bank-transfer orders over HTTP and exchange staff confirm each transfer, for a
 * fixed time. Afterwards the ledger must be contiguous and exactly-once: GET /ledger/verify is ok,
 * seq runs 1..head without a gap, no (type, ref) twice, and every settled order has exactly one
 * trade.settled entry (and nothing else has one).
 *
 *   npx tsx bench/settle.ts [--buyers 32] [--listings 500] [--settle-seconds 15]
 */
import { generateBulk } from '../seeds/bulk';
import { LedgerEntryModel } from '../server/src/modules/ledger/ledger.model';
import { OrderModel } from '../server/src/modules/trade/order.model';
import { OrderTransitionModel } from '../server/src/modules/trade/order-transition.model';
import mongoose, { Types, type mongo } from 'mongoose';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { fmt, load, measured, peakRss, runMain, startBench, writeResult, type Bench } from './lib';

type Collection = mongo.Collection;

/** Checks the whole ledger and its agreement with the orders; returns what it found. */
async function checkLedger(baseUrl: string, regulatorToken: string) {
  const res = await fetch(`${baseUrl}/api/v1/ledger/verify`, {
    headers: { authorization: `Bearer ${regulatorToken}` },
  });
  const verify = (await res.json()) as { ok: boolean; checked: number; headSeq: number; firstBrokenSeq?: number };

  const entries = await LedgerEntryModel.collection
    .find<{ seq: number; type: string; ref: string }>({}, { projection: { _id: 0, seq: 1, type: 1, ref: 1 } })
    .toArray();
  const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
  let gaps = 0;
  let duplicateSeqs = 0;
  for (let i = 0; i < seqs.length; i++) {
    if (i > 0 && seqs[i] === seqs[i - 1]) duplicateSeqs++;
    else if (seqs[i] !== (i > 0 ? seqs[i - 1]! + 1 : 1)) gaps++;
  }
  const keys = new Set(entries.map((e) => `${e.type}\u0000${e.ref}`));
  const duplicateRefs = entries.length - keys.size;

  const settledRefs = new Set(entries.filter((e) => e.type === 'trade.settled').map((e) => e.ref));
  const settledOrders = await OrderModel.collection
    .find({ status: { $in: ['paid', 'delivered', 'refunded'] } }, { projection: { _id: 1 } })
    .toArray();
  const ordersWithoutEntry = settledOrders.filter((o) => !settledRefs.has(String(o._id))).length;
  const settledIds = new Set(settledOrders.map((o) => String(o._id)));
  const entriesWithoutOrder = [...settledRefs].filter((ref) => !settledIds.has(ref)).length;
  const pendingOutbox = await OrderTransitionModel.countDocuments({ 'outbox.0': { $exists: true } });
  return {
    verifyOk: verify.ok,
    verifyChecked: verify.checked,
    headSeq: verify.headSeq,
    entries: entries.length,
    gaps,
    duplicateSeqs,
    duplicateRefs,
    settledOrders: settledOrders.length,
    ordersWithoutEntry,
    entriesWithoutOrder,
    pendingOutbox,
    ok:
      verify.ok &&
      gaps === 0 &&
      duplicateSeqs === 0 &&
      duplicateRefs === 0 &&
      entries.length === verify.headSeq &&
      ordersWithoutEntry === 0 &&
      entriesWithoutOrder === 0,
  };
}

/**
 * Waits until the server has finished what the load left running: requests the load generator gave
 * up on at its deadline still run to the end on the server (their socket is gone, not their work).
 * Done when no order transition has a pending outbox item and the counts stop moving.
 */
async function settledDown(maxSeconds = 300): Promise<void> {
  const deadline = Date.now() + maxSeconds * 1000;
  let last = '';
  let stable = 0;
  while (Date.now() < deadline) {
    // Cheap counts only (a scan here would compete with the server for the database): a settlement
    // is done when its outbox_pending mark is gone, after `delivered`.
    const snapshot = JSON.stringify([
      await LedgerEntryModel.estimatedDocumentCount(),
      await OrderTransitionModel.estimatedDocumentCount(),
      await mongoose.connection.db!.collection('outbox_pending').estimatedDocumentCount(),
    ]);
    const pending = JSON.parse(snapshot) as number[];
    stable = snapshot === last && pending[2] === 0 ? stable + 1 : 0;
    if (stable >= 3) return;
    last = snapshot;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`settle: the server was still busy ${maxSeconds} s after the load stopped`);
}

/**
 * What one query of each kind the settlement path makes costs the database
 * (CPU ms, mean of 10) a lone `_id` equality is handed to SQLite; a conditional update (`{_id, status}`) or a count by
 * other fields makes FerretDB v1 decode the whole collection.
 */
async function queryCosts(bench: Pick<Bench, 'databasePid'>) {
  const order = (await OrderModel.collection.findOne({}, { projection: { _id: 1, listingId: 1 } }))!;
  const none = new Types.ObjectId();
  const probes: [string, Collection, () => Promise<unknown>][] = [
    ['orders.findOne({_id})', OrderModel.collection, () => OrderModel.collection.findOne({ _id: order._id })],
    [
      "orders.updateOne({_id, status: 'pending_payment'}) (applyTransition)",
      OrderModel.collection,
      () => OrderModel.collection.updateOne({ _id: none, status: 'pending_payment' }, { $set: { paidAt: new Date() } }),
    ],
    [
      'order_transitions.countDocuments({listingId, kind}) (syncSettledCount)',
      OrderTransitionModel.collection,
      () => OrderTransitionModel.collection.countDocuments({ listingId: none, kind: 'settled' }),
    ],
    [
      'listings.updateOne({_id, settledCount: {$lt}}) (syncSettledCount)',
      ListingModel.collection,
      () => ListingModel.collection.updateOne({ _id: none, settledCount: { $lt: 0 } }, { $set: { settledCount: 0 } }),
    ],
  ];
  const out: { query: string; databaseMs: number; collectionSize: number }[] = [];
  for (const [query, coll, fn] of probes) {
    const reps = 10; // /proc counts CPU in 10 ms ticks: time ten calls together
    const m = await measured(bench, async () => {
      for (let i = 0; i < reps; i++) await fn();
    });
    const databaseMs = ((m.cpuSeconds.database ?? NaN) * 1000) / reps;
    out.push({ query, databaseMs, collectionSize: await coll.estimatedDocumentCount() });
  }
  return out;
}

runMain(async (args) => {
  const buyers = Number(args.flags.buyers ?? 32);
  const size = Number(args.flags.listings ?? 500);
  const seconds = Number(args.flags['settle-seconds'] ?? 15);
  const bench = await startBench(args);
  try {
    const gen = await generateBulk(bench.config, { listings: size, trades: size * 4, buyers, batch: 1000 });
    const { world } = gen;
    console.log(
      `settle: ${size} listings, ${size * 4} earlier trades, ${buyers} buyers loaded in ${fmt(gen.totalMs / 1000)} s`,
    );
    await bench.quiet();
    const before = await OrderModel.countDocuments({ status: { $in: ['paid', 'delivered'] } });

    const started = performance.now();
    const measuredRun = await measured(
      bench,
      async () => {
        const r = await load({
          url: bench.baseUrl,
          connections: buyers,
          durationSeconds: seconds,
          scenario: {
            kind: 'settle',
            buyerTokens: world.buyers.map((b) => bench.token(b)),
            exchangeToken: bench.token(world.exchange),
            listingIds: world.listingIds,
          },
        });
        await settledDown(); // confirmations still running when the load generator stopped finish first
        return r;
      },
      args.flags.profile ? 'settle' : undefined,
    );
    const run = measuredRun.value;
    const elapsed = (performance.now() - started) / 1000;
    const after = await OrderModel.countDocuments({ status: { $in: ['paid', 'delivered'] } });
    const settledNow = after - before;
    // Every order settled, over the load window plus the time the server took to finish what was left
    // running (the load generator's own start-up counts too: a conservative figure).
    const ordersPerSecond = settledNow / elapsed;
    const failures = Object.entries(run.statusCounts).filter(([s]) => !['200', '201'].includes(s));

    const check = await checkLedger(bench.baseUrl, bench.token(world.regulator));
    const queries = await queryCosts(bench);
    console.log(
      'settle: database CPU per query of the kinds a settlement makes (none of these match, so nothing changes):',
    );
    for (const q of queries)
      console.log(`    ${q.query.padEnd(64)} ${fmt(q.databaseMs, 1).padStart(8)} ms  (${q.collectionSize} documents)`);
    console.log(
      `settle: ${run.ordersPlaced} orders placed and ${run.ordersSettled} transfers confirmed within the ${fmt(run.durationSeconds)} s window by ${buyers} buyers; ` +
        `${settledNow} settled once the server was done (${fmt(elapsed)} s in all): ${fmt(ordersPerSecond, 2)} orders settled/s; ` +
        `request p50 ${fmt(run.latencyMs.p50)} ms, p95 ${fmt(run.latencyMs.p95)} ms, p99 ${fmt(run.latencyMs.p99)} ms`,
    );
    const settledTotal = Math.max(1, settledNow);
    const cpuMsPerOrder = {
      server: (measuredRun.cpuSeconds.server / settledTotal) * 1000,
      database:
        measuredRun.cpuSeconds.database === null ? null : (measuredRun.cpuSeconds.database / settledTotal) * 1000,
    };
    console.log(
      `settle: CPU per settled order (order + confirmation): node ${fmt(cpuMsPerOrder.server, 2)} ms, database ${cpuMsPerOrder.database === null ? '?' : fmt(cpuMsPerOrder.database, 2)} ms`,
    );
    if (failures.length) console.log(`settle: non-2xx answers ${JSON.stringify(Object.fromEntries(failures))}`);
    console.log(
      `settle: ledger ${check.entries} entries, head ${check.headSeq}, verify ${check.verifyOk ? 'ok' : 'BROKEN'}, ` +
        `${check.gaps} gaps, ${check.duplicateSeqs} duplicate seqs, ${check.duplicateRefs} duplicate refs, ` +
        `${check.ordersWithoutEntry} settled orders without an entry, ${check.entriesWithoutOrder} entries without an order, ` +
        `${check.pendingOutbox} outbox items pending — ${check.ok ? 'contiguous, exactly once' : 'FAILED'}`,
    );
    const rss = peakRss(bench.databasePid);
    writeResult('settle', {
      database: bench.db.kind,
      buyers,
      listings: size,
      durationSeconds: run.durationSeconds,
      wallSeconds: elapsed,
      ordersPlaced: run.ordersPlaced,
      transfersConfirmed: run.ordersSettled,
      ordersSettled: settledNow,
      ordersSettledPerSecond: ordersPerSecond,
      requests: run,
      cpuMsPerOrder,
      ...(measuredRun.profile ? { profile: measuredRun.profile } : {}),
      ledger: check,
      databaseCpuPerQuery: queries,
      goal: { description: 'no ledger gap or duplicate ever', met: check.ok },
      peakRss: rss,
    });
    if (!check.ok) process.exitCode = 1;
  } finally {
    await bench.close();
  }
});
