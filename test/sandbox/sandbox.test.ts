import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { UsageModel } from '../../server/src/modules/delivery/usage.model';
import { closeEngine } from '../../server/src/modules/sandbox/engine';
import { SandboxQueryModel } from '../../server/src/modules/sandbox/sandbox-query.model';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { boughtByTransfer, makeMarket, type Market } from '../trade/fixtures';
import { DISTRICTS, makeSandboxProduct, TOTAL } from './fixtures';

/*
 * The query sandbox end to end: real DuckDB (worker thread), real HTTP, real database. Limits are
 * set low enough that the limit tests finish quickly and high enough for ordinary queries on a
 * loaded machine.
 */
const t = useTestApp({
  SANDBOX_TIMEOUT_MS: '2500',
  SANDBOX_MEMORY_MB: '64',
  SANDBOX_MAX_ROWS: '40',
  SANDBOX_QUERY_QUOTA: '200',
});
let m: Market;
let orderId: string;
let listingCode: string;
let regulator: Actor;

afterAll(async () => {
  await closeEngine();
});

beforeAll(async () => {
  m = await makeMarket(t.config);
  regulator = await makeActor(t.config, 'regulator');
  const { listing } = await makeSandboxProduct(m.provider);
  listingCode = listing.code!;
  orderId = await boughtByTransfer(t, m, String(listing._id));
});

const query = (sql: string, who: Actor = m.buyer, id = orderId) =>
  t.http.post(`/api/v1/orders/${id}/sandbox/queries`).set('Authorization', who.auth).send({ sql });

async function refused(sql: string, rule: string) {
  const res = await query(sql);
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.stringMatching(/query-refused$/), rule });
  expect(res.body.query).toMatchObject({ outcome: 'refused', rule, resultSha256: null, result: null });
  const row = await SandboxQueryModel.findById(res.body.query.id).lean();
  expect(row).toMatchObject({ outcome: 'refused', rule, sql: sql.trim() });
  expect(row!.n).toBeGreaterThan(0);
  return res;
}

describe('sandbox workspace', () => {
  it('when the buyer opens the sandbox, then it lists the table, typed fields with levels, coarsenings, limits and examples', async () => {
    const res = await t.http.get(`/api/v1/orders/${orderId}/sandbox`).set('Authorization', m.buyer.auth);
    expect(res.status).toBe(200);
    const fields = res.body.tables[0].fields as {
      name: string;
      sqlType: string;
      level: string;
      sensitive: boolean;
      coarsenings: string[];
    }[];
    expect(res.body.tables[0].name).toBe('records');
    expect(fields.map((f) => f.name)).toEqual(['结算编号', '身份证号', '区县', '医院', '险种', '结算金额', '结算日期']);
    expect(fields.find((f) => f.name === '身份证号')).toMatchObject({
      level: 'L4',
      sensitive: true,
      coarsenings: expect.arrayContaining(['age_band', 'id_gender']),
    });
    expect(fields.find((f) => f.name === '结算金额')).toMatchObject({ sqlType: 'DOUBLE', sensitive: false });
    expect(fields.find((f) => f.name === '结算日期')).toMatchObject({ sqlType: 'DATE' });
    expect(res.body.limits).toEqual({ k: 10, maxRows: 40, timeoutMs: 2500, memoryMb: 64 });
    expect(res.body.examples.length).toBeGreaterThanOrEqual(3);
    expect(res.body.examples.filter((e: { refused?: boolean }) => e.refused)).toHaveLength(1);
  });
});

describe('queries that run', () => {
  it('when every group rests on at least k records, then the aggregates are released and audited with their SHA-256', async () => {
    const res = await query(
      'SELECT 险种, count(*) AS n, round(sum(结算金额), 2) AS total FROM records GROUP BY 险种 ORDER BY n DESC',
    );
    expect(res.status).toBe(200);
    expect(res.body.result.columns).toEqual(['险种', 'n', 'total']);
    expect(res.body.result.rows).toEqual([
      ['职工医保', 40, expect.any(Number)],
      ['居民医保', 20, expect.any(Number)],
    ]);
    expect(res.body.query).toMatchObject({ outcome: 'ran', rows: 2, suppressedGroups: 0, k: 10 });
    const row = await SandboxQueryModel.findById(res.body.query.id).lean();
    const sha = crypto.createHash('sha256').update(canonicalize(res.body.result)!).digest('hex');
    expect(row!.resultSha256).toBe(sha);
    expect(row!.costMs).toBeGreaterThan(0);
  });

  it('when an L4 field is used through a declared coarsening, then it runs', async () => {
    const res = await query(
      "SELECT age_band(身份证号) AS band, count(*) AS n FROM records WHERE 险种 = '职工医保' GROUP BY band ORDER BY band",
    );
    expect(res.status).toBe(200);
    for (const [band, n] of res.body.result.rows as [string, number][]) {
      expect(band).toMatch(/^\d+-\d+$|^70\+$/);
      expect(n).toBeGreaterThanOrEqual(10);
    }
  });

  it('when a group rests on 3 records, then it is suppressed and reported, and secondary suppression hides the next smallest', async () => {
    const res = await query(
      'SELECT 区县, count(*) AS n, avg(结算金额) AS avg FROM records GROUP BY 区县 ORDER BY n DESC',
    );
    expect(res.status).toBe(200);
    const released = (res.body.result.rows as [string, number][]).map(([d, n]) => [d, n]);
    // 惠济区 (3) is below k = 10; 3 < k alone, so the smallest released group (中原区, 12) goes too.
    expect(released).toEqual([
      [DISTRICTS[0]![0], DISTRICTS[0]![1]],
      [DISTRICTS[1]![0], DISTRICTS[1]![1]],
    ]);
    expect(res.body.query).toMatchObject({ outcome: 'suppressed', rule: 'min-group-size', suppressedGroups: 2 });
    expect(res.body.query.suppressedRecords).toBeUndefined();
    const row = await SandboxQueryModel.findById(res.body.query.id).lean();
    expect(row).toMatchObject({ outcome: 'suppressed', suppressedGroups: 2, suppressedRecords: 15 });
    expect(TOTAL).toBe(60);
  });
});

describe('queries that are refused, each naming its rule', () => {
  it.each([
    ['raw ID numbers', 'SELECT 身份证号, count(*) FROM records GROUP BY 身份证号', 'sensitive-field'],
    ['an ID number in WHERE', "SELECT count(*) FROM records WHERE 身份证号 = '410105195001010017'", 'sensitive-field'],
    ['a coarsening of another kind', 'SELECT grid_cell(身份证号), count(*) FROM records GROUP BY 1', 'sensitive-field'],
    ['SELECT *', 'SELECT * FROM records', 'no-star'],
    ['the whole row', 'SELECT records FROM records', 'no-star'],
    ['rows, not aggregates', 'SELECT 区县, 结算金额 FROM records', 'aggregate-only'],
    ['read_csv', "SELECT * FROM read_csv('/etc/passwd')", 'one-table'],
    [
      'read_text in an expression',
      "SELECT count(*) FROM records WHERE 区县 = read_text('/etc/passwd')",
      'function-not-allowed',
    ],
    ['COPY … TO', "COPY records TO '/tmp/out.csv'", 'select-only'],
    ['ATTACH', "ATTACH '/tmp/other.duckdb' AS other", 'select-only'],
    ['INSTALL httpfs', 'INSTALL httpfs', 'select-only'],
    ['SET enable_external_access', 'SET enable_external_access = true', 'select-only'],
    ['two statements', 'SELECT count(*) FROM records; SELECT count(*) FROM records', 'single-statement'],
    ['a cartesian self-join', 'SELECT count(*) FROM records a, records b, records c', 'one-table'],
    [
      'a subquery',
      'SELECT count(*) FROM records WHERE 结算金额 > (SELECT avg(结算金额) FROM records)',
      'no-subqueries',
    ],
    ['another table', 'SELECT count(*) FROM __rows', 'one-table'],
    ['max()', 'SELECT 区县, max(结算金额) FROM records GROUP BY 区县', 'aggregate-not-allowed'],
    ['a FILTER clause', "SELECT sum(结算金额) FILTER (WHERE 医院 = 'x') FROM records", 'conditional-aggregate'],
    ['a window function', 'SELECT 区县, count(*) OVER () FROM records', 'aggregate-only'],
  ])('%s', async (_what, sql, rule) => {
    await refused(sql, rule);
  });

  it('when a condition singles out one record, then it is refused as low effect', async () => {
    const res = await refused(
      "SELECT count(*), sum(结算金额) FROM records WHERE 结算编号 <> 'JS00001'",
      'low-effect-condition',
    );
    expect(res.body.detail).toMatch(/1 record/);
  });

  it('when the WHERE as a whole leaves out fewer than k records, then it is refused as low effect', async () => {
    // Every record but those of one day (2026-01-01 has a single record).
    await refused(
      "SELECT count(*) AS n, sum(结算金额) AS s FROM records WHERE 结算日期 > DATE '2026-01-01'",
      'low-effect-condition',
    );
  });

  it('when two queries differ by one record, then the second is refused as differencing', async () => {
    // 310.50 is the amount of exactly one record: "< 310.5" and "<= 310.5" differ by that record.
    const first = await query('SELECT count(*) AS n, sum(结算金额) AS s FROM records WHERE 结算金额 < 310.5');
    expect(first.body).toMatchObject({ query: { outcome: 'ran' } });
    expect(first.body.result.rows[0][0]).toBeGreaterThanOrEqual(10);
    const second = await refused(
      'SELECT count(*) AS n, sum(结算金额) AS s FROM records WHERE 结算金额 <= 310.5',
      'differencing',
    );
    expect(second.body.detail).toMatch(/differs by 1 record/);
    // Grouped the same way, per group.
    const g1 = await query('SELECT 险种, count(*) AS n FROM records WHERE 结算金额 < 310.5 GROUP BY 险种');
    expect(g1.status).toBe(200);
    await refused('SELECT 险种, count(*) AS n FROM records WHERE 结算金额 <= 310.5 GROUP BY 险种', 'differencing');
  });

  it('when a query runs past the time limit, then it is stopped and refused', async () => {
    const res = await refused(
      'SELECT 区县, sum(levenshtein(repeat(区县 || 医院, 700), repeat(医院 || 区县, 700))) AS d FROM records GROUP BY 区县',
      'time-limit',
    );
    expect(res.body.detail).toMatch(/2500 ms/);
  });

  it('when a query needs more memory than the limit, then it is stopped and refused', async () => {
    await refused(
      'SELECT 区县, count(DISTINCT repeat(结算编号, 200000)) AS n FROM records GROUP BY 区县',
      'memory-limit',
    );
  });
});

describe('who may query', () => {
  it('when another buyer, the provider or an anonymous caller uses the order, then they get 404/403/401 and nothing runs', async () => {
    const other = await makeActor(t.config, 'buyer');
    const before = await SandboxQueryModel.countDocuments();
    expect((await query('SELECT count(*) FROM records', other)).status).toBe(404);
    expect((await query('SELECT count(*) FROM records', m.provider)).status).toBe(403);
    expect((await t.http.post(`/api/v1/orders/${orderId}/sandbox/queries`).send({ sql: 'SELECT 1' })).status).toBe(401);
    expect(await SandboxQueryModel.countDocuments()).toBe(before);
  });

  it('when the order is not a sandbox delivery, then 409', async () => {
    const { makeProduct } = await import('../trade/fixtures');
    const { listing } = await makeProduct(m.provider, { deliveryMode: 'download' });
    const id = await boughtByTransfer(t, m, String(listing._id));
    const res = await query('SELECT count(*) FROM records', m.buyer, id);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/not-sandbox$/);
  });

  it('when the authorization is revoked mid-session, then the next query is refused and audited', async () => {
    const { listing, authorization } = await makeSandboxProduct(m.provider);
    const id = await boughtByTransfer(t, m, String(listing._id));
    expect((await query('SELECT count(*) AS n FROM records', m.buyer, id)).status).toBe(200);
    await AuthorizationModel.updateOne(
      { _id: authorization!._id },
      { $set: { status: 'revoked', revokedAt: new Date() } },
    );
    const res = await query('SELECT count(*) AS n FROM records', m.buyer, id);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/delivery-stopped$/);
    const rows = await SandboxQueryModel.find({ orderId: id }).sort({ at: 1 }).lean();
    expect(rows.map((r) => [r.outcome, r.rule ?? null])).toEqual([
      ['ran', null],
      ['refused', 'delivery-stopped'],
    ]);
  });

  it('when the entitlement is revoked (refund), then the next query is refused', async () => {
    const { listing } = await makeSandboxProduct(m.provider);
    const id = await boughtByTransfer(t, m, String(listing._id));
    expect((await query('SELECT count(*) AS n FROM records', m.buyer, id)).status).toBe(200);
    await EntitlementModel.updateOne(
      { orderId: id },
      { $set: { revokedAt: new Date(), revokeReason: 'Order refunded' } },
    );
    const res = await query('SELECT count(*) AS n FROM records', m.buyer, id);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/entitlement-revoked$/);
  });

  it('when the quota is spent, then the next query is 429; refused queries count too', async () => {
    const { listing } = await makeSandboxProduct(m.provider);
    const id = await boughtByTransfer(t, m, String(listing._id));
    await EntitlementModel.updateOne({ orderId: id }, { $set: { callQuota: 2 } });
    expect((await query('SELECT * FROM records', m.buyer, id)).status).toBe(422);
    expect((await query('SELECT count(*) AS n FROM records', m.buyer, id)).status).toBe(200);
    const res = await query('SELECT count(*) AS n FROM records', m.buyer, id);
    expect(res.status).toBe(429);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'call' })).toBe(2);
  });
});

describe('the audit', () => {
  it('when the buyer, the provider and the regulator read the audit, then each sees the queries it may see', async () => {
    const buyerView = await t.http
      .get(`/api/v1/orders/${orderId}/sandbox/queries?pageSize=100`)
      .set('Authorization', m.buyer.auth);
    expect(buyerView.status).toBe(200);
    const outcomes = new Set((buyerView.body.items as { outcome: string }[]).map((q) => q.outcome));
    expect(outcomes).toEqual(new Set(['ran', 'suppressed', 'refused']));
    const rules = (buyerView.body.items as { rule: string | null }[]).map((q) => q.rule);
    for (const r of [
      'sensitive-field',
      'no-star',
      'one-table',
      'select-only',
      'time-limit',
      'memory-limit',
      'differencing',
    ]) {
      expect(rules).toContain(r);
    }
    const provider = await t.http
      .get(`/api/v1/sandbox/queries?listingCode=${listingCode}&pageSize=100`)
      .set('Authorization', m.provider.auth);
    expect(provider.status).toBe(200);
    expect(provider.body.total).toBe(buyerView.body.total);
    const reg = await t.http
      .get(`/api/v1/sandbox/queries?listingCode=${listingCode}&outcome=refused&pageSize=100`)
      .set('Authorization', regulator.auth);
    expect(reg.status).toBe(200);
    expect(reg.body.items.length).toBeGreaterThan(10);
    expect(reg.body.items[0]).toHaveProperty('suppressedRecords');
    const stranger = await makeActor(t.config, 'provider');
    const none = await t.http
      .get(`/api/v1/sandbox/queries?listingCode=${listingCode}`)
      .set('Authorization', stranger.auth);
    expect(none.body.total).toBe(0);
    const exchange = await t.http.get('/api/v1/sandbox/queries').set('Authorization', m.exchange.auth);
    expect(exchange.status).toBe(403);
  });

  it('when the body is not a query, then 422 and nothing is spent or audited', async () => {
    const before = await SandboxQueryModel.countDocuments();
    const res = await t.http
      .post(`/api/v1/orders/${orderId}/sandbox/queries`)
      .set('Authorization', m.buyer.auth)
      .send({ sql: '' });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('body.sql');
    expect(await SandboxQueryModel.countDocuments()).toBe(before);
  });
});
