import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import { createListing, grant, listingBody, listProduct, makeResource, makeWorld, submit, type World } from './world';

const t = useTestApp();
let w: World;
const ids: Record<string, string> = {};

/*
 * The catalog: four listed products (A–D), a draft (E) and a pending one (F):
 *   A 郑州公交客流日报         provider   dataset  transport        general    1 000 000 fen
 *   B 河南高速公路货运指数 API  provider   api      transport        general       50 000 fen
 *   C 郑州市逐小时气象观测      other      dataset  meteorology      general    3 000 000 fen
 *   D 洛阳文旅客流报告          provider   report   culture-tourism  important    200 000 fen
 */
beforeAll(async () => {
  w = await makeWorld(t.config);
  const transport = await makeResource(w.authority, { domain: 'transport' });
  const weather = await makeResource(w.authority, { domain: 'meteorology' });
  const tourism = await makeResource(w.authority, { domain: 'culture-tourism', grade: 'important', level: undefined });
  const a1 = await grant(t, w.authority, w.provider, [transport, tourism], {
    allowedProductTypes: ['dataset', 'api', 'report'],
  });
  const a2 = await grant(t, w.authority, w.otherProvider, [weather]);

  ids.A = (
    await listProduct(
      t,
      w,
      w.provider,
      listingBody([transport], a1.id, {
        title: '郑州公交客流日报',
        summary: '按站点汇总的每日客流。',
        tags: ['交通'],
        pricing: { model: 'one_time', priceFen: 1_000_000 },
      }),
    )
  ).id;
  ids.B = (
    await listProduct(
      t,
      w,
      w.provider,
      listingBody([transport], a1.id, {
        title: '河南高速公路货运指数 API',
        summary: '货车通行量指数。',
        productType: 'api',
        deliveryMode: 'api',
        tags: ['物流'],
        pricing: { model: 'one_time', priceFen: 50_000 },
      }),
    )
  ).id;
  ids.C = (
    await listProduct(
      t,
      w,
      w.otherProvider,
      listingBody([weather], a2.id, {
        title: '郑州市逐小时气象观测',
        summary: '温度、降水、风速。',
        tags: ['天气'],
        pricing: { model: 'one_time', priceFen: 3_000_000 },
      }),
    )
  ).id;
  ids.D = (
    await listProduct(
      t,
      w,
      w.provider,
      listingBody([tourism], a1.id, {
        title: '洛阳文旅客流报告',
        summary: '景区游客分析。',
        productType: 'report',
        deliveryMode: 'sandbox',
        tags: ['旅游'],
        pricing: { model: 'one_time', priceFen: 200_000 },
      }),
    )
  ).id;
  ids.E = (
    await createListing(
      t,
      w.provider,
      listingBody([transport], a1.id, { title: '未上架的草稿产品', summary: '草稿。' }),
    )
  ).id;
  ids.F = (
    await createListing(
      t,
      w.otherProvider,
      listingBody([weather], a2.id, { title: '待审核的气象产品', summary: '待审。' }),
    )
  ).id;
  await submit(t, w.otherProvider, ids.F);
  await ListingModel.updateOne({ _id: ids.C }, { $inc: { settledCount: 5 } });
  await ListingModel.updateOne({ _id: ids.A }, { $inc: { settledCount: 2 } });
});

/** The letter of a listing id (A–F), or the id itself for anything unexpected. */
const letter = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
async function search(query: string, auth?: string): Promise<string[]> {
  const req = t.http.get(`/api/v1/listings?${query}`);
  if (auth) req.set('Authorization', auth);
  const res = await req;
  expect(res.status).toBe(200);
  return res.body.items.map((i: { id: string }) => letter(i.id));
}
const q = (s: string) => encodeURIComponent(s);

describe('public catalog', () => {
  it('when anyone lists products, then only listed ones come back, newest first, with public fields only', async () => {
    const res = await t.http.get('/api/v1/listings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 20 });
    expect(res.body.items.map((i: { id: string }) => letter(i.id))).toEqual(['D', 'C', 'B', 'A']);
    for (const item of res.body.items) {
      expect(item.code).toMatch(/^ZDEC-/);
      for (const hidden of ['searchTerms', 'reviews', 'dataFile', 'dataScan', 'sampleScan', 'createdBy', 'outbox']) {
        expect(item).not.toHaveProperty(hidden);
      }
    }
  });

  it.each([
    ['公交', ['A']],
    ['客流', ['D', 'A']],
    ['郑州', ['C', 'A']],
    ['api', ['B']],
    ['ＡＰＩ', ['B']],
    ['货运 指数', ['B']],
    ['气象服务', ['C']], // only in the provider's name 豫信气象服务有限公司
    ['中原交通数据', ['D', 'B', 'A']],
    ['公交 高速', []],
    ['草稿', []],
    ['铁路', []],
  ])('when searching %s, then the matching listed products come back', async (text, expected) => {
    // With q the default order is relevance (test/listings/search-engine.test.ts); newest asked for here.
    expect(await search(`q=${q(text)}&sort=newest`)).toEqual(expected);
    expect((await search(`q=${q(text)}`)).sort()).toEqual([...expected].sort());
  });

  it('when filtering by type, domain, grade, provider and price, then only matching products come back', async () => {
    expect(await search('type=api')).toEqual(['B']);
    expect(await search('type=report')).toEqual(['D']);
    expect(await search('domain=meteorology')).toEqual(['C']);
    expect(await search('domain=transport')).toEqual(['B', 'A']);
    expect(await search('grade=important')).toEqual(['D']);
    expect(await search(`provider=${w.otherProvider.org.id}`)).toEqual(['C']);
    expect(await search('minPriceFen=100000&maxPriceFen=1000000')).toEqual(['D', 'A']);
    expect(await search('maxPriceFen=50000')).toEqual(['B']);
    expect(await search(`q=${q('客流')}&type=report`)).toEqual(['D']);
  });

  it('when sorting by price, popularity or newest, then the order follows it', async () => {
    expect(await search('sort=price')).toEqual(['B', 'D', 'A', 'C']);
    expect(await search('sort=popular')).toEqual(['C', 'A', 'D', 'B']);
    expect(await search('sort=newest')).toEqual(['D', 'C', 'B', 'A']);
    const page2 = await t.http.get('/api/v1/listings?sort=price&pageSize=2&page=2');
    expect(page2.body).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(page2.body.items.map((i: { id: string }) => letter(i.id))).toEqual(['A', 'C']);
  });

  it('when the query is invalid, then 4xx', async () => {
    expect((await t.http.get('/api/v1/listings?minPriceFen=500&maxPriceFen=100')).status).toBe(422);
    expect((await t.http.get('/api/v1/listings?sort=cheapest')).status).toBe(422);
    expect((await t.http.get('/api/v1/listings?pageSize=101')).status).toBe(422);
    expect((await t.http.get('/api/v1/listings?type=nonsense')).status).toBe(422);
    expect((await t.http.get('/api/v1/listings?unknown=1')).status).toBe(200); // query: extra keys ignored like any GET
  });
});

describe('other statuses', () => {
  it('when a provider asks for mine, then it sees its own products in every status', async () => {
    expect((await search('mine=true', w.provider.auth)).sort()).toEqual(['A', 'B', 'D', 'E']);
    expect(await search('mine=true&status=draft', w.provider.auth)).toEqual(['E']);
    expect(await search('status=draft', w.provider.auth)).toEqual(['E']);
    expect((await search('mine=true', w.otherProvider.auth)).sort()).toEqual(['C', 'F']);
    const own = await t.http.get('/api/v1/listings?mine=true&status=draft').set('Authorization', w.provider.auth);
    expect(own.body.items[0]).toMatchObject({ status: 'draft', createdBy: w.provider.user.id });
  });

  it('when exchange staff ask for pending products, then they get the review queue; buyers and anonymous callers get 403', async () => {
    expect(await search('status=pending_review', w.exchange.auth)).toEqual(['F']);
    expect(await search('status=pending_review', w.regulator.auth)).toEqual(['F']);
    expect((await t.http.get('/api/v1/listings?status=draft')).status).toBe(403);
    expect((await t.http.get('/api/v1/listings?status=draft').set('Authorization', w.buyer.auth)).status).toBe(403);
    expect((await t.http.get('/api/v1/listings?mine=true')).status).toBe(403);
    expect((await t.http.get('/api/v1/listings?mine=true').set('Authorization', w.exchange.auth)).status).toBe(403);
  });

  it('when the review queue is paged, then it is every pending listing newest first, as the database sorts them, and a decided one leaves it', async () => {
    const weather = (await ListingModel.findById(ids.F).lean())!;
    const more: string[] = [];
    for (const title of ['待审核产品二', '待审核产品三']) {
      const sources = weather.sourceResourceIds.map((_id) => ({ _id }));
      const l = await createListing(
        t,
        w.otherProvider,
        listingBody(sources, String(weather.authorizationId), { title }),
      );
      await submit(t, w.otherProvider, l.id);
      more.push(l.id);
    }
    const expected = (
      await ListingModel.find({ status: 'pending_review' }, { _id: 1 })
        .sort({ listedAt: -1, createdAt: -1, _id: -1 })
        .lean()
    ).map((d) => String(d._id));
    expect(expected).toHaveLength(3);
    const page = async (n: number) =>
      (
        await t.http
          .get(`/api/v1/listings?status=pending_review&pageSize=2&page=${n}`)
          .set('Authorization', w.exchange.auth)
          .expect(200)
      ).body as { items: { id: string; status: string }[]; total: number };
    const [p1, p2] = [await page(1), await page(2)];
    expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual(expected);
    expect(p1.total).toBe(3);
    expect(p1.items.every((i) => i.status === 'pending_review')).toBe(true);

    await t.http
      .post(`/api/v1/listings/${more[0]}/review`)
      .set('Authorization', w.exchange.auth)
      .send({ decision: 'reject', reasons: ['样例不完整'] })
      .expect(200);
    const after = await page(1);
    expect(after.total).toBe(2);
    expect(after.items.map((i) => i.id)).not.toContain(more[0]);
  });
});
