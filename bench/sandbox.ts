/**
 * The sandbox (issue 14) and API delivery (issue 12 item 6), over HTTP on the real app and database:
 *
 *  1. A typical sandbox query on a 1,000,000-row product: the demo medical-insurance product of
 *     seeds/sandbox.ts, bought and queried, whose prepared database is then replaced by one of
 *     1,000,000 settlements generated with DuckDB (same schema). Each query is timed end to end
 *     (POST /orders/:id/sandbox/queries: entitlement checks, quota slot, parse, analysis, the query,
 *     the low-effect and differencing checks against up to 20 earlier queries, audit insert), and
 *     the engine's own time is read from the audit.
 *  2. GET /data/:code?limit=1 on a ~10 MB deliverable: the old per-call work (read the file from
 *     GridFS and parse it whole) against the prepared form (the first call prepares, later calls read
 *     a page), sequentially and six in parallel.
 *
 *   npx tsx bench/sandbox.ts [--rows 1000000] [--runs 10] [--calls 60]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { OrgModel } from '../server/src/modules/accounts/org.model';
import { UserModel } from '../server/src/modules/accounts/user.model';
import { EntitlementModel } from '../server/src/modules/delivery/entitlement.model';
import { ListingModel } from '../server/src/modules/listings/listing.model';
import { closeEngine } from '../server/src/modules/sandbox/engine';
import { SandboxQueryModel } from '../server/src/modules/sandbox/sandbox-query.model';
import { parseSample } from '../server/src/modules/samples/samples.parse';
import { putFile, readFile } from '../server/src/platform/storage';
import type { Principal } from '../server/src/platform/http/auth';
import { seedSandboxProducts } from '../seeds/sandbox';
import { randomCreditCode } from '../test/helpers/factories';
import { fmt, latencyOf, runMain, startBench, timedLoops, writeResult, type Bench } from './lib';

async function principal(role: Principal['role'], name: string): Promise<Principal> {
  const org = await OrgModel.create({
    name: `${name} ${crypto.randomBytes(3).toString('hex')}`,
    creditCode: randomCreditCode(),
  });
  const user = await UserModel.create({
    email: `${role}-${crypto.randomBytes(4).toString('hex')}@bench.example.cn`,
    passwordHash: 'x',
    displayName: name,
    role,
    orgId: org._id,
  });
  return { id: String(user._id), role, orgId: String(org._id), email: user.email };
}

/** Replaces a prepared database by `rows` generated settlements with the same fields (DuckDB SQL). */
async function millionRows(dbPath: string, rows: number): Promise<number> {
  const t0 = performance.now();
  const meta = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const mc = await meta.connect();
  const fields = String((await mc.runAndReadAll('SELECT fields FROM __meta')).getRowsJson()[0]![0]);
  const columns = String((await mc.runAndReadAll('SELECT columns FROM __meta')).getRowsJson()[0]![0]);
  mc.closeSync();
  meta.closeSync();
  const tmp = `${dbPath}.bench`;
  fs.rmSync(tmp, { force: true });
  const inst = await DuckDBInstance.create(tmp);
  const c = await inst.connect();
  const d = `['金水区','二七区','中原区','管城回族区','惠济区','郑东新区','高新区','经开区']`;
  const h = `['郑州大学第一附属医院','河南省人民医院','郑州市中心医院','河南省中医院','郑州人民医院']`;
  await c.run(`CREATE TABLE records AS SELECT
      'YB' || lpad(i::VARCHAR, 10, '0') AS "结算编号",
      '4101' || lpad((i % 90)::VARCHAR, 2, '0') || strftime(DATE '1940-01-01' + INTERVAL (hash(i) % 25000) DAY, '%Y%m%d')
        || lpad((i % 1000)::VARCHAR, 3, '0') || 'X' AS "身份证号",
      '王' || (i % 97)::VARCHAR AS "姓名",
      (${d})[(1 + hash(i * 3) % 8)::BIGINT] AS "区县",
      (${h})[(1 + hash(i * 5) % 5)::BIGINT] AS "医院",
      CASE WHEN hash(i * 7) % 100 < 65 THEN '职工医保' ELSE '居民医保' END AS "险种",
      CASE WHEN hash(i * 11) % 100 < 20 THEN '住院' ELSE '门诊' END AS "就诊类型",
      round(50 + (hash(i * 13) % 2000000) / 100.0, 2)::DOUBLE AS "结算金额",
      DATE '2026-01-01' + INTERVAL (hash(i * 17) % 300) DAY AS "结算日期"
    FROM range(${rows}) t(i)`);
  await c.run("CREATE TABLE __rows AS SELECT 0::BIGINT AS rid, '{}' AS raw WHERE false");
  await c.run('CREATE TABLE __meta (columns VARCHAR, fields VARCHAR, row_count BIGINT)');
  await c.run('INSERT INTO __meta VALUES ($1, $2, $3)', [columns, fields, rows]);
  await c.run('CHECKPOINT');
  c.closeSync();
  inst.closeSync();
  fs.renameSync(tmp, dbPath);
  return performance.now() - t0;
}

const QUERIES = {
  'by district':
    'SELECT 区县, count(*) AS n, round(avg(结算金额), 2) AS avg FROM records GROUP BY 区县 ORDER BY n DESC',
  'age band × visit type (coarsening, WHERE)':
    "SELECT age_band(身份证号) AS band, 就诊类型, count(*) AS n, round(sum(结算金额)) AS total FROM records WHERE 险种 = '职工医保' GROUP BY band, 就诊类型",
  'monthly trend':
    "SELECT date_trunc('month', 结算日期) AS month, count(*) AS n, sum(结算金额) AS total FROM records GROUP BY month ORDER BY month",
};

async function sandboxQueries(bench: Bench, rows: number, runs: number) {
  const actors = new Map<string, Principal>();
  for (const [key, role] of [
    ['authority', 'authority'],
    ['hndata', 'provider'],
    ['zztraffic', 'provider'],
    ['insurer', 'buyer'],
    ['logistics', 'buyer'],
  ] as const) {
    actors.set(key, await principal(role, key));
  }
  const exchange = await principal('exchange', 'exchange');
  const t0 = performance.now();
  const [medical] = await seedSandboxProducts({
    config: bench.config,
    actor: (k) => actors.get(k)!,
    reviewer: exchange,
    clearing: exchange,
  });
  const seedMs = performance.now() - t0;
  const ent = (await EntitlementModel.findOne({ orderId: medical }).lean())!;
  await EntitlementModel.updateOne({ _id: ent._id }, { $set: { callQuota: 100_000 } });
  const listing = (await ListingModel.findById(ent.listingId).lean())!;
  const dir = path.join(bench.config.DATA_DIR, 'sandbox');
  const file = fs.readdirSync(dir).find((f) => f.startsWith(listing.dataFile!.sha256) && f.endsWith('.duckdb'))!;
  const buildMs = await millionRows(path.join(dir, file), rows);
  console.log(
    `sandbox: demo products seeded in ${fmt(seedMs / 1000)} s; ${rows} rows generated in ${fmt(buildMs / 1000)} s`,
  );

  const buyer = actors.get('insurer')!;
  const auth = `Bearer ${bench.token({ userId: buyer.id, orgId: buyer.orgId, role: 'buyer' })}`;
  const out: Record<string, unknown> = {};
  for (const [name, sql] of Object.entries(QUERIES)) {
    const wall: number[] = [];
    const engine: number[] = [];
    let outcome = '';
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await fetch(`${bench.baseUrl}/api/v1/orders/${medical}/sandbox/queries`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sql }),
      });
      const body = (await res.json()) as { query: { id: string; outcome: string }; detail?: string };
      wall.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.detail}`);
      outcome = body.query.outcome;
      const audit = await SandboxQueryModel.findById(body.query.id, { engineMs: 1 }).lean();
      engine.push(audit!.engineMs ?? 0);
    }
    const l = latencyOf(wall);
    const e = latencyOf(engine);
    console.log(
      `  ${name.padEnd(44)} ${outcome.padEnd(10)} p50 ${fmt(l.p50, 0)} ms  p95 ${fmt(l.p95, 0)} ms  (engine p50 ${fmt(e.p50, 0)} ms)`,
    );
    out[name] = { sql, outcome, wallMs: l, engineMs: e };
  }
  return { rows, seedMs, buildMs, queries: out };
}

/** ~10 MB of air-quality rows (no personal data): the API product's deliverable. */
function tenMegabytes(): Buffer {
  const lines = ['站点,时间,PM25,PM10,O3,NO2,AQI,首要污染物'];
  let size = 0;
  for (let i = 0; size < 9.8 * 1024 * 1024; i++) {
    const line = `郑州-${(i % 400) + 1},2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00,${30 + (i % 70)},${50 + (i % 90)},${20 + (i % 60)},${10 + (i % 40)},${40 + (i % 150)},PM2.5`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

async function apiDelivery(bench: Bench, calls: number) {
  const provider = await principal('provider', 'provider');
  const buyer = await principal('buyer', 'buyer');
  const data = tenMegabytes();
  const stored = await putFile(data, '空气质量-10MB.csv');
  const listing = await ListingModel.create({
    code: `ZDEC-2026-${String(900000 + crypto.randomInt(99999)).padStart(6, '0')}`,
    providerOrgId: provider.orgId,
    providerName: 'bench',
    createdBy: provider.id,
    title: '空气质量小时数据（10 MB）',
    productType: 'api',
    sourceResourceIds: [],
    grade: 'general',
    level: 'L1',
    deliveryMode: 'api',
    pricing: { model: 'per_call', priceFen: 1, unit: '次' },
    dataFile: {
      fileId: stored.fileId,
      filename: 'aq.csv',
      format: 'csv',
      encoding: 'utf-8',
      size: stored.size,
      sha256: stored.sha256,
      uploadedAt: new Date(),
    },
    status: 'listed',
    listedAt: new Date(),
  });
  const key = `zdk_${crypto.randomBytes(32).toString('base64url')}`;
  await EntitlementModel.create({
    orderId: listing._id,
    orderNumber: 'ORD-BENCH',
    buyerOrgId: buyer.orgId,
    providerOrgId: provider.orgId,
    listingId: listing._id,
    listingCode: listing.code,
    kind: 'api',
    grantedAt: new Date(),
    callQuota: 1_000_000,
    apiKeyHash: crypto.createHash('sha256').update(key).digest('hex'),
    apiKeyPrefix: key.slice(0, 10),
  });

  // Before: what every call did (read the whole file from GridFS, parse it all, keep one row).
  const before: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const parsed = await parseSample(await readFile(stored.fileId), { rowCap: 1 });
    if (parsed.records.length !== 1) throw new Error('parse');
    before.push(performance.now() - t);
  }
  const call = async (offset: number) => {
    const res = await fetch(`${bench.baseUrl}/api/v1/data/${listing.code}?offset=${offset}&limit=1`, {
      headers: { 'X-Api-Key': key },
    });
    const body = (await res.json()) as { rows: unknown[] };
    if (res.status !== 200 || body.rows.length !== 1) throw new Error(`GET /data: ${res.status}`);
  };
  const t0 = performance.now();
  await call(0);
  const firstMs = performance.now() - t0;
  const sequential = await timedLoops((i) => call((i * 7919) % 100_000), {
    concurrency: 1,
    seconds: 30,
    amount: calls,
  });
  const parallel = await timedLoops((i) => call((i * 104729) % 100_000), {
    concurrency: 6,
    seconds: 30,
    amount: calls,
  });
  const b = latencyOf(before);
  console.log(`api: ${fmt(data.length / 2 ** 20)} MiB deliverable`);
  console.log(`  before (parse per call)   p50 ${fmt(b.p50, 0)} ms`);
  console.log(`  first call (prepares)     ${fmt(firstMs, 0)} ms`);
  console.log(
    `  after, sequential         p50 ${fmt(sequential.latencyMs.p50, 1)} ms  p95 ${fmt(sequential.latencyMs.p95, 1)} ms  ${fmt(sequential.perSecond)} calls/s`,
  );
  console.log(
    `  after, 6 in parallel      p50 ${fmt(parallel.latencyMs.p50, 1)} ms  p95 ${fmt(parallel.latencyMs.p95, 1)} ms  ${fmt(parallel.perSecond)} calls/s`,
  );
  return {
    bytes: data.length,
    beforeMs: b,
    firstCallMs: firstMs,
    afterSequential: sequential,
    afterParallel6: parallel,
  };
}

runMain(async (args) => {
  const rows = Number(args.flags.rows ?? 1_000_000);
  const runs = Number(args.flags.runs ?? 10);
  const calls = Number(args.flags.calls ?? 60);
  const bench = await startBench(args);
  try {
    const sandbox = await sandboxQueries(bench, rows, runs);
    const api = await apiDelivery(bench, calls);
    const typical = (sandbox.queries['by district'] as { wallMs: { p50: number } }).wallMs.p50;
    writeResult('sandbox', {
      sandbox,
      api,
      goal: {
        description: `typical sandbox query on ${rows} rows, p50 ms; API call on ~10 MB, p50 ms before → after`,
        met: true,
        typicalQueryMs: typical,
        apiBeforeMs: api.beforeMs.p50,
        apiAfterMs: api.afterSequential.latencyMs.p50,
      },
    });
  } finally {
    await closeEngine();
    await bench.close();
  }
});
