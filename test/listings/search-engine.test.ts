import { Types } from 'mongoose';
import { syncCatalog } from '../../server/src/modules/listings/catalog';
import { appendFeed } from '../../server/src/modules/listings/catalog/feed';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import { grant, listingBody, listProduct, makeResource, makeWorld, type World } from './world';

const t = useTestApp();
let w: World;
const ids: Record<string, string> = {};

/*
 * Five listed products, listed in this order (so `newest` is P5, P3, P2, P1, P4):
 *   P4 郑州公交客流日报          dataset transport        general     1 000 000 fen
 *   P1 高速公路货运指数          api     transport        general        50 000
 *   P2 公路养护与高速服务区名录  dataset transport        general     2 000 000
 *   P3 洛阳文旅客流报告          report  culture-tourism  important     200 000
 *   P5 城市交通拥堵分析          dataset transport        general   150 000 000  (高速公路 in its summary)
 */
beforeAll(async () => {
  w = await makeWorld(t.config);
  const transport = await makeResource(w.authority, { domain: 'transport' });
  const tourism = await makeResource(w.authority, { domain: 'culture-tourism', grade: 'important', level: undefined });
  const a = await grant(t, w.authority, w.provider, [transport, tourism], {
    feeCaps: { one_time: 200_000_000, per_call: 100 },
  });
  const list = async (key: string, sources: { _id: unknown }[], body: Record<string, unknown>) => {
    ids[key] = (await listProduct(t, w, w.provider, listingBody(sources, a.id, { tags: [], ...body }))).id;
  };
  await list('P4', [transport], {
    title: '郑州公交客流日报',
    summary: '按站点汇总的每日客流。',
    pricing: { model: 'one_time', priceFen: 1_000_000 },
  });
  await list('P1', [transport], {
    title: '高速公路货运指数',
    summary: '全省货车通行量。',
    productType: 'api',
    deliveryMode: 'api',
    pricing: { model: 'one_time', priceFen: 50_000 },
  });
  await list('P2', [transport], {
    title: '公路养护与高速服务区名录',
    summary: '服务区位置与设施。',
    pricing: { model: 'one_time', priceFen: 2_000_000 },
  });
  await list('P3', [tourism], {
    title: '洛阳文旅客流报告',
    summary: '景区游客分析。',
    productType: 'report',
    deliveryMode: 'sandbox',
    pricing: { model: 'one_time', priceFen: 200_000 },
  });
  await list('P5', [transport], {
    title: '城市交通拥堵分析',
    summary: '包含高速公路的拥堵路段。',
    pricing: { model: 'one_time', priceFen: 150_000_000 },
  });
});

const letter = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
async function get(query: string) {
  const res = await t.http.get(`/api/v1/listings?${query}`);
  expect(res.status).toBe(200);
  return res.body as {
    items: { id: string; title: string }[];
    total: number;
    facets: {
      domain: { value: string; count: number }[];
      type: { value: string; count: number }[];
      grade: { value: string; count: number }[];
      price: { band: string; minPriceFen: number; maxPriceFen: number | null; count: number }[];
    };
  };
}
const search = async (query: string) => (await get(query)).items.map((i) => letter(i.id));
const q = (s: string) => `q=${encodeURIComponent(s)}`;
const counts = (f: { value: string; count: number }[]) => Object.fromEntries(f.map((x) => [x.value, x.count]));

describe('relevance with Chinese word segmentation', () => {
  it('when searching 高速公路, then a title match ranks first and a text where jieba saw 高速 and 公路 apart is found too', async () => {
    const found = await search(q('高速公路'));
    expect(found[0]).toBe('P1'); // in the title, boosted above P5's summary
    // P2 has the words 高速 and 公路 but not the phrase: found by segmentation, not by the phrase fallback.
    expect([...found].sort()).toEqual(['P1', 'P2', 'P5']);
    expect(found.indexOf('P1')).toBeLessThan(found.indexOf('P5'));
  });

  it('when searching 客流, then the product with the word ranks above the one where segmentation split it (phrase fallback)', async () => {
    // 洛阳文旅客流报告 is cut 洛阳/文/旅客/流/报告: only the phrase fallback finds 客流 in it.
    expect(await search(q('客流'))).toEqual(['P4', 'P3']);
    expect(await search(`${q('客流')}&sort=newest`)).toEqual(['P3', 'P4']);
  });

  it('when every word must match, then a query with a word no product has finds nothing', async () => {
    expect(await search(q('高速公路 旅游'))).toEqual([]);
    expect(await search(q('服务区 名录'))).toEqual(['P2']);
  });

  it('when a sort or filter is given with q, then it applies to the matches', async () => {
    expect(await search(`${q('高速公路')}&sort=price`)).toEqual(['P1', 'P2', 'P5']);
    expect([...(await search(`${q('高速公路')}&type=dataset`))].sort()).toEqual(['P2', 'P5']);
    expect(await search(`${q('高速公路')}&maxPriceFen=100000`)).toEqual(['P1']);
  });

  it('when sort=relevance is asked without q, then the order is newest', async () => {
    expect(await search('sort=relevance')).toEqual(['P5', 'P3', 'P2', 'P1', 'P4']);
  });
});

describe('facets', () => {
  it('when the catalog is listed, then it counts products per domain, type, grade and price band', async () => {
    const body = await get('');
    expect(body.total).toBe(5);
    expect(counts(body.facets.domain)).toEqual({ transport: 4, 'culture-tourism': 1 });
    expect(counts(body.facets.type)).toEqual({ dataset: 3, api: 1, report: 1 });
    expect(counts(body.facets.grade)).toEqual({ general: 4, important: 1 });
    expect(body.facets.price.map((b) => [b.band, b.count])).toEqual([
      ['under-1k', 1],
      ['1k-10k', 1],
      ['10k-100k', 2],
      ['100k-1m', 0],
      ['over-1m', 1],
    ]);
  });

  it('when a filter is chosen, then the other facets count within it and its own facet still shows the alternatives', async () => {
    const body = await get('type=dataset');
    expect(body.total).toBe(3);
    expect(counts(body.facets.type)).toEqual({ dataset: 3, api: 1, report: 1 });
    expect(counts(body.facets.domain)).toEqual({ transport: 3 });
    expect(body.facets.price.find((b) => b.band === '10k-100k')!.count).toBe(2);
    const withQ = await get(`${q('客流')}&domain=transport`);
    expect(withQ.items.map((i) => letter(i.id))).toEqual(['P4']);
    expect(counts(withQ.facets.domain)).toEqual({ transport: 1, 'culture-tourism': 1 });
    expect(counts(withQ.facets.type)).toEqual({ dataset: 1 });
  });
});

describe('the change feed', () => {
  it('when another process changes a listing and announces it, then this process finds the change', async () => {
    await ListingModel.collection.updateOne(
      { _id: new Types.ObjectId(ids.P4) },
      { $set: { title: '郑州地铁客流日报' } },
    );
    expect(await search(q('地铁'))).toEqual([]); // a raw write is invisible until announced
    await appendFeed({ ids: [ids.P4!], phase: 'after' });
    await syncCatalog();
    expect(await search(q('地铁'))).toEqual(['P4']);
  });

  it('when a writer announced a change and crashed before its after-entry, then the re-check picks the change up', async () => {
    await appendFeed({ ids: [ids.P2!], phase: 'before' });
    await syncCatalog(); // read now, before the change lands
    await ListingModel.collection.updateOne({ _id: new Types.ObjectId(ids.P2) }, { $set: { status: 'delisted' } });
    await syncCatalog();
    expect(await search(q('服务区'))).toEqual(['P2']);
    await new Promise((r) => setTimeout(r, 2_300)); // the re-check of a before-entry is 2 s after it was seen
    await syncCatalog();
    expect(await search(q('服务区'))).toEqual([]);
    await ListingModel.collection.updateOne({ _id: new Types.ObjectId(ids.P2) }, { $set: { status: 'listed' } });
    await appendFeed({ ids: [ids.P2!], phase: 'after' });
    await syncCatalog();
  });

  it('when a listing is delisted through the API, then it leaves the catalog and its public page at once', async () => {
    expect((await t.http.get(`/api/v1/listings/${ids.P1}`)).status).toBe(200);
    const res = await t.http
      .post(`/api/v1/listings/${ids.P1}/delist`)
      .set('Authorization', w.provider.auth)
      .send({ reason: '数据源停止更新' });
    expect(res.status).toBe(200);
    expect(await search(q('货运指数'))).toEqual([]);
    expect((await get('')).total).toBe(4);
    expect((await t.http.get(`/api/v1/listings/${ids.P1}`)).status).toBe(404);
    const own = await t.http.get(`/api/v1/listings/${ids.P1}`).set('Authorization', w.provider.auth);
    expect(own.body).toMatchObject({ status: 'delisted' });
  });
});
