/**
 * GET /listings/:id against the raw driver's findOne of the same documents on the same connection
 * (mongoose's), at the same concurrency for the same time. The ratio of the latencies is the figure
 * (goal: the API at most 1.5× the raw read). To place the difference, the service function is timed
 * on its own, and so are the raw reads the service makes (the listing, then its sources and its
 * authorization in parallel).
 *
 *   npx tsx bench/listing-get.ts [--listings 2000] [--duration 10] [--connections 8]
 */
import { Types } from 'mongoose';
import { generateBulk } from '../seeds/bulk';
import { AuthorizationModel } from '../server/src/modules/authorizations/authorization.model';
import { ResourceModel } from '../server/src/modules/catalog/resource.model';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import * as listings from '../server/src/modules/listings/listings.service';
import { fmt, load, peakRss, runMain, startBench, timedLoops, writeResult } from './lib';

runMain(async (args) => {
  const size = Number(args.flags.listings ?? 2000);
  const bench = await startBench(args);
  try {
    const gen = await generateBulk(bench.config, { listings: size, trades: size, batch: 1000 });
    const ids = gen.world.listingIds;
    const oids = ids.map((id) => new Types.ObjectId(id));
    console.log(`listing-get: ${ids.length} listings loaded in ${fmt(gen.totalMs / 1000)} s`);
    const loops = { concurrency: args.connections, seconds: args.durationSeconds };

    const api = await load({
      url: bench.baseUrl,
      connections: args.connections,
      durationSeconds: args.durationSeconds,
      scenario: { kind: 'paths', paths: ids.map((id) => `/api/v1/listings/${id}`) },
    });
    if (Object.keys(api.statusCounts).some((s) => s !== '200')) {
      throw new Error(`GET /listings/:id answered ${JSON.stringify(api.statusCounts)}`);
    }

    const coll = ListingModel.collection;
    const raw = await timedLoops((i) => coll.findOne({ _id: oids[i % oids.length]! }), loops);
    const service = await timedLoops((i) => listings.get(undefined, ids[i % ids.length]!), loops);
    // The reads the service makes, raw: the listing (without its outbox), then sources and authorization.
    const serviceReads = await timedLoops(async (i) => {
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
    }, loops);

    const ratio = api.latencyMs.p50 / raw.latencyMs.p50;
    const goal = { description: 'GET /listings/:id p50 ≤ 1.5× raw findOne p50', ratio, met: ratio <= 1.5 };
    const line = (name: string, l: { p50: number; p95: number; p99: number }, rps: number) =>
      console.log(
        `  ${name.padEnd(34)} p50 ${fmt(l.p50, 2).padStart(7)} ms  p95 ${fmt(l.p95, 2).padStart(7)} ms  p99 ${fmt(l.p99, 2).padStart(7)} ms  ${fmt(rps).padStart(8)}/s`,
      );
    console.log(`listing-get (${args.connections} concurrent, ${args.durationSeconds} s each):`);
    line('GET /api/v1/listings/:id (HTTP)', api.latencyMs, api.requestsPerSecond);
    line('listings.get() (service, no HTTP)', service.latencyMs, service.perSecond);
    line('raw reads the service makes', serviceReads.latencyMs, serviceReads.perSecond);
    line('raw findOne({_id})', raw.latencyMs, raw.perSecond);
    console.log(`listing-get: API/raw p50 ratio ${fmt(ratio, 2)}× — goal ≤ 1.5×: ${goal.met ? 'met' : 'MISSED'}`);
    const rss = peakRss(bench.databasePid);
    writeResult('listing-get', {
      database: bench.db.kind,
      listings: ids.length,
      connections: args.connections,
      durationSeconds: args.durationSeconds,
      api,
      service,
      serviceRawReads: serviceReads,
      rawFindOne: raw,
      goal,
      peakRss: rss,
    });
  } finally {
    await bench.close();
  }
});
