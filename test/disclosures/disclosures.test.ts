import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { useTestApp } from '../helpers/app';
import { grant, listingBody, listProduct, makeResource, makeWorld, type World } from '../listings/world';

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});

describe('annual disclosure (年度披露)', () => {
  it('when the year is outside 2020..2100 or not a year, then 400', async () => {
    for (const y of ['2019', '2101', 'abcd', '20261', '-2026', '2026.5']) {
      const res = await t.http.get(`/api/v1/disclosures/${y}`);
      expect([y, res.status]).toEqual([y, 400]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('when anyone asks for a year, then each authorization in force that year shows its operator, resources, fee caps, listed products and the orders and fees of that year from the ledger', async () => {
    const r1 = await makeResource(w.authority, { name: '郑州市公交线路站点' });
    const r2 = await makeResource(w.authority, { name: '郑州市公交刷卡汇总' });
    const a = await grant(t, w.authority, w.provider, [r1, r2], {
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      feeCaps: { one_time: 5_000_000, per_call: 100 },
    });
    const listed = await listProduct(t, w, w.provider, listingBody([r1], a.id));
    const other = await grant(t, w.authority, w.otherProvider, [r2], {
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    });
    // An authorization over 2024 only: not part of the 2026 disclosure.
    const old = await grant(t, w.authority, w.provider, [r1], { validFrom: '2024-01-01', validTo: '2024-12-31' });

    const ledger = (
      type: 'trade.settled' | 'trade.refunded',
      ref: string,
      amountFen: number,
      at: string,
      authorizationId = a.id,
    ) =>
      append({
        type,
        ref,
        amountFen,
        at: new Date(at),
        authorizationId,
        listingId: listed.id,
        orgIds: [w.provider.org.id],
      });
    await ledger('trade.settled', 'o1', 1_000_000, '2026-03-01T02:00:00Z');
    await ledger('trade.settled', 'o2', 2_500_000, '2026-12-31T15:59:00Z'); // 23:59 in Shanghai: still 2026
    await ledger('trade.settled', 'o3', 700_000, '2026-12-31T16:00:00Z'); // 00:00 on 1 January 2027 in Shanghai
    await ledger('trade.settled', 'o4', 400_000, '2025-12-31T15:30:00Z'); // 2025 in Shanghai
    await ledger('trade.refunded', 'o1', -1_000_000, '2026-04-01T02:00:00Z');
    await ledger('trade.settled', 'o5', 9_000, '2026-05-01T02:00:00Z', other.id);

    const res = await t.http.get('/api/v1/disclosures/2026');
    expect(res.status).toBe(200);
    expect(res.body.year).toBe(2026);
    const numbers = res.body.items.map((i: { authorization: { number: string } }) => i.authorization.number);
    expect(numbers).toEqual(expect.arrayContaining([a.number, other.number]));
    expect(numbers).not.toContain(old.number);

    const item = res.body.items.find((i: { authorization: { number: string } }) => i.authorization.number === a.number);
    expect(item).toEqual({
      authorization: {
        id: a.id,
        number: a.number,
        purpose: '公交客流分析产品开发',
        validFrom: '2025-12-31T16:00:00.000Z', // 2026-01-01 00:00 in Asia/Shanghai
        validTo: '2027-12-31T15:59:59.999Z', // the end of 2027-12-31 in Asia/Shanghai
        status: 'active',
      },
      operator: { name: w.provider.org.name, creditCode: w.provider.org.creditCode },
      resources: [
        { registrationNumber: r1.registrationNumber, name: '郑州市公交线路站点' },
        { registrationNumber: r2.registrationNumber, name: '郑州市公交刷卡汇总' },
      ],
      feeCaps: { one_time: 5_000_000, subscription: null, per_call: 100 },
      listings: [
        {
          code: listed.code,
          title: '郑州公交客流日报',
          pricing: { model: 'one_time', priceFen: 1_000_000 },
          status: 'listed',
        },
      ],
      orders: { count: 2, amountFen: 3_500_000, refundedFen: 1_000_000, netFen: 2_500_000 },
    });
    const otherItem = res.body.items.find(
      (i: { authorization: { number: string } }) => i.authorization.number === other.number,
    );
    expect(otherItem.orders).toEqual({ count: 1, amountFen: 9_000, refundedFen: 0, netFen: 9_000 });
    expect(otherItem.listings).toEqual([]);

    const y2027 = await t.http.get('/api/v1/disclosures/2027');
    const in2027 = y2027.body.items.find(
      (i: { authorization: { number: string } }) => i.authorization.number === a.number,
    );
    expect(in2027.orders).toEqual({ count: 1, amountFen: 700_000, refundedFen: 0, netFen: 700_000 });
    expect(y2027.body.items.map((i: { authorization: { number: string } }) => i.authorization.number)).not.toContain(
      other.number,
    );

    const y2024 = await t.http.get('/api/v1/disclosures/2024');
    const in2024 = y2024.body.items.find(
      (i: { authorization: { number: string } }) => i.authorization.number === old.number,
    );
    expect(in2024.authorization.status).toBe('expired');
    expect(in2024.orders).toEqual({ count: 0, amountFen: 0, refundedFen: 0, netFen: 0 });
  });

  it('when an authorization was revoked, then the disclosure still lists it, as revoked', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r], { validFrom: '2026-02-01', validTo: '2026-10-31' });
    await t.http
      .post(`/api/v1/authorizations/${a.id}/revoke`)
      .set('Authorization', w.authority.auth)
      .send({ reason: '违规' });
    expect((await AuthorizationModel.findById(a.id).lean())!.status).toBe('revoked');
    const res = await t.http.get('/api/v1/disclosures/2026');
    const item = res.body.items.find((i: { authorization: { number: string } }) => i.authorization.number === a.number);
    expect(item.authorization.status).toBe('revoked');
  });
});
