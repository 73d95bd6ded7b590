import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { UsageModel } from '../../server/src/modules/delivery/usage.model';
import { useTestApp } from '../helpers/app';
import { boughtByTransfer, makeMarket, makeProduct, type Market } from '../trade/fixtures';

const t = useTestApp({ API_CALLS_PER_UNIT: '3', API_CALL_QUOTA: '4' });
let m: Market;

beforeAll(async () => {
  m = await makeMarket(t.config);
});

const delivery = (id: string) => t.http.get(`/api/v1/orders/${id}/delivery`).set('Authorization', m.buyer.auth);
const call = (code: string, key: string | null, query = '') => {
  const req = t.http.get(`/api/v1/data/${code}${query}`);
  return key === null ? req : req.set('X-Api-Key', key);
};

async function apiProduct(pricingModel: 'per_call' | 'one_time' = 'per_call') {
  return makeProduct(m.provider, { deliveryMode: 'api', pricingModel, priceFen: 500 });
}

describe('API delivery', () => {
  it('when a buyer opens an API delivery, then a key is shown once and stored only as a hash', async () => {
    const { listing } = await apiProduct();
    const id = await boughtByTransfer(t, m, listing.id, 2);
    const first = await delivery(id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      kind: 'api',
      endpoint: `/api/v1/data/${listing.code}`,
      header: 'X-Api-Key',
      apiKey: expect.stringMatching(/^zdk_[A-Za-z0-9_-]{43}$/),
      callsLeft: 6,
      entitlement: { callQuota: 6, callsUsed: 0 },
    });
    expect(first.body.apiKeyPrefix).toBe(first.body.apiKey.slice(0, 10));
    const second = await delivery(id);
    expect(second.body.apiKey).toBeUndefined();
    expect(second.body.apiKeyPrefix).toBe(first.body.apiKeyPrefix);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(ent!.apiKeyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(ent)).not.toContain(first.body.apiKey);
  });

  it('when the key calls the data endpoint, then it gets rows page by page and each call is counted', async () => {
    const { listing } = await apiProduct();
    const id = await boughtByTransfer(t, m, listing.id, 2);
    const key = (await delivery(id)).body.apiKey as string;
    const page1 = await call(listing.code!, key, '?limit=5');
    expect(page1.status).toBe(200);
    expect(page1.headers['x-calls-remaining']).toBe('5');
    expect(page1.body).toMatchObject({
      listingCode: listing.code,
      columns: ['站点', '日期', 'PM25', 'AQI'],
      offset: 0,
      limit: 5,
      hasMore: true,
      callsLeft: 5,
    });
    expect(page1.body.rows).toHaveLength(5);
    expect(page1.body.rows[0]).toEqual({ 站点: '郑州-1', 日期: '2026-01-01', PM25: '30', AQI: '50' });
    const last = await call(listing.code!, key, '?offset=15&limit=10');
    expect(last.body.rows).toHaveLength(5);
    expect(last.body.rows[0].站点).toBe('郑州-16');
    expect(last.body.hasMore).toBe(false);
    expect((await call(listing.code!, key, '?limit=1001')).status).toBe(422);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'call' })).toBe(2);
  });

  it('when the quota is spent, then calls are 429, also when racing, and never overspent', async () => {
    const { listing } = await apiProduct();
    const id = await boughtByTransfer(t, m, listing.id, 2); // 2 units × 3 calls
    const key = (await delivery(id)).body.apiKey as string;
    const results = await Promise.all(Array.from({ length: 10 }, () => call(listing.code!, key, '?limit=1')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    expect(results.filter((r) => r.status === 429)).toHaveLength(4);
    expect(results.find((r) => r.status === 429)!.body.type).toMatch(/quota-exhausted/);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'call' })).toBe(6);
    const view = await t.http.get(`/api/v1/orders/${id}/entitlement`).set('Authorization', m.exchange.auth);
    expect(view.body).toMatchObject({ callQuota: 6, callsUsed: 6, callsLeft: 0 });
  });

  it('when the product is priced one_time, then the quota is API_CALL_QUOTA per licence', async () => {
    const { listing } = await apiProduct('one_time');
    const id = await boughtByTransfer(t, m, listing.id, 3);
    expect((await delivery(id)).body.callsLeft).toBe(12);
  });

  it('when a key is missing, wrong, rotated or for another product, then the call is refused and not counted', async () => {
    const a = await apiProduct();
    const b = await apiProduct();
    const idA = await boughtByTransfer(t, m, a.listing.id);
    const keyA = (await delivery(idA)).body.apiKey as string;
    expect((await call(a.listing.code!, null)).status).toBe(401);
    expect((await call(a.listing.code!, 'zdk_wrong')).status).toBe(401);
    const other = await call(b.listing.code!, keyA);
    expect(other.status).toBe(403);

    const rotated = await t.http.post(`/api/v1/orders/${idA}/delivery/api-key`).set('Authorization', m.buyer.auth);
    expect(rotated.status).toBe(200);
    expect(rotated.body.apiKey).not.toBe(keyA);
    expect((await call(a.listing.code!, keyA)).status).toBe(401);
    expect((await call(a.listing.code!, rotated.body.apiKey)).status).toBe(200);
    const ent = await EntitlementModel.findOne({ orderId: idA }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'call' })).toBe(1);
  });

  it('when the authorization behind the listing is suspended, then calls are refused and not counted', async () => {
    const { listing, authorization } = await apiProduct();
    const id = await boughtByTransfer(t, m, listing.id);
    const key = (await delivery(id)).body.apiKey as string;
    expect((await call(listing.code!, key)).status).toBe(200);
    await AuthorizationModel.updateOne({ _id: authorization!._id }, { $set: { status: 'suspended' } });
    const res = await call(listing.code!, key);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/suspended/);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'call' })).toBe(1);
    await AuthorizationModel.updateOne({ _id: authorization!._id }, { $set: { status: 'active' } });
    expect((await call(listing.code!, key)).status).toBe(200);
  });

  it('when the entitlement is revoked, then the key stops working', async () => {
    const { listing } = await apiProduct();
    const id = await boughtByTransfer(t, m, listing.id);
    const key = (await delivery(id)).body.apiKey as string;
    await t.http
      .post(`/api/v1/orders/${id}/entitlement/revoke`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: '合同终止' });
    const res = await call(listing.code!, key);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/entitlement-revoked/);
  });
});
