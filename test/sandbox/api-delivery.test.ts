import fs from 'node:fs';
import path from 'node:path';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { closeEngine } from '../../server/src/modules/sandbox/engine';
import { deleteFile } from '../../server/src/platform/storage';
import { useTestApp } from '../helpers/app';
import { boughtByTransfer, makeMarket, makeProduct } from '../trade/fixtures';

/*
 * Issue 12 item 6 / issue 14 part 5: API delivery serves pages from the deliverable's prepared form
 * (one DuckDB file per deliverable version under DATA_DIR/sandbox), so the file is parsed once, not on
 * every call.
 */
const t = useTestApp();

afterAll(async () => {
  await closeEngine();
});

describe('API delivery from the prepared deliverable', () => {
  it('when the first call has prepared the deliverable, then later calls are served without reading the file again', async () => {
    const m = await makeMarket(t.config);
    const { listing } = await makeProduct(m.provider, { deliveryMode: 'api', pricingModel: 'per_call', priceFen: 500 });
    const id = await boughtByTransfer(t, m, String(listing._id));
    const key = (await t.http.get(`/api/v1/orders/${id}/delivery`).set('Authorization', m.buyer.auth)).body
      .apiKey as string;
    const call = (q: string) => t.http.get(`/api/v1/data/${listing.code}${q}`).set('X-Api-Key', key);

    const first = await call('?offset=3&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.rows).toEqual([
      { 站点: '郑州-4', 日期: '2026-01-04', PM25: '33', AQI: '53' },
      { 站点: '郑州-5', 日期: '2026-01-05', PM25: '34', AQI: '54' },
    ]);
    const sha = (await ListingModel.findById(listing._id).lean())!.dataFile!.sha256;
    const prepared = fs.readdirSync(path.join(t.config.DATA_DIR, 'sandbox')).filter((f) => f.startsWith(sha));
    expect(prepared).toHaveLength(1);

    // The stored file is gone: a call that parsed it would fail; the prepared form still serves.
    await deleteFile((await ListingModel.findById(listing._id).lean())!.dataFile!.fileId);
    const later = await call('?offset=18&limit=5');
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ offset: 18, limit: 5, hasMore: false });
    expect(later.body.rows.map((r: { 站点: string }) => r.站点)).toEqual(['郑州-19', '郑州-20']);
    expect((await call('?offset=50&limit=5')).body).toMatchObject({ rows: [], hasMore: false });
  });
});
