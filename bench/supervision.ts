/**
 * Supervision views on a ledger written by the bulk generator: GET /supervision/report the first
 * time (every entry read through the ledger scan, then the listing and organisation look-ups) and
 * again (the per-process cache: only the head is read), and the streamed exports of the largest
 * views (byOrg, largest) as CSV and XLSX. Also GET /listings/:id/dossier, cold (sample parsed) and
 * warm, on a listed product.
 *
 *   npx tsx bench/supervision.ts [--trades 30000] [--listings 1000] [--runs 3]
 */
import { generateBulk, formatStats } from '../seeds/bulk';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { fmt, latencyOf, peakRss, runMain, startBench, writeResult } from './lib';

runMain(async (args) => {
  const trades = Number(args.flags.trades ?? 30_000);
  const size = Number(args.flags.listings ?? 1000);
  const runs = Number(args.flags.runs ?? 3);
  const bench = await startBench(args);
  try {
    console.log(`supervision: generating ${size} listings and ${trades} trades …`);
    const gen = await generateBulk(bench.config, { listings: size, trades, batch: Number(args.flags.batch ?? 1000) });
    console.log(formatStats(gen));
    await bench.quiet();
    const headers = { authorization: `Bearer ${bench.token(gen.world.regulator)}` };
    const timed = async (path: string, check: (res: Response) => Promise<void>) => {
      const t = performance.now();
      const res = await fetch(`${bench.baseUrl}/api/v1${path}`, { headers });
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      await check(res);
      return performance.now() - t;
    };
    let tradeEntries = 0;
    const readReport = async (res: Response) => {
      const body = (await res.json()) as { basis: { tradeEntries: number } };
      tradeEntries = body.basis.tradeEntries;
    };
    const coldMs = await timed('/supervision/report', readReport);
    const warmMs: number[] = [];
    for (let i = 0; i < runs; i++) warmMs.push(await timed('/supervision/report', readReport));
    const exportsMs: Record<string, number> = {};
    const bytes: Record<string, number> = {};
    for (const view of ['byOrg', 'largest']) {
      for (const format of ['csv', 'xlsx']) {
        const key = `${view}.${format}`;
        exportsMs[key] = await timed(`/supervision/export?view=${view}&format=${format}&top=100`, async (res) => {
          bytes[key] = (await res.arrayBuffer()).byteLength;
        });
      }
    }
    const listed = await ListingModel.findOne({ status: 'listed', sample: { $exists: true } }, { _id: 1 }).lean();
    let dossier: { coldMs: number; warmMs: ReturnType<typeof latencyOf> } | null = null;
    if (listed) {
      const path = `/listings/${listed._id}/dossier`;
      const coldDossier = await timed(path, async (r) => void (await r.json()));
      const again: number[] = [];
      for (let i = 0; i < runs; i++) again.push(await timed(path, async (r) => void (await r.json())));
      dossier = { coldMs: coldDossier, warmMs: latencyOf(again) };
    }
    const warm = latencyOf(warmMs);
    console.log(`supervision: ${gen.ledger.toSeq} ledger entries, ${tradeEntries} trade entries`);
    console.log(`  GET /supervision/report, first       ${fmt(coldMs, 0)} ms`);
    console.log(`  GET /supervision/report, again (p50) ${fmt(warm.p50, 0)} ms`);
    for (const [k, ms] of Object.entries(exportsMs)) {
      console.log(`  export ${k.padEnd(13)} ${fmt(ms, 0)} ms  ${fmt(bytes[k]! / 1024, 1)} KiB`);
    }
    if (dossier) {
      console.log(
        `  GET /listings/:id/dossier first ${fmt(dossier.coldMs, 0)} ms, again p50 ${fmt(dossier.warmMs.p50, 0)} ms`,
      );
    }
    writeResult('supervision', {
      database: bench.db.kind,
      entries: gen.ledger.toSeq,
      tradeEntries,
      reportMs: { first: coldMs, again: warm },
      exportsMs,
      exportBytes: bytes,
      dossierMs: dossier,
      peakRss: peakRss(bench.databasePid),
    });
  } finally {
    await bench.close();
  }
});
