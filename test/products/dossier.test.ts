import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { WatchModel } from '../../server/src/modules/products/watch.model';
import { putFile } from '../../server/src/platform/storage';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createListing, listingBody, makeWorld, type World } from '../listings/world';
import { approvedProduct, dossierProduct } from './fixtures';

/*
 * The product dossier a buyer reads before paying, and the buyer's watch list. The sources are
 * registered resources written to the model with a real scan of their records (so the field levels
 * are the scanner's), the authorization and the product go through the real API, review included.
 */

const t = useTestApp();
let w: World;
let listingId: string;
let source: Awaited<ReturnType<typeof dossierProduct>>['source'];
let auth: { id: string; number: string };

beforeAll(async () => {
  w = await makeWorld(t.config);
  ({ source, auth, listingId } = await dossierProduct(t, w, w.provider));
}, 60_000);

const dossier = (id: string, who?: Actor) => {
  const req = t.http.get(`/api/v1/listings/${id}/dossier`);
  return who ? req.set('Authorization', who.auth) : req;
};

describe('the product dossier', () => {
  it('when anyone opens a listed product, then its data dictionary carries types, descriptions and the levels the scan found', async () => {
    const res = await dossier(listingId);
    expect(res.status).toBe(200);
    expect(res.body.listing).toMatchObject({ id: listingId, status: 'listed' });
    expect(res.body.sources).toHaveLength(1);
    const fields = res.body.sources[0].fields as { name: string; type: string; description: string; level: string }[];
    expect(fields.map((f) => [f.name, f.type, f.description])).toEqual([
      ['站点', 'string', '公交站点名称'],
      ['日期', 'date', '统计日'],
      ['客流量', 'integer', '进站人次'],
      ['联系电话', 'string', '站务联系电话'],
    ]);
    expect(fields.find((f) => f.name === '联系电话')).toMatchObject({ level: 'L3', detected: ['mobile'] });
    expect(fields.find((f) => f.name === '客流量')!.level).toBe('L1');
  });

  it('when a buyer judges it, then record count, update frequency, coverage, certificate and authorization basis are there', async () => {
    const { body } = await dossier(listingId);
    expect(body.recordCount).toBe(365_000);
    expect(body.updateFrequencies).toEqual(['daily']);
    // 30 rows three days apart from 2026-01-01: the last is 87 days later, 2026-03-29
    expect(body.coverage).toEqual({ from: '2026-01-01', to: '2026-03-29', columns: ['日期'] });
    expect(body.sources[0]).toMatchObject({
      registrationNumber: source.registrationNumber,
      certificate: { number: source.registrationNumber, issuedAt: '2026-02-01T02:00:00.000Z' },
      registrant: { id: w.authority.org.id, name: '河南省数据局' },
      updateFrequency: 'daily',
    });
    expect(body.authorization).toMatchObject({
      id: auth.id,
      number: auth.number,
      operator: { id: w.provider.org.id, name: w.provider.org.name, creditCode: w.provider.org.creditCode },
      authority: { id: w.authority.org.id, name: '河南省数据局' },
      effectiveStatus: 'active',
    });
    expect(new Date(body.authorization.validTo).getTime()).toBeGreaterThan(Date.now());
  });

  it('when the compliance review passed, then its date and every rule it checked are shown, all passed', async () => {
    const { body } = await dossier(listingId);
    const stored = await ListingModel.findById(listingId).lean();
    const approval = stored!.reviews.find((r) => r.decision === 'approve')!;
    expect(body.compliance.at).toBe(approval.at.toISOString());
    expect(body.compliance.rules.length).toBeGreaterThanOrEqual(5);
    expect(body.compliance.rules.map((r: { rule: string }) => r.rule)).toEqual(approval.checklist.map((c) => c.rule));
    expect(body.compliance.rules.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(body.compliance.rules.map((r: { rule: string }) => r.rule)).toContain('sample-clean');
  });

  it('when the sample is previewed, then it shows the first rows of the product sample and nothing private', async () => {
    const { body } = await dossier(listingId);
    expect(body.sample).toMatchObject({
      filename: '客流样例.csv',
      columns: ['站点', '日期', '客流量'],
      rowsInSample: 30,
      maskedCells: 0,
    });
    expect(body.sample.rows).toHaveLength(20);
    expect(body.sample.rows[0]).toEqual(['站点1', '2026-01-01', '1000']);
    const text = JSON.stringify(body);
    expect(text).not.toContain('13812345678'); // the source's raw values never reach the dossier
    expect(text).not.toMatch(/dataFile|fileId|reviews/); // neither the deliverable nor internal records
  });

  it('when a stored sample holds a mobile number (written past review), then the preview masks it', async () => {
    const leaky = Buffer.from('站点,联系人电话\n郑州东站,13812345678\n', 'utf8');
    const file = await putFile(leaky, 'leaky.csv');
    await ListingModel.updateOne(
      { _id: listingId },
      {
        $set: {
          sample: {
            fileId: file.fileId,
            filename: 'leaky.csv',
            format: 'csv',
            encoding: 'utf-8',
            size: file.size,
            sha256: file.sha256,
            uploadedAt: new Date(),
          },
        },
      },
    );
    try {
      const { body } = await dossier(listingId);
      expect(body.sample.rows).toEqual([['郑州东站', '138****5678']]);
      expect(body.sample.maskedCells).toBe(1);
      expect(JSON.stringify(body)).not.toContain('13812345678');
    } finally {
      await ListingModel.updateOne(
        { _id: listingId },
        { $set: { sample: (await ListingModel.findById(listingId).lean())!.sample } },
      );
    }
  });

  it('when the product is a draft, then the dossier is 404 for the public and for other providers, and shown to its owner', async () => {
    const draft = await createListing(
      t,
      w.provider,
      listingBody([source], auth.id, { deIdentified: true, title: '草稿产品' }),
    );
    expect((await dossier(draft.id)).status).toBe(404);
    expect((await dossier(draft.id, w.otherProvider)).status).toBe(404);
    expect((await dossier(draft.id, w.buyer)).status).toBe(404);
    const own = await dossier(draft.id, w.provider);
    expect(own.status).toBe(200);
    expect(own.body.compliance).toBeNull();
    expect(own.body.sample).toBeNull();
    expect((await dossier('not-an-id')).status).toBe(422);
  });
});

describe('the watch list', () => {
  const watch = (who: Actor, body: unknown) =>
    t.http
      .post('/api/v1/watchlist')
      .set('Authorization', who.auth)
      .send(body as object);
  const list = (who: Actor) => t.http.get('/api/v1/watchlist').set('Authorization', who.auth);

  it('when a buyer watches a product twice, then it is on the list once, and another buyer’s list stays empty', async () => {
    const first = await watch(w.buyer, { listingId });
    expect(first.status).toBe(201);
    const again = await watch(w.buyer, { listingId });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, listingId });
    expect(await WatchModel.countDocuments({ userId: w.buyer.user.id })).toBe(1);

    const mine = await list(w.buyer);
    expect(mine.body).toMatchObject({ total: 1, items: [{ listingId, available: true, listing: { id: listingId } }] });
    const other = await makeActor(t.config, 'buyer');
    expect((await list(other)).body).toMatchObject({ total: 0, items: [] });
  });

  it('when a watched product is delisted, then it stays on the list as no longer available', async () => {
    const l = {
      id: await approvedProduct(
        t,
        w,
        w.provider,
        listingBody([source], auth.id, { deIdentified: true, title: '将下架产品' }),
      ),
    };
    expect((await watch(w.buyer, { listingId: l.id })).status).toBe(201);
    const delisted = await t.http
      .post(`/api/v1/listings/${l.id}/delist`)
      .set('Authorization', w.provider.auth)
      .send({ reason: '数据源调整' });
    expect(delisted.status).toBe(200);
    const item = (await list(w.buyer)).body.items.find((i: { listingId: string }) => i.listingId === l.id);
    expect(item).toMatchObject({ available: false, listing: null });
  });

  it('when a buyer unwatches, then it is gone; unwatching again is 404', async () => {
    const del = await t.http.delete(`/api/v1/watchlist/${listingId}`).set('Authorization', w.buyer.auth);
    expect(del.status).toBe(204);
    expect(await WatchModel.countDocuments({ userId: w.buyer.user.id, listingId })).toBe(0);
    expect((await t.http.delete(`/api/v1/watchlist/${listingId}`).set('Authorization', w.buyer.auth)).status).toBe(404);
  });

  it('when the body is wrong or the product is not listed, then it is refused and nothing is stored', async () => {
    const before = await WatchModel.countDocuments();
    const draft = await createListing(t, w.provider, listingBody([source], auth.id, { deIdentified: true }));
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ listingId: { $gt: '' } }, 400],
      [{ listingId, extra: 1 }, 400],
      [{ listingId: draft.id }, 404],
      [{ listingId: '0123456789abcdef01234567' }, 404],
    ];
    for (const [body, status] of cases) {
      const res = await watch(w.buyer, body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await watch(w.provider, { listingId })).status).toBe(403);
    expect((await t.http.get('/api/v1/watchlist')).status).toBe(401);
    expect(await WatchModel.countDocuments()).toBe(before);
  });
});
