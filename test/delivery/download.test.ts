import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { UsageModel } from '../../server/src/modules/delivery/usage.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { atTime } from '../../server/src/platform/clock';
import { useTestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import { boughtByTransfer, DATA_CSV, makeMarket, makeProduct, order, type Market } from '../trade/fixtures';

const t = useTestApp({ DOWNLOAD_LIMIT: '2', DOWNLOAD_TOKEN_TTL_HOURS: '1' });
let m: Market;
const HOUR = 3600 * 1000;

beforeAll(async () => {
  m = await makeMarket(t.config);
});

const delivery = (id: string, auth = m.buyer.auth) =>
  t.http.get(`/api/v1/orders/${id}/delivery`).set('Authorization', auth);
/** GET the download path of a delivery URL, collecting the file as bytes (a problem as JSON). */
const download = (url: string) =>
  t.http
    .get(new URL(url, 'http://x').pathname)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        // Problems are JSON; the data file stays raw bytes.
        cb(
          null,
          /problem\+json/.test(String(res.headers['content-type'])) ? JSON.parse(bytes.toString('utf8')) : bytes,
        );
      });
    });

describe('download delivery', () => {
  it('when a buyer asks for the delivery of a paid order, then a token URL streams the data file', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const res = await delivery(id);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      kind: 'download',
      url: expect.stringMatching(/^\/api\/v1\/deliveries\/[A-Za-z0-9_-]{43}$/),
      downloadsLeft: 2,
      file: { filename: '空气质量.csv', format: 'csv', size: DATA_CSV.length },
      entitlement: { kind: 'download', downloadLimit: 2, downloadsUsed: 0 },
    });
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(ent!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ent!.tokenHash).not.toContain(res.body.token);
    expect(JSON.stringify(res.body)).not.toContain(ent!.tokenHash!);

    const file = await download(res.body.url);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, DATA_CSV)).toBe(0);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename=.*filename\*=UTF-8''%E7%A9%BA/);
    expect(file.headers['x-downloads-left']).toBe('1');
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'download' })).toBe(1);
  });

  it('when the download limit is spent, then further downloads are 429, also when racing', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const { body } = await delivery(id);
    const results = await Promise.all([download(body.url), download(body.url), download(body.url), download(body.url)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'download' })).toBe(2);
    // a fresh link does not add downloads
    const again = await delivery(id);
    expect(again.status).toBe(429);
    expect(again.body.type).toMatch(/download-limit-reached/);
  });

  it('when the buyer asks again, then a new link replaces the old one', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const first = await delivery(id);
    const second = await delivery(id);
    expect(second.body.token).not.toBe(first.body.token);
    expect((await download(first.body.url)).status).toBe(404);
    expect((await download(second.body.url)).status).toBe(200);
  });

  it('when the token has expired, then the download is 410 and nothing is spent', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const { body } = await delivery(id);
    const later = new Date(Date.now() + 2 * HOUR);
    const res = await atTime(later, async () => download(body.url));
    expect(res.status).toBe(410);
    expect(res.body.type).toMatch(/token-expired/);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id })).toBe(0);
  });

  it('when the authorization behind the listing is revoked, then downloads and new links are refused', async () => {
    const { listing, authorization } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const { body } = await delivery(id);
    await AuthorizationModel.updateOne(
      { _id: authorization!._id },
      { $set: { status: 'revoked', revokedAt: new Date() } },
    );
    const res = await download(body.url);
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/delivery-stopped/);
    expect(res.body.detail).toMatch(/authorization .* revoked/);
    expect((await delivery(id)).status).toBe(403);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id })).toBe(0);
  });

  it('when the authorization has expired, or the exchange suspended the listing, then delivery stops; a delisted product still delivers', async () => {
    const expired = await makeProduct(m.provider);
    const a = await boughtByTransfer(t, m, expired.listing.id);
    await AuthorizationModel.updateOne(
      { _id: expired.authorization!._id },
      { $set: { validTo: new Date(Date.now() - 1000) } },
    );
    const r1 = await delivery(a);
    expect(r1.status).toBe(403);
    expect(r1.body.detail).toMatch(/expired/);

    const suspended = await makeProduct(m.provider);
    const b = await boughtByTransfer(t, m, suspended.listing.id);
    await ListingModel.updateOne({ _id: suspended.listing._id }, { $set: { status: 'suspended' } });
    expect((await delivery(b)).status).toBe(403);

    const delisted = await makeProduct(m.provider);
    const c = await boughtByTransfer(t, m, delisted.listing.id);
    await ListingModel.updateOne({ _id: delisted.listing._id }, { $set: { status: 'delisted' } });
    const r3 = await delivery(c);
    expect(r3.status).toBe(200);
    expect((await download(r3.body.url)).status).toBe(200);
  });

  it('when exchange staff revoke the entitlement, then its link stops working', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const { body } = await delivery(id);
    const byBuyer = await t.http
      .post(`/api/v1/orders/${id}/entitlement/revoke`)
      .set('Authorization', m.buyer.auth)
      .send({ reason: 'nope' });
    expect(byBuyer.status).toBe(403);
    const res = await t.http
      .post(`/api/v1/orders/${id}/entitlement/revoke`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: '违规转售' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revokeReason: '违规转售', revokedAt: expect.any(String) });
    const dl = await download(body.url);
    expect(dl.status).toBe(403);
    expect(dl.body.type).toMatch(/entitlement-revoked/);
    const again = await t.http
      .post(`/api/v1/orders/${id}/entitlement/revoke`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: 'twice' });
    expect(again.status).toBe(409);
    const seen = await t.http.get(`/api/v1/orders/${id}/entitlement`).set('Authorization', m.provider.auth);
    expect(seen.body).toMatchObject({ revokeReason: '违规转售', downloadsLeft: 2 });
  });

  it('when a refunded order’s link is used, then it is refused', async () => {
    const { listing } = await makeProduct(m.provider);
    const id = await boughtByTransfer(t, m, listing.id);
    const { body } = await delivery(id);
    await t.http
      .post(`/api/v1/orders/${id}/refund`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: '退款', bankReference: 'REF-0001' });
    expect((await download(body.url)).status).toBe(403);
    expect((await delivery(id)).status).toBe(403);
  });

  it('when a subscription ends, then delivery is refused', async () => {
    const { listing } = await makeProduct(m.provider, { pricingModel: 'subscription', periodDays: 30 });
    const id = await boughtByTransfer(t, m, listing.id, 2);
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(ent!.validUntil!.getTime() - ent!.grantedAt.getTime()).toBe(60 * 24 * HOUR);
    const res = await atTime(new Date(Date.now() + 61 * 24 * HOUR), async () => delivery(id));
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/entitlement-expired/);
  });

  it('when the token is unknown or malformed, or the order is unpaid or someone else’s, then it is refused', async () => {
    expect((await t.http.get(`/api/v1/deliveries/${'a'.repeat(43)}`)).status).toBe(404);
    expect((await t.http.get('/api/v1/deliveries/bad$token')).status).toBe(422);
    const { listing } = await makeProduct(m.provider);
    const unpaid = await order(t, m.buyer, { listingId: listing.id });
    const r = await delivery(unpaid.body.order.id);
    expect(r.status).toBe(409);
    expect(r.body.type).toMatch(/not-paid/);
    const paid = await boughtByTransfer(t, m, listing.id);
    const stranger = await makeActor(t.config, 'buyer');
    expect((await delivery(paid, stranger.auth)).status).toBe(404);
    expect((await delivery(paid, m.provider.auth)).status).toBe(403);
  });
});

describe('sandbox delivery', () => {
  it('when an important-grade sandbox product is bought, then the buyer gets workspace access and never a file', async () => {
    const { listing } = await makeProduct(m.provider, { deliveryMode: 'sandbox', grade: 'important' });
    const id = await boughtByTransfer(t, m, listing.id);
    const res = await delivery(id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'sandbox',
      workspace: { id: expect.stringMatching(/^SBX-ORD-/), listingCode: listing.code },
      instructions: expect.stringContaining('数据可用不可见'),
    });
    expect(res.body.url).toBeUndefined();
    expect(res.body.token).toBeUndefined();
    const ent = await EntitlementModel.findOne({ orderId: id }).lean();
    expect(ent!.tokenHash).toBeUndefined();
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'access' })).toBe(1);
    await delivery(id);
    expect(await UsageModel.countDocuments({ entitlementId: ent!._id, kind: 'access' })).toBe(2);
  });
});
