import type { ResourceCreateBody } from '@zdec/shared';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, personCsv, uploadSample } from './fixtures';

const t = useTestApp();
let authority: Actor;
let buyer: Actor;
const ids: Record<string, string> = {};
const numbers: Record<string, string> = {};

const PLAIN_CSV = '站点,气温\n郑州,21.5\n';

async function registered(key: string, over: Partial<ResourceCreateBody>, csv = PLAIN_CSV): Promise<void> {
  const id = await createDraft(t, authority, over);
  expect((await uploadSample(t, authority, id, Buffer.from(csv), 's.csv')).status).toBe(200);
  const res = await t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', authority.auth).send({});
  expect(res.status).toBe(200);
  ids[key] = id;
  numbers[key] = res.body.certificate.number;
}

async function search(query: string, actor = buyer) {
  const res = await t.http.get(`/api/v1/resources?${query}`).set('Authorization', actor.auth);
  expect(res.status).toBe(200);
  return res.body as { items: { id: string; name: string }[]; total: number; page: number; pageSize: number };
}

const keysOf = async (query: string) => {
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (await search(query)).items.map((r) => byId[r.id] ?? r.id).sort();
};

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
  buyer = await makeActor(t.config, 'buyer');
  await registered('weather', {
    name: '河南省气象观测数据',
    description: '全省地面观测站逐小时数据',
    regionCode: '410000',
    domain: 'meteorology',
  });
  await registered(
    'zzTraffic',
    {
      name: '郑州市交通流量数据',
      description: '主城区路口流量',
      holderDepartment: '郑州市公安局交通管理支队',
      regionCode: '410100',
      domain: 'transport',
      openness: 'unconditional',
    },
    personCsv(),
  );
  await registered('kfTraffic', {
    name: '开封市交通事故统计',
    description: '按月汇总',
    holderDepartment: '开封市公安局',
    regionCode: '410200',
    domain: 'transport',
  });
  await registered('zzWarning', {
    name: '郑州市气象预警信息',
    description: '暴雨、大风预警',
    holderDepartment: '郑州市气象局',
    regionCode: '410100',
    domain: 'meteorology',
    openness: 'closed',
  });
  await registered('radar', {
    name: 'Henan Weather Radar Mosaic',
    description: 'Composite reflectivity every 6 minutes',
    holderDepartment: 'Henan Meteorological Service',
    regionCode: '410105',
    domain: 'meteorology',
  });
  const other = await makeActor(t.config, 'authority');
  ids.otherDraft = await createDraft(t, other, { name: '郑州交通草稿', regionCode: '410100', domain: 'transport' });
  ids.ownDraft = await createDraft(t, authority, {
    name: '郑州交通内部草稿',
    regionCode: '410100',
    domain: 'transport',
  });
});

describe('catalog search', () => {
  it('when searching 气象, then 河南省气象观测数据 and the other weather resource are found, the traffic ones not', async () => {
    expect(await keysOf('q=气象')).toEqual(['weather', 'zzWarning']);
  });

  it('when searching 交通 郑州, then only resources that mention both are found', async () => {
    expect(await keysOf(`q=${encodeURIComponent('交通 郑州')}`)).toEqual(['zzTraffic']);
    expect(await keysOf(`q=${encodeURIComponent('郑州')}`)).toEqual(['zzTraffic', 'zzWarning']);
    expect(await keysOf(`q=${encodeURIComponent('交通')}`)).toEqual(['kfTraffic', 'zzTraffic']);
  });

  it('when searching a phrase, then its characters must be adjacent (观测数据 matches, 数据观测 does not)', async () => {
    expect(await keysOf(`q=${encodeURIComponent('观测数据')}`)).toEqual(['weather']);
    expect(await keysOf(`q=${encodeURIComponent('数据观测')}`)).toEqual([]);
    expect(await keysOf(`q=${encodeURIComponent('观测站')}`)).toEqual(['weather']);
    expect(await keysOf(`q=${encodeURIComponent('测观')}`)).toEqual([]);
  });

  it('when searching English words, then whole words match in any case and prefixes do not', async () => {
    expect(await keysOf('q=weather')).toEqual(['radar']);
    expect(await keysOf('q=RADAR%20henan')).toEqual(['radar']);
    expect(await keysOf('q=weath')).toEqual([]);
    expect(await keysOf('q=radar%20traffic')).toEqual([]);
  });

  it('when searching a registration number, then that resource is found', async () => {
    expect(await keysOf(`q=${encodeURIComponent(numbers.kfTraffic!)}`)).toEqual(['kfTraffic']);
  });

  it('when filtering by region prefix, then 41 is all of Henan, 4101 Zhengzhou, 410105 Jinshui district', async () => {
    expect(await keysOf('region=41')).toEqual(['kfTraffic', 'radar', 'weather', 'zzTraffic', 'zzWarning']);
    expect(await keysOf('region=4101')).toEqual(['radar', 'zzTraffic', 'zzWarning']);
    expect(await keysOf('region=410105')).toEqual(['radar']);
    expect(await keysOf('region=42')).toEqual([]);
  });

  it('when filtering by domain, openness, grade and level together with q, then all filters apply', async () => {
    expect(await keysOf(`domain=transport&q=${encodeURIComponent('郑州')}`)).toEqual(['zzTraffic']);
    expect(await keysOf('openness=closed')).toEqual(['zzWarning']);
    expect(await keysOf('level=L4')).toEqual(['zzTraffic']);
    expect(await keysOf('grade=general&level=L1&domain=meteorology')).toEqual(['radar', 'weather', 'zzWarning']);
  });

  it('when a filter value is not allowed, then 4xx', async () => {
    for (const q of ['region=4', 'region=41.*', 'domain=weather', 'level=L9', 'pageSize=101', 'sort=random']) {
      const res = await t.http.get(`/api/v1/resources?${q}`).set('Authorization', buyer.auth);
      expect([400, 422]).toContain(res.status);
    }
  });

  it('when a buyer searches, then drafts never appear; the owner finds its own draft', async () => {
    const q = `q=${encodeURIComponent('草稿')}`;
    expect(await keysOf(q)).toEqual([]);
    const own = await search(q, authority);
    expect(own.items.map((r) => r.id)).toEqual([ids.ownDraft]);
  });

  it('when sorting by name, then names come in order', async () => {
    const names = (await search('sort=name&region=41')).items.map((r) => r.name);
    expect(names).toEqual([...names].sort());
  });

  it('when paging, then total counts everything and pages do not overlap', async () => {
    const created: string[] = [];
    for (let i = 0; i < 12; i++) {
      await registered(`xc${i}`, { name: `许昌市公共数据${i}`, regionCode: '411000', domain: 'gov-services' });
      created.push(ids[`xc${i}`]!);
    }
    const pages = await Promise.all([1, 2, 3].map((page) => search(`region=4110&pageSize=5&page=${page}`)));
    expect(pages.map((p) => [p.total, p.page, p.pageSize, p.items.length])).toEqual([
      [12, 1, 5, 5],
      [12, 2, 5, 5],
      [12, 3, 5, 2],
    ]);
    const seen = pages.flatMap((p) => p.items.map((r) => r.id));
    expect(new Set(seen).size).toBe(12);
    expect(seen.sort()).toEqual(created.sort());
    // newest first by default
    expect(pages[0]!.items[0]!.id).toBe(created[11]);
    const beyond = await search('region=4110&pageSize=5&page=4');
    expect(beyond).toMatchObject({ total: 12, items: [] });
  });
});
