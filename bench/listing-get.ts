/**
 * GET /listings/:id against the raw driver's findOne of the same documents on the same connection
 * (mongoose's). Goals (issue 11) at 50,000 listings: one client's p95 ≤ 20 ms, and that p95 ÷ the p50
 * of one raw `findOne({_id})` (measured the same way in the same run) ≤ 3. A listed product's public
 * view comes from the catalog's memory (server/src/modules/listings/catalog), its sources and
 * authorization by `_id`. Also at the same concurrency for the same time, the API against the raw
 * read, and to place the difference the service function on its own and the raw reads it makes.
 *
 *   npx tsx bench/listing-get.ts [--listings 2000] (full: 50000) [--samples 2000] [--duration 10] [--connections 8]
 */
import { Types } from 'mongoose';
import { generateBulk } from '../seeds/bulk';
import { AuthorizationModel } from '../server/src/modules/authorizations/authorization.model';
import { ResourceModel } from '../server/src/modules/resources/resource.model';
import { syncCatalog } from '../server/src/modules/listings/catalog';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import * as listingQuery from '../server/src/modules/listings/listings.query';
import { fmt, latencyOf, load, measured, peakRss, runMain, startBench, timedLoops, writeResult } from './lib';

function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

runMain(async (args) => {
  const size = Number(args.flags.listings ?? 2000);
  const bench = await startBench(args);
  try {
    const gen = await generateBulk(bench.config, { listings: size, trades: Math.min(size, 5_000), batch: 1000 });
    await syncCatalog(); // the catalog rebuilds after the bulk load (it announced itself on the feed)
    // One random order of the listings for every method: FerretDB finds a document by scanning its
    // table up to it, so a loop over the first few ids would look cheaper than requests spread over all.
    const ids = shuffled(gen.world.listingIds);
    const oids = ids.map((id) => new Types.ObjectId(id));
    console.log(`listing-get: ${ids.length} listings loaded in ${fmt(gen.totalMs / 1000)} s`);
    const loops = { concurrency: args.connections, seconds: args.durationSeconds };
    await bench.quiet();
    const coll = ListingModel.collection;

    // One client, one request at a time: the goal's figures.
    const samples = Number(args.flags.samples ?? 2000);
    const oneByOne = async (fn: (i: number) => Promise<unknown>) => {
      const out: number[] = [];
      const deadline = performance.now() + 120_000;
      for (let i = 0; i < samples && performance.now() < deadline; i++) {
        const t = performance.now();
        await fn(i);
        out.push(performance.now() - t);
      }
      return latencyOf(out);
    };
    const rawOne = await oneByOne((i) => coll.findOne({ _id: oids[(i * 7919) % oids.length]! }));
    const apiOne = await oneByOne(async (i) => {
      const res = await fetch(`${bench.baseUrl}/api/v1/listings/${ids[(i * 7919) % ids.length]!}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /listings/:id answered ${res.status}`);
    });
    const oneRatio = apiOne.p95 / rawOne.p50;
    console.log(
      `listing-get, one client (${apiOne.n} requests): GET /listings/:id p50 ${fmt(apiOne.p50, 2)} ms, p95 ${fmt(apiOne.p95, 2)} ms, ` +
        `p99 ${fmt(apiOne.p99, 2)} ms; raw findOne({_id}) p50 ${fmt(rawOne.p50, 2)} ms, p95 ${fmt(rawOne.p95, 2)} ms`,
    );
    console.log(
      `listing-get: p95 ${fmt(apiOne.p95, 2)} ms — goal ≤ 20 ms: ${apiOne.p95 <= 20 ? 'met' : 'MISSED'}; ` +
        `p95 ÷ raw p50 ${fmt(oneRatio, 2)} — goal ≤ 3: ${oneRatio <= 3 ? 'met' : 'MISSED'}`,
    );
    const rawRun = await measured(bench, () => timedLoops((i) => coll.findOne({ _id: oids[i % oids.length]! }), loops));
    const raw = rawRun.value;

    const profile = args.flags.profile ? 'listing-get-api' : undefined;
    const apiRun = await measured(
      bench,
      () =>
        load({
          url: bench.baseUrl,
          connections: args.connections,
          durationSeconds: args.durationSeconds,
          scenario: { kind: 'paths', paths: ids.map((id) => `/api/v1/listings/${id}`) },
        }),
      profile,
    );
    const api = apiRun.value;
    if (Object.keys(api.statusCounts).some((s) => s !== '200')) {
      throw new Error(`GET /listings/:id answered ${JSON.stringify(api.statusCounts)}`);
    }

    const serviceRun = await measured(bench, () =>
      timedLoops((i) => listingQuery.get(undefined, ids[i % ids.length]!), loops),
    );
    const service = serviceRun.value;
    // The reads the service makes, raw: the listing (without its outbox), then sources and authorization.
    const serviceReadsRun = await measured(bench, () =>
      timedLoops(async (i) => {
        const l = await coll.findOne({ _id: oids[i % oids.length]! }, { projection: { outbox: 0, searchTerms: 0 } });
        await Promise.all([
          ResourceModel.collection
            .find({ _id: { $in: (l?.sourceResourceIds ?? []) as Types.ObjectId[] } }, { projection: { name: 1 } })
            .toArray(),
          AuthorizationModel.collection.findOne(
            { _id: l?.authorizationId as Types.ObjectId },
            { projection: { outbox: 0 } },
          ),
        ]);
      }, loops),
    );
    const serviceReads = serviceReadsRun.value;
    // The same reads with each source fetched by `_id` equality, the only filter FerretDB v1 hands to
    // SQLite (an `$in` makes it decode every resource in the collection).
    const byIdReadsRun = await measured(bench, () =>
      timedLoops(async (i) => {
        const l = await coll.findOne({ _id: oids[i % oids.length]! }, { projection: { outbox: 0, searchTerms: 0 } });
        await Promise.all([
          ...((l?.sourceResourceIds ?? []) as Types.ObjectId[]).map((id) =>
            ResourceModel.collection.findOne({ _id: id }, { projection: { name: 1 } }),
          ),
          AuthorizationModel.collection.findOne(
            { _id: l?.authorizationId as Types.ObjectId },
            { projection: { outbox: 0 } },
          ),
        ]);
      }, loops),
    );
    const byIdReads = byIdReadsRun.value;

    const ratio = api.latencyMs.p50 / raw.latencyMs.p50;
    const goal = {
      description: `GET /listings/:id at ${ids.length} listings, one client: p95 ≤ 20 ms and p95 ≤ 3× raw findOne p50`,
      ratio: oneRatio,
      p95Ms: apiOne.p95,
      met: apiOne.p95 <= 20 && oneRatio <= 3,
    };
    // CPU per call, in µs: this process (server or driver) and the database.
    const perCall = (cpu: { server: number; database: number | null }, calls: number) => ({
      serverUs: (cpu.server / calls) * 1e6,
      databaseUs: cpu.database === null ? null : (cpu.database / calls) * 1e6,
    });
    const cpu = {
      api: perCall(apiRun.cpuSeconds, api.requests),
      service: perCall(serviceRun.cpuSeconds, service.calls),
      serviceRawReads: perCall(serviceReadsRun.cpuSeconds, serviceReads.calls),
      serviceRawReadsById: perCall(byIdReadsRun.cpuSeconds, byIdReads.calls),
      rawFindOne: perCall(rawRun.cpuSeconds, raw.calls),
    };
    const line = (
      name: string,
      l: { p50: number; p95: number; p99: number },
      rps: number,
      c: { serverUs: number; databaseUs: number | null },
    ) =>
      console.log(
        `  ${name.padEnd(34)} p50 ${fmt(l.p50, 2).padStart(7)} ms  p95 ${fmt(l.p95, 2).padStart(7)} ms  p99 ${fmt(l.p99, 2).padStart(7)} ms  ${fmt(rps).padStart(8)}/s` +
          `  CPU/call: node ${fmt(c.serverUs, 0).padStart(5)} µs, database ${c.databaseUs === null ? '?' : fmt(c.databaseUs, 0).padStart(5)} µs`,
      );
    console.log(`listing-get (${args.connections} concurrent, ${args.durationSeconds} s each):`);
    line('GET /api/v1/listings/:id (HTTP)', api.latencyMs, api.requestsPerSecond, cpu.api);
    line('listings.get() (service, no HTTP)', service.latencyMs, service.perSecond, cpu.service);
    line('raw reads the service makes', serviceReads.latencyMs, serviceReads.perSecond, cpu.serviceRawReads);
    line('  … with sources by _id, not $in', byIdReads.latencyMs, byIdReads.perSecond, cpu.serviceRawReadsById);
    line('raw findOne({_id})', raw.latencyMs, raw.perSecond, cpu.rawFindOne);
    if (apiRun.profile) console.log(`  profile of the server during the API run: ${apiRun.profile}`);
    console.log(`listing-get: at ${args.connections} concurrent, API/raw p50 ratio ${fmt(ratio, 2)}×`);
    const rss = peakRss(bench.databasePid);
    writeResult('listing-get', {
      database: bench.db.kind,
      listings: ids.length,
      connections: args.connections,
      durationSeconds: args.durationSeconds,
      oneClient: { api: apiOne, rawFindOne: rawOne, ratioP95ToRawP50: oneRatio },
      concurrentApiToRawP50: ratio,
      api,
      service,
      serviceRawReads: serviceReads,
      serviceRawReadsById: byIdReads,
      rawFindOne: raw,
      cpuPerCall: cpu,
      ...(apiRun.profile ? { profile: apiRun.profile } : {}),
      goal,
      peakRss: rss,
    });
  } finally {
    await bench.close();
  }
});
