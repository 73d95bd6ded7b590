import ExcelJS from 'exceljs';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { boughtByTransfer, makeProduct, type Market } from '../trade/fixtures';

/*
 * The supervision views against a small market traded through the real API: a logistics buyer
 * that buys the same product from one provider four times (one refunded), an insurer that buys
 * once from another provider at 95 % of its fee cap. Expected figures are computed here from the
 * ledger entries the API wrote, not from the views' own code.
 */

const t = useTestApp();

let exchange: Actor;
let regulator: Actor;
let providerA: Actor;
let providerB: Actor;
let buyerX: Actor;
let buyerY: Actor;
let listingA: string;
let listingB: string;
const ordersX: string[] = [];
let orderY: string;

const market = (provider: Actor, buyer: Actor): Market => ({ provider, buyer, exchange });

beforeAll(async () => {
  exchange = await makeActor(t.config, 'exchange', { duty: 'clearing' }); // confirms the transfers
  regulator = await makeActor(t.config, 'regulator', { orgName: '河南省数据交易监管办公室' });
  providerA = await makeActor(t.config, 'provider', { orgName: '郑州交通大数据运营有限公司' });
  providerB = await makeActor(t.config, 'provider', { orgName: '中原气象数据服务有限公司' });
  buyerX = await makeActor(t.config, 'buyer', { orgName: '河南中原智慧物流有限公司' });
  buyerY = await makeActor(t.config, 'buyer', { orgName: '豫禾农业保险股份有限公司' });

  const a = await makeProduct(providerA, { priceFen: 50_000 });
  await ListingModel.updateOne({ _id: a.listing._id }, { $set: { domains: ['transport'] } });
  const b = await makeProduct(providerB, { priceFen: 95_000, grade: 'important', deliveryMode: 'sandbox' });
  await ListingModel.updateOne({ _id: b.listing._id }, { $set: { domains: ['meteorology'] } });
  await AuthorizationModel.updateOne({ _id: b.authorization!._id }, { $set: { feeCaps: { one_time: 100_000 } } });
  listingA = a.listing.id;
  listingB = b.listing.id;

  for (let i = 0; i < 4; i++) ordersX.push(await boughtByTransfer(t, market(providerA, buyerX), listingA, i + 1));
  orderY = await boughtByTransfer(t, market(providerB, buyerY), listingB);
  const refund = await t.http
    .post(`/api/v1/orders/${ordersX[0]}/refund`)
    .set('Authorization', exchange.auth)
    .send({ reason: '买方申请退款', bankReference: 'REFUND-0001' });
  expect(refund.status).toBe(200);
}, 120_000);

const report = (query: Record<string, string> = {}, who: Actor = regulator) =>
  t.http.get('/api/v1/supervision/report').query(query).set('Authorization', who.auth);

async function ledgerTrades() {
  const entries = await LedgerEntryModel.find({ type: { $in: ['trade.settled', 'trade.refunded'] } }).lean();
  return entries.sort((x, y) => x.seq - y.seq);
}

describe('supervision views', () => {
  it('when the regulator opens the report, then every total is the sum of the ledger trade entries and the basis names the ledger head', async () => {
    const res = await report();
    expect(res.status).toBe(200);
    const trades = await ledgerTrades();
    const settled = trades.filter((e) => e.type === 'trade.settled');
    const refunded = trades.filter((e) => e.type === 'trade.refunded');
    // 50 000 × (1 + 2 + 3 + 4) + 95 000, minus the refund of the first order (50 000)
    expect(settled.reduce((n, e) => n + e.amountFen, 0)).toBe(595_000);
    expect(res.body.totals).toEqual({
      settledCount: 5,
      settledFen: 595_000,
      refundedCount: 1,
      refundedFen: 50_000,
      volumeFen: 545_000,
    });
    expect(refunded).toHaveLength(1);
    const head = await LedgerEntryModel.findOne().sort({ seq: -1 }).lean();
    expect(res.body.basis).toMatchObject({
      source: 'ledger',
      headSeq: head!.seq,
      headHash: head!.hash,
      tradeEntries: 6,
    });

    const month = settled[0]!.month;
    expect(res.body.byMonth).toEqual([{ month, ...res.body.totals }]);
    expect(res.body.byDomain).toEqual([
      {
        domain: 'transport',
        settledCount: 4,
        settledFen: 500_000,
        refundedCount: 1,
        refundedFen: 50_000,
        volumeFen: 450_000,
      },
      {
        domain: 'meteorology',
        settledCount: 1,
        settledFen: 95_000,
        refundedCount: 0,
        refundedFen: 0,
        volumeFen: 95_000,
      },
    ]);
    expect(res.body.byGrade.map((g: { grade: string; volumeFen: number }) => [g.grade, g.volumeFen])).toEqual([
      ['general', 450_000],
      ['important', 95_000],
    ]);
  });

  it('when it is read by organisation, then each organisation has its name, credit code, and what it bought and sold', async () => {
    const res = await report();
    const row = (a: Actor) => res.body.byOrg.find((o: { id: string }) => o.id === a.org.id);
    expect(row(buyerX)).toMatchObject({
      name: '河南中原智慧物流有限公司',
      creditCode: buyerX.org.creditCode,
      bought: { settledCount: 4, volumeFen: 450_000 },
      sold: { settledCount: 0, volumeFen: 0 },
    });
    expect(row(providerA)).toMatchObject({ sold: { settledCount: 4, refundedCount: 1, volumeFen: 450_000 } });
    expect(row(providerB)).toMatchObject({ creditCode: providerB.org.creditCode, sold: { volumeFen: 95_000 } });
  });

  it('when trades are ranked, then the largest come first with both parties named and the order to drill into', async () => {
    const res = await report({ top: '2' });
    expect(res.body.largest).toHaveLength(2);
    expect(res.body.largest[0]).toMatchObject({
      amountFen: 200_000,
      orderId: ordersX[3],
      buyer: { id: buyerX.org.id, name: '河南中原智慧物流有限公司' },
      provider: { id: providerA.org.id, name: '郑州交通大数据运营有限公司' },
    });
    expect(res.body.largest[1]).toMatchObject({ amountFen: 150_000, orderId: ordersX[2] });
  });

  it('when a price is at 95 % of its fee cap, then it is listed near the cap with its trades; at a 96 % threshold it is not', async () => {
    const res = await report();
    expect(res.body.nearCap).toEqual([
      expect.objectContaining({
        listingId: listingB,
        provider: expect.objectContaining({ id: providerB.org.id }),
        pricingModel: 'one_time',
        priceFen: 95_000,
        capFen: 100_000,
        ratio: 0.95,
        above: false,
        trades: expect.objectContaining({ settledCount: 1, volumeFen: 95_000 }),
      }),
    ]);
    expect((await report({ nearCapRatio: '0.96' })).body.nearCap).toEqual([]);
  });

  it('when one buyer trades with one provider repeatedly, then the pair is listed as possible wash trading', async () => {
    const res = await report();
    expect(res.body.repeatedPairs).toEqual([
      expect.objectContaining({
        buyer: expect.objectContaining({ id: buyerX.org.id, creditCode: buyerX.org.creditCode }),
        provider: expect.objectContaining({ id: providerA.org.id }),
        trades: expect.objectContaining({ settledCount: 4, refundedCount: 1 }),
        listings: 1,
        reciprocal: false,
      }),
    ]);
    expect((await report({ minRepeats: '5' })).body.repeatedPairs).toEqual([]);
  });

  it('when filtered by a credit code (lower case too), then only that organisation’s trades count; an unknown code is 422', async () => {
    const res = await report({ org: buyerY.org.creditCode.toLowerCase() });
    expect(res.status).toBe(200);
    expect(res.body.basis.org).toEqual({
      id: buyerY.org.id,
      name: '豫禾农业保险股份有限公司',
      creditCode: buyerY.org.creditCode,
    });
    expect(res.body.totals).toMatchObject({ settledCount: 1, volumeFen: 95_000 });
    expect((await report({ org: buyerY.org.id })).body.totals.volumeFen).toBe(95_000);

    const unknown = await report({ org: '91410100MA0000000X' });
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
  });

  it('when the window is before every trade, then the figures are zero but still say which ledger head they come from', async () => {
    const res = await report({ to: '2020-01-01' });
    expect(res.body.totals.volumeFen).toBe(0);
    expect(res.body.byMonth).toEqual([]);
    expect(res.body.basis.headSeq).toBeGreaterThan(0);
  });

  it('when the query is malformed (400) or out of range (422), then problem+json', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ org: 'acme' }, 400],
      [{ unknown: '1' }, 400],
      [{ from: 'yesterday' }, 400],
      [{ nearCapRatio: '2' }, 422],
      [{ top: '0' }, 422],
    ];
    for (const [query, status] of cases) {
      const res = await report(query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await report({ from: '2026-05-01', to: '2026-04-01' })).status).toBe(422);
  });

  it('when a buyer or provider asks, then 403; without a token 401', async () => {
    expect((await report({}, buyerX)).status).toBe(403);
    expect((await report({}, providerA)).status).toBe(403);
    expect((await t.http.get('/api/v1/supervision/report')).status).toBe(401);
  });
});

describe('supervision exports', () => {
  const exportOf = (query: Record<string, string>) =>
    t.http
      .get('/api/v1/supervision/export')
      .query(query)
      .set('Authorization', regulator.auth)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });

  it('when a view is exported as CSV, then it is UTF-8 with a BOM, CRLF lines, names and credit codes, and as many rows as the view', async () => {
    const res = await exportOf({ view: 'byOrg', format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^单位 org,单位统一社会信用代码 orgCreditCode,/);
    const rows = (await report()).body.byOrg.length;
    expect(lines).toHaveLength(rows + 1);
    expect(res.headers['x-export-rows']).toBe(String(rows));
    const x = lines.find((l) => l.startsWith('河南中原智慧物流有限公司,'))!;
    expect(x.split(',').slice(0, 3)).toEqual(['河南中原智慧物流有限公司', buyerX.org.creditCode, '4']);
    expect(res.headers['content-disposition']).toMatch(/zdec-supervision-byOrg-seq\d+\.csv/);
  });

  it('when a view is exported as XLSX, then the workbook holds the rows and a sheet naming the ledger head', async () => {
    const res = await exportOf({ view: 'largest', format: 'xlsx', top: '3' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(res.body as Buffer).buffer);
    const sheet = wb.getWorksheet('largest')!;
    expect(sheet.rowCount).toBe(4);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const amountCol = header.indexOf('金额（分） amountFen') + 1;
    expect(sheet.getRow(2).getCell(amountCol).value).toBe(200_000);
    const basis = wb.getWorksheet('basis 依据')!;
    const head = await LedgerEntryModel.findOne().sort({ seq: -1 }).lean();
    const values = Object.fromEntries(
      basis.getSheetValues().flatMap((r) => (Array.isArray(r) ? [[r[1], r[2]]] : [])),
    ) as Record<string, unknown>;
    expect(values['台账头序号 headSeq']).toBe(head!.seq);
    expect(values['台账头哈希 headHash']).toBe(head!.hash);
  });

  it('when the view is unknown, then 422 and no file', async () => {
    const res = await exportOf({ view: 'everything' });
    expect(res.status).toBe(422);
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});

describe('drill-down and suggestions', () => {
  it('when the regulator opens a trade entry, then it comes with its organisations by name and its order and listing', async () => {
    const entry = (await ledgerTrades()).find((e) => e.orderId === orderY)!;
    const res = await t.http.get(`/api/v1/supervision/entries/${entry.seq}`).set('Authorization', regulator.auth);
    expect(res.status).toBe(200);
    expect(res.body.entry).toMatchObject({ seq: entry.seq, type: 'trade.settled', orderId: orderY, hash: entry.hash });
    expect(res.body.orgs.map((o: { name: string }) => o.name).sort()).toEqual(
      ['中原气象数据服务有限公司', '豫禾农业保险股份有限公司'].sort(),
    );
    expect(res.body.order).toMatchObject({ id: orderY, amountFen: 95_000 });
    expect(res.body.listing).toMatchObject({ id: listingB });
    expect(res.body.authorization).toMatchObject({ id: expect.any(String) });
    expect((await t.http.get('/api/v1/supervision/entries/999999').set('Authorization', regulator.auth)).status).toBe(
      404,
    );
    expect((await t.http.get('/api/v1/supervision/entries/0').set('Authorization', regulator.auth)).status).toBe(422);
  });

  it('when part of a name or a credit code is typed, then matching organisations are suggested', async () => {
    const byName = await t.http
      .get('/api/v1/supervision/orgs')
      .query({ q: '智慧物流' })
      .set('Authorization', regulator.auth);
    expect(byName.body.items).toEqual([
      { id: buyerX.org.id, name: '河南中原智慧物流有限公司', creditCode: buyerX.org.creditCode },
    ]);
    const byCode = await t.http
      .get('/api/v1/supervision/orgs')
      .query({ q: providerB.org.creditCode.slice(0, 12) })
      .set('Authorization', regulator.auth);
    expect(byCode.body.items.map((o: { id: string }) => o.id)).toContain(providerB.org.id);
    const regex = await t.http.get('/api/v1/supervision/orgs').query({ q: '.*' }).set('Authorization', regulator.auth);
    expect(regex.body.items).toEqual([]);
  });

  it('when a trade settles after a report was computed, then the next report counts it (read from the entries appended since)', async () => {
    const before = (await report()).body;
    await boughtByTransfer(t, market(providerB, buyerY), listingB);
    const after = (await report()).body;
    expect(after.basis.headSeq).toBeGreaterThan(before.basis.headSeq);
    expect(after.totals.settledCount).toBe(before.totals.settledCount + 1);
    expect(after.totals.volumeFen).toBe(before.totals.volumeFen + 95_000);
  });
});
