import { Types } from 'mongoose';
import { parse } from 'csv-parse/sync';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { makeActor, type Actor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { resetLedger } from './fixtures';

const t = useTestApp();
let regulator: Actor;
let exchange: Actor;
const [authority, orgA, orgB, orgC] = Array.from({ length: 4 }, () => new Types.ObjectId().toHexString());

beforeAll(async () => {
  regulator = await makeActor(t.config, 'regulator');
  exchange = await makeActor(t.config, 'exchange');
  await resetLedger();
  const code1 = 'ZDEC-2026-000001';
  await append({ type: 'resource.registered', ref: 'r-1', orgIds: [authority!], at: new Date('2026-01-05T02:00:00Z') });
  await append({
    type: 'listing.listed',
    ref: 'l-1',
    listingCode: code1,
    orgIds: [orgA!],
    at: new Date('2026-02-01T00:00:00Z'),
  });
  await append({
    type: 'trade.settled',
    ref: 'o-1',
    orderId: 'o-1',
    listingCode: code1,
    amountFen: 120_000,
    orgIds: [orgA!, orgB!],
    at: new Date('2026-02-10T08:00:00Z'),
  });
  await append({
    type: 'trade.settled',
    ref: 'o-2',
    orderId: 'o-2',
    listingCode: 'ZDEC-2026-000002',
    amountFen: 5_000,
    orgIds: [orgA!, orgC!],
    at: new Date('2026-03-01T00:00:00Z'),
  });
  await append({
    type: 'trade.refunded',
    ref: 'o-1',
    orderId: 'o-1',
    listingCode: code1,
    amountFen: -120_000,
    orgIds: [orgA!, orgB!],
    at: new Date('2026-03-15T00:00:00Z'),
  });
});

const list = (query: string, who: Actor = regulator) =>
  t.http.get(`/api/v1/ledger${query}`).set('Authorization', who.auth);
const seqs = (body: { items: { seq: number }[] }) => body.items.map((e) => e.seq);

describe('GET /ledger', () => {
  it('when no filter is given, then every entry comes, newest first, with its hashes', async () => {
    const res = await list('', exchange).expect(200);
    expect(res.body).toMatchObject({ total: 5, page: 1, pageSize: 20 });
    expect(seqs(res.body)).toEqual([5, 4, 3, 2, 1]);
    expect(res.body.items[2]).toEqual({
      id: '000000000003',
      seq: 3,
      at: '2026-02-10T08:00:00.000Z',
      month: '2026-02',
      type: 'trade.settled',
      ref: 'o-1',
      orderId: 'o-1',
      listingCode: 'ZDEC-2026-000001',
      orgIds: [orgA, orgB].sort(),
      amountFen: 120_000,
      prevHash: res.body.items[3].hash,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(seqs((await list('?page=2&pageSize=2').expect(200)).body)).toEqual([3, 2]);
  });

  it.each([
    ['?type=trade.settled', [4, 3]],
    [`?org=${orgB}`, [5, 3]],
    ['?listingCode=ZDEC-2026-000001', [5, 3, 2]],
    ['?minAmountFen=5000', [4, 3]],
    ['?minAmountFen=-200000', [5, 4, 3, 2, 1]],
    ['?from=2026-02-01&to=2026-02-28', [3, 2]], // calendar dates are whole days in Asia/Shanghai
    ['?from=2026-03-01T08:00:00%2B08:00', [5, 4]],
    [`?org=${orgA}&type=trade.settled&minAmountFen=10000`, [3]],
  ])('when filtered by %s, then exactly the matching entries come', async (query, expected) => {
    const res = await list(query).expect(200);
    expect(seqs(res.body)).toEqual(expected);
    expect(res.body.total).toBe(expected.length);
  });

  it('when the query is malformed, then 400/422 and nothing changes', async () => {
    await list('?org=not-an-id').expect(422);
    await list('?type=trade.stolen').expect(422);
    await list('?pageSize=101').expect(422);
    await list('?listingCode=ZDEC-1').expect(422);
    await list('?from=2026-03-01&to=2026-02-01').expect(422);
    await list('?from=yesterday').expect(400);
    await list('?color=red').expect(400);
    await list('?org[$ne]=x').expect(400);
    await list('?type=trade.settled&type=listing.listed').expect(422);
    expect(await LedgerEntryModel.countDocuments()).toBe(5);
  });

  it('when the caller is neither regulator nor exchange, then 403; without a token 401', async () => {
    for (const role of ['buyer', 'provider', 'authority', 'admin'] as const) {
      const actor = await makeActor(t.config, role);
      await list('', actor).expect(403);
      await t.http.get('/api/v1/ledger/export.csv').set('Authorization', actor.auth).expect(403);
    }
    await t.http.get('/api/v1/ledger').expect(401);
    await t.http.get('/api/v1/ledger/export.csv').expect(401);
  });
});

describe('GET /ledger/export.csv with filters', () => {
  it('when filtered, then the CSV holds the same entries as the list, oldest first', async () => {
    const res = await t.http
      .get(`/api/v1/ledger/export.csv?org=${orgA}&minAmountFen=0`)
      .set('Authorization', exchange.auth)
      .expect(200);
    const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.seq))).toEqual([2, 3, 4]);
    expect(rows[1]).toMatchObject({
      orgIds: [orgA, orgB].sort().join(';'),
      amountFen: '120000',
      amountYuan: '1,200.00',
    });
    await t.http.get('/api/v1/ledger/export.csv?page=2').set('Authorization', exchange.auth).expect(400);
  });
});
