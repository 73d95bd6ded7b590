import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import {
  CLEAN_CSV,
  createListing,
  grant,
  listingBody,
  listProduct,
  makeResource,
  makeWorld,
  submit,
  type World,
} from './world';

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});

const NONEXISTENT = '0123456789abcdef01234567';

async function snapshot(id: string) {
  const l = await ListingModel.findById(id).lean();
  return JSON.stringify({ ...l, updatedAt: undefined });
}

/** Every route another provider might use on a listing, with what it sends. */
function attempts(id: string, auth: string) {
  return [
    ['GET', t.http.get(`/api/v1/listings/${id}`).set('Authorization', auth)],
    ['PATCH', t.http.patch(`/api/v1/listings/${id}`).set('Authorization', auth).send({ title: '被篡改的标题' })],
    ['submit', t.http.post(`/api/v1/listings/${id}/submit`).set('Authorization', auth)],
    ['delist', t.http.post(`/api/v1/listings/${id}/delist`).set('Authorization', auth).send({ reason: '恶意下架' })],
    [
      'sample',
      t.http.post(`/api/v1/listings/${id}/sample`).set('Authorization', auth).attach('file', CLEAN_CSV, 'x.csv'),
    ],
    ['data', t.http.post(`/api/v1/listings/${id}/data`).set('Authorization', auth).attach('file', CLEAN_CSV, 'x.csv')],
  ] as const;
}

describe("another provider's listing", () => {
  it('when another provider touches a draft, then every route answers 404 exactly as for a listing that does not exist, and nothing changes', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const draft = await createListing(t, w.provider, listingBody([r], a.id));
    const before = await snapshot(draft.id);
    const real = await Promise.all(
      attempts(draft.id, w.otherProvider.auth).map(async ([name, req]) => [name, await req] as const),
    );
    const missing = await Promise.all(
      attempts(NONEXISTENT, w.otherProvider.auth).map(async ([name, req]) => [name, await req] as const),
    );
    real.forEach(([name, res], i) => {
      expect([name, res.status]).toEqual([name, 404]);
      const other = missing[i]![1];
      expect(res.status).toBe(other.status);
      expect(res.body.type).toBe(other.body.type);
      expect(res.body.detail).toBe(other.body.detail);
    });
    expect(await snapshot(draft.id)).toBe(before);
  });

  it('when another provider touches a listed product, then it can read the public view but every change is 404', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const listed = await listProduct(t, w, w.provider, listingBody([r], a.id));
    const before = await snapshot(listed.id);
    for (const [name, req] of attempts(listed.id, w.otherProvider.auth)) {
      const res = await req;
      if (name === 'GET') {
        expect(res.status).toBe(200);
        for (const hidden of [
          'reviews',
          'dataFile',
          'dataScan',
          'sampleScan',
          'createdBy',
          'statusReason',
          'delistCount',
        ]) {
          expect(res.body).not.toHaveProperty(hidden);
        }
      } else {
        expect([name, res.status]).toEqual([name, 404]);
      }
    }
    expect(await snapshot(listed.id)).toBe(before);
  });

  it('when anonymous callers and buyers read a draft or pending product, then 404; the owner, exchange and regulator see it in full', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const l = await createListing(t, w.provider, listingBody([r], a.id));
    await submit(t, w.provider, l.id);
    expect((await t.http.get(`/api/v1/listings/${l.id}`)).status).toBe(404);
    expect((await t.http.get(`/api/v1/listings/${l.id}`).set('Authorization', w.buyer.auth)).status).toBe(404);
    expect((await t.http.get(`/api/v1/listings/${l.id}/sample`)).status).toBe(404);
    for (const actor of [w.provider, w.exchange, w.regulator]) {
      const res = await t.http.get(`/api/v1/listings/${l.id}`).set('Authorization', actor.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'pending_review', createdBy: w.provider.user.id });
      expect(res.body).toHaveProperty('reviews');
      expect(res.body).not.toHaveProperty('searchTerms');
      expect(res.body).not.toHaveProperty('outbox');
    }
  });
});

describe('what a provider may build from', () => {
  it("when a provider uses another operator's authorization, then 422 as if it did not exist", async () => {
    const r = await makeResource(w.authority);
    const theirs = await grant(t, w.authority, w.otherProvider, [r]);
    const before = await ListingModel.countDocuments();
    const res = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([r], theirs.id));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'authorizationId', message: 'no such authorization granted to your organisation' },
    ]);
    expect(await ListingModel.countDocuments()).toBe(before);
  });

  it('when public resources come without an authorization, or outside it, or with a type or mode it does not allow, then 422', async () => {
    const r = await makeResource(w.authority);
    const stray = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r], {
      allowedProductTypes: ['dataset'],
      allowedDeliveryModes: ['sandbox'],
    });
    const before = await ListingModel.countDocuments();
    const cases = [
      listingBody([r], undefined, { deliveryMode: 'sandbox' }),
      listingBody([r, stray], a.id, { deliveryMode: 'sandbox' }),
      listingBody([r], a.id, { deliveryMode: 'download' }),
      listingBody([r], a.id, { deliveryMode: 'sandbox', productType: 'api' }),
    ];
    for (const body of cases) {
      const res = await t.http.post('/api/v1/listings').set('Authorization', w.provider.auth).send(body);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe('authorizationId');
      expect(res.body.errors[0].message).toMatch(/^authorization-(active|covers): /);
    }
    expect(await ListingModel.countDocuments()).toBe(before);
  });

  it("when a provider uses another organisation's enterprise data or an unregistered resource, then 422", async () => {
    const theirs = await makeResource(w.otherProvider, { kind: 'enterprise' });
    const draftRes = await makeResource(w.provider, { kind: 'enterprise', status: 'draft' });
    const a = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([theirs], undefined, { deliveryMode: 'sandbox' }));
    expect(a.status).toBe(422);
    expect(a.body.errors[0].message).toMatch(/another organisation's enterprise data/);
    const b = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([draftRes], undefined, { deliveryMode: 'sandbox' }));
    expect(b.status).toBe(422);
    expect(b.body.errors[0]).toMatchObject({
      path: 'sourceResourceIds',
      message: expect.stringMatching(/^sources-registered: /),
    });
  });

  it('when a buyer or the exchange creates a listing, then 403; bad bodies are 400/422', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    for (const actor of [w.buyer, w.exchange, w.authority]) {
      expect(
        (
          await t.http
            .post('/api/v1/listings')
            .set('Authorization', actor.auth)
            .send(listingBody([r], a.id))
        ).status,
      ).toBe(403);
    }
    const float = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([r], a.id, { pricing: { model: 'one_time', priceFen: 99.5 } }));
    expect(float.status).toBe(400);
    const noPeriod = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([r], a.id, { pricing: { model: 'subscription', priceFen: 100 } }));
    expect(noPeriod.status).toBe(422);
    const extra = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send({ ...listingBody([r], a.id), code: 'ZDEC-2026-000001' });
    expect(extra.status).toBe(400);
  });
});

describe('editing', () => {
  it('when the owner edits a draft, then the change and its derived fields are stored; once pending it is 409', async () => {
    const r = await makeResource(w.authority, { level: 'L1' });
    const r2 = await makeResource(w.authority, { level: 'L3', domain: 'meteorology' });
    const a = await grant(t, w.authority, w.provider, [r, r2]);
    const l = await createListing(t, w.provider, listingBody([r], a.id));
    const res = await t.http
      .patch(`/api/v1/listings/${l.id}`)
      .set('Authorization', w.provider.auth)
      .send({ sourceResourceIds: [String(r._id), String(r2._id)], deIdentified: true, tags: ['气象'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ level: 'L3', deIdentified: true, tags: ['气象'] });
    const stored = await ListingModel.findById(l.id).select('+searchTerms').lean();
    expect([...stored!.domains].sort()).toEqual(['meteorology', 'transport']);
    expect(stored!.searchTerms).toContain('气象');

    const bad = await t.http
      .patch(`/api/v1/listings/${l.id}`)
      .set('Authorization', w.provider.auth)
      .send({ deliveryMode: 'carrier-pigeon' });
    expect(bad.status).toBe(422);

    await submit(t, w.provider, l.id);
    const locked = await t.http
      .patch(`/api/v1/listings/${l.id}`)
      .set('Authorization', w.provider.auth)
      .send({ title: '改名' });
    expect(locked.status).toBe(409);
    const upload = await t.http
      .post(`/api/v1/listings/${l.id}/sample`)
      .set('Authorization', w.provider.auth)
      .attach('file', CLEAN_CSV, 's.csv');
    expect(upload.status).toBe(409);
    expect((await ListingModel.findById(l.id).lean())!.title).toBe('郑州公交客流日报');
    expect((await t.http.post(`/api/v1/listings/${l.id}/submit`).set('Authorization', w.provider.auth)).status).toBe(
      409,
    );
  });

  it('when the sample is not a CSV/JSON/XLSX file, then it is refused and nothing is stored', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const l = await createListing(t, w.provider, listingBody([r], a.id));
    const pdf = await t.http
      .post(`/api/v1/listings/${l.id}/sample`)
      .set('Authorization', w.provider.auth)
      .attach('file', Buffer.from('%PDF-1.4 not a table'), 'sample.csv');
    expect(pdf.status).toBe(415);
    expect((await ListingModel.findById(l.id).lean())!.sample).toBeUndefined();
  });
});
