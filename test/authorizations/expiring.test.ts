import { atTime } from '../../server/src/platform/clock';
import { useTestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import { grant, makeResource, makeWorld, type World } from '../listings/world';

/*
 * GET /authorizations?expiringWithinDays=N, the consoles' expiry banners: days are Asia/Shanghai
 * calendar days, so the platform clock is fixed at 23:30 in Shanghai (15:30 UTC), where elapsed
 * hours and calendar days disagree.
 */
const t = useTestApp();
let w: World;
const NOW = new Date('2026-12-03T23:30:00+08:00');
const ids: Record<string, string> = {};

const list = (auth: string, query: string) =>
  atTime(NOW, async () => t.http.get(`/api/v1/authorizations?${query}`).set('Authorization', auth));
const numbersOf = (body: { items: { id: string }[] }) =>
  body.items.map((a) => Object.keys(ids).find((k) => ids[k] === a.id) ?? 'other');

beforeAll(async () => {
  w = await makeWorld(t.config);
  const r = await makeResource(w.authority);
  // validTo as a bare date: the end of that Shanghai day.
  const terms: Record<string, string> = {
    today: '2026-12-03', // 0 days left
    in7: '2026-12-10',
    in8: '2026-12-11',
    in30: '2027-01-02',
    in31: '2027-01-03',
    ended: '2026-12-02',
    revoked: '2026-12-05',
    suspended: '2026-12-06',
  };
  for (const [name, validTo] of Object.entries(terms)) {
    const a = await atTime(NOW, () =>
      grant(t, w.authority, w.provider, [r], { validFrom: '2026-01-01', validTo, purpose: `到期提醒 ${name}` }),
    );
    ids[name] = a.id;
  }
  for (const action of ['revoke', 'suspend'] as const) {
    const id = ids[action === 'revoke' ? 'revoked' : 'suspended']!;
    const res = await atTime(NOW, async () =>
      t.http
        .post(`/api/v1/authorizations/${id}/${action}`)
        .set('Authorization', w.authority.auth)
        .send({ reason: '测试' }),
    );
    expect(res.status).toBe(200);
  }
});

describe('authorizations expiring within N days (expiry banners)', () => {
  it('when asked for 7 days at 23:30 Shanghai, then those ending today through the 7th day come, soonest first, not revoked or ended ones', async () => {
    const res = await list(w.authority.auth, 'expiringWithinDays=7');
    expect(res.status).toBe(200);
    expect(numbersOf(res.body)).toEqual(['today', 'suspended', 'in7']);
    expect(res.body.total).toBe(3);
    const active = await list(w.authority.auth, 'expiringWithinDays=7&status=active');
    expect(numbersOf(active.body)).toEqual(['today', 'in7']);
  });

  it('when asked for 30 days, then the 30th day is in and the 31st is not; the operator sees its own the same', async () => {
    const authority = await list(w.authority.auth, 'expiringWithinDays=30&status=active');
    expect(numbersOf(authority.body)).toEqual(['today', 'in7', 'in8', 'in30']);
    const operator = await list(w.provider.auth, 'expiringWithinDays=30&status=active');
    expect(numbersOf(operator.body)).toEqual(['today', 'in7', 'in8', 'in30']);
    expect(operator.body.items[0]).toMatchObject({
      operator: { name: w.provider.org.name },
      effectiveStatus: 'active',
    });
    const other = await list(w.otherProvider.auth, 'expiringWithinDays=30');
    expect(other.body.total).toBe(0);
  });

  it('when the number of days is out of 1–365 (422) or not a whole number (400), then a problem naming the parameter', async () => {
    const cases: [string, number][] = [
      ['0', 422],
      ['366', 422],
      ['-1', 422],
      ['', 422],
      ['2.5', 400],
      ['abc', 400],
    ];
    for (const [bad, status] of cases) {
      const res = await list(w.authority.auth, `expiringWithinDays=${bad}`);
      expect([bad, res.status]).toEqual([bad, status]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('query.expiringWithinDays');
    }
    const buyer = await makeActor(t.config, 'buyer');
    expect((await list(buyer.auth, 'expiringWithinDays=30')).status).toBe(403);
  });
});
