import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { effectiveStatus, isAuthorizationUsable } from '../../server/src/modules/authorizations/authorization.policy';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { sweepOutbox } from '../../server/src/modules/ledger/outbox';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { isListingPurchasable } from '../../server/src/modules/listings/listing.policy';
import { armFault, disarmFaults } from '../../server/src/platform/faults';
import { useTestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import {
  createListing,
  daysFromNow,
  grant,
  listingBody,
  listProduct,
  makeResource,
  makeWorld,
  type World,
} from '../listings/world';

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});
afterEach(() => disarmFaults());

const post = (path: string, auth: string, body: unknown = {}) =>
  t.http
    .post(`/api/v1${path}`)
    .set('Authorization', auth)
    .send(body as object);

function grantBody(resourceIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    operatorOrgId: w.provider.org.id,
    resourceIds,
    purpose: '公交客流分析',
    allowedProductTypes: ['dataset'],
    allowedDeliveryModes: ['download', 'sandbox'],
    validFrom: daysFromNow(-1),
    validTo: daysFromNow(365),
    feeCaps: { one_time: 100_000 },
    ...overrides,
  };
}

async function authorizationsAndLedger() {
  return {
    authorizations: await AuthorizationModel.countDocuments(),
    ledger: await LedgerEntryModel.countDocuments(),
  };
}

describe('granting', () => {
  it('when the authority grants over registered public resources, then 201 with an SQ number, active, and one authorization.granted entry', async () => {
    const r1 = await makeResource(w.authority);
    const r2 = await makeResource(w.authority, { openness: 'unconditional', grade: 'important', level: undefined });
    const res = await post('/authorizations', w.authority.auth, grantBody([r1.id, r2.id]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^SQ-\d{4}-\d{6}$/),
      status: 'active',
      effectiveStatus: 'active',
      authorityOrgId: w.authority.org.id,
      operatorOrgId: w.provider.org.id,
      feeCaps: { one_time: 100_000 },
      operator: { id: w.provider.org.id, name: w.provider.org.name },
    });
    expect(res.body.resources.map((r: { id: string }) => r.id)).toEqual([r1.id, r2.id]);
    expect(res.body).not.toHaveProperty('outbox');

    const stored = await AuthorizationModel.findById(res.body.id).lean();
    expect(stored).toMatchObject({ status: 'active', number: res.body.number });
    expect((stored as unknown as { outbox: unknown[] }).outbox).toHaveLength(0);
    const entries = await LedgerEntryModel.find({ type: 'authorization.granted', ref: res.body.id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.orgIds).toEqual([w.authority.org.id, w.provider.org.id].sort());
  });

  it.each([
    ['closed', { openness: 'closed' as const }, /closed/],
    ['core', { grade: 'core' as const, level: undefined }, /core/],
    ['not registered', { status: 'draft' as const }, /not registered/],
    ['retired', { status: 'retired' as const }, /not registered/],
  ])(
    'when a resource is %s, then 422 naming it and the rule, and nothing is stored',
    async (_what, overrides, message) => {
      const ok = await makeResource(w.authority);
      const bad = await makeResource(w.authority, overrides);
      const before = await authorizationsAndLedger();
      const res = await post('/authorizations', w.authority.auth, grantBody([ok.id, bad.id]));
      expect(res.status).toBe(422);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].path).toBe('resourceIds.1');
      expect(res.body.errors[0].message).toMatch(message);
      if (bad.registrationNumber) expect(res.body.errors[0].message).toContain(bad.registrationNumber);
      expect(await authorizationsAndLedger()).toEqual(before);
    },
  );

  it("when a resource is a provider's enterprise data or does not exist, then 422", async () => {
    const own = await makeResource(w.provider, { kind: 'enterprise' });
    const res = await post('/authorizations', w.authority.auth, grantBody([own.id, '0123456789abcdef01234567']));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['resourceIds.0', 'resourceIds.1']);
    expect(res.body.errors[0].message).toMatch(/not a public resource/);
    expect(res.body.errors[1].message).toMatch(/does not exist/);
  });

  it('when the operator organisation does not exist, then 422', async () => {
    const r = await makeResource(w.authority);
    const res = await post(
      '/authorizations',
      w.authority.auth,
      grantBody([r.id], { operatorOrgId: '0123456789abcdef01234567' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('operatorOrgId');
  });

  it('when the body is malformed, then 400/422 and nothing is stored', async () => {
    const r = await makeResource(w.authority);
    const before = await authorizationsAndLedger();
    const backwards = await post(
      '/authorizations',
      w.authority.auth,
      grantBody([r.id], { validFrom: daysFromNow(10), validTo: daysFromNow(1) }),
    );
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].path).toBe('body.validTo');
    const unknown = await post('/authorizations', w.authority.auth, { ...grantBody([r.id]), status: 'revoked' });
    expect(unknown.status).toBe(400);
    const floatCap = await post(
      '/authorizations',
      w.authority.auth,
      grantBody([r.id], { feeCaps: { one_time: 10.5 } }),
    );
    expect(floatCap.status).toBe(400); // zod: not an integer is a type error
    const injection = await post(
      '/authorizations',
      w.authority.auth,
      grantBody([r.id], { operatorOrgId: { $gt: '' } }),
    );
    expect(injection.status).toBe(400);
    expect(await authorizationsAndLedger()).toEqual(before);
  });

  it('when a provider, exchange, buyer or anonymous caller grants, then 403/401', async () => {
    const r = await makeResource(w.authority);
    for (const actor of [w.provider, w.exchange, w.buyer, w.regulator]) {
      expect((await post('/authorizations', actor.auth, grantBody([r.id]))).status).toBe(403);
    }
    expect((await t.http.post('/api/v1/authorizations').send(grantBody([r.id]))).status).toBe(401);
  });

  it('when two grants race, then both get distinct numbers', async () => {
    const r = await makeResource(w.authority);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => post('/authorizations', w.authority.auth, grantBody([r.id]))),
    );
    expect(results.map((x) => x.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((x) => x.body.number)).size).toBe(4);
  });
});

describe('status is derived from the date', () => {
  const a = (status: string, from: number, to: number) => ({
    status,
    validFrom: new Date(Date.now() + from * 86400_000),
    validTo: new Date(Date.now() + to * 86400_000),
  });

  it('when the term is over, then the effective status is expired without anything stored', () => {
    expect(effectiveStatus(a('active', -10, -1))).toBe('expired');
    expect(effectiveStatus(a('suspended', -10, -1))).toBe('expired');
    expect(effectiveStatus(a('revoked', -10, -1))).toBe('revoked');
    expect(effectiveStatus(a('active', -10, 10))).toBe('active');
    expect(effectiveStatus(a('suspended', -10, 10))).toBe('suspended');
  });

  it('when the term has not begun, is over, or the authorization is not active, then it is not usable', () => {
    expect(isAuthorizationUsable(a('active', -10, 10))).toBe(true);
    expect(isAuthorizationUsable(a('active', 1, 10))).toBe(false);
    expect(isAuthorizationUsable(a('active', -10, -1))).toBe(false);
    expect(isAuthorizationUsable(a('suspended', -10, 10))).toBe(false);
    expect(isAuthorizationUsable(a('revoked', -10, 10))).toBe(false);
    const edge = new Date('2026-06-30T16:00:00Z');
    expect(isAuthorizationUsable({ status: 'active', validFrom: edge, validTo: edge }, edge)).toBe(true);
  });

  it('when an authorization granted with a past term is listed, then it shows as expired and the expired filter finds it', async () => {
    const r = await makeResource(w.authority);
    const old = await grant(t, w.authority, w.provider, [r], {
      validFrom: daysFromNow(-400),
      validTo: daysFromNow(-35),
    });
    expect(old.effectiveStatus).toBe('expired');
    expect((await AuthorizationModel.findById(old.id).lean())!.status).toBe('active');
    const res = await t.http.get('/api/v1/authorizations?status=expired').set('Authorization', w.authority.auth);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(old.id);
    const active = await t.http
      .get('/api/v1/authorizations?status=active&pageSize=100')
      .set('Authorization', w.authority.auth);
    expect(active.body.items.map((i: { id: string }) => i.id)).not.toContain(old.id);
  });
});

describe('who sees what', () => {
  it('when each role lists authorizations, then the authority sees those it granted, a provider those it operates, exchange and regulator all, a buyer 403', async () => {
    const other = await makeWorld(t.config);
    const r1 = await makeResource(w.authority);
    const r2 = await makeResource(other.authority);
    const mine = await grant(t, w.authority, w.provider, [r1]);
    const theirs = await grant(t, other.authority, other.provider, [r2]);
    const ids = async (auth: string) => {
      const res = await t.http.get('/api/v1/authorizations?pageSize=100').set('Authorization', auth);
      expect(res.status).toBe(200);
      for (const item of res.body.items) expect(item.effectiveStatus).toEqual(expect.any(String));
      return res.body.items.map((i: { id: string }) => i.id) as string[];
    };
    expect(await ids(w.authority.auth)).toContain(mine.id);
    expect(await ids(w.authority.auth)).not.toContain(theirs.id);
    expect(await ids(w.provider.auth)).toContain(mine.id);
    expect(await ids(w.provider.auth)).not.toContain(theirs.id);
    expect(await ids(other.provider.auth)).toEqual([theirs.id]);
    expect(await ids(w.exchange.auth)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await ids(w.regulator.auth)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect((await t.http.get('/api/v1/authorizations').set('Authorization', w.buyer.auth)).status).toBe(403);
    expect((await t.http.get('/api/v1/authorizations')).status).toBe(401);

    const filtered = await t.http
      .get(`/api/v1/authorizations?operator=${other.provider.org.id}`)
      .set('Authorization', w.provider.auth);
    expect(filtered.body).toMatchObject({ items: [], total: 0 });
    const byResource = await t.http
      .get(`/api/v1/authorizations?resource=${r2.id}`)
      .set('Authorization', w.exchange.auth);
    expect(byResource.body.items.map((i: { id: string }) => i.id)).toEqual([theirs.id]);

    expect((await t.http.get(`/api/v1/authorizations/${mine.id}`).set('Authorization', w.provider.auth)).status).toBe(
      200,
    );
    expect(
      (await t.http.get(`/api/v1/authorizations/${mine.id}`).set('Authorization', other.provider.auth)).status,
    ).toBe(404);
    expect(
      (await t.http.get(`/api/v1/authorizations/${mine.id}`).set('Authorization', other.authority.auth)).status,
    ).toBe(404);
    expect(
      (await t.http.get(`/api/v1/authorizations/0123456789abcdef01234567`).set('Authorization', other.authority.auth))
        .status,
    ).toBe(404);
    expect((await t.http.get(`/api/v1/authorizations/not-an-id`).set('Authorization', w.exchange.auth)).status).toBe(
      422,
    );
  });

  it('when another authority tries to suspend or revoke, then 404 and nothing changes', async () => {
    const other = await makeActor(t.config, 'authority');
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    for (const action of ['suspend', 'revoke']) {
      expect((await post(`/authorizations/${a.id}/${action}`, other.auth, { reason: '越权操作' })).status).toBe(404);
    }
    expect((await post(`/authorizations/${a.id}/revoke`, w.provider.auth, { reason: '越权操作' })).status).toBe(403);
    expect((await AuthorizationModel.findById(a.id).lean())!.status).toBe('active');
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(0);
  });
});

describe('suspend, resume, revoke', () => {
  async function authorizationWithListings() {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const l1 = await listProduct(t, w, w.provider, listingBody([r], a.id));
    const l2 = await listProduct(
      t,
      w,
      w.provider,
      listingBody([r], a.id, { title: '郑州公交客流沙箱', deliveryMode: 'sandbox' }),
    );
    const draft = await createListing(t, w.provider, listingBody([r], a.id, { title: '草稿产品' }));
    return { r, a, listed: [l1, l2], draft };
  }

  async function purchasable(listingId: string) {
    const l = await ListingModel.findById(listingId).lean();
    const a = l!.authorizationId ? await AuthorizationModel.findById(l!.authorizationId).lean() : null;
    return isListingPurchasable(l!, a);
  }

  it('when the authority suspends, then every listed product under it is suspended and not purchasable; resume restores exactly those', async () => {
    const { a, listed, draft } = await authorizationWithListings();
    // One product was delisted before: resume must not bring it back.
    const delisted = listed[1]!;
    expect((await post(`/listings/${delisted.id}/delist`, w.provider.auth, { reason: '下架' })).status).toBe(200);

    const s = await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '数据安全检查' });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ status: 'suspended', effectiveStatus: 'suspended', statusReason: '数据安全检查' });
    expect(await ListingModel.findById(listed[0]!.id).lean()).toMatchObject({
      status: 'suspended',
      suspendedBy: 'authorization',
    });
    expect((await ListingModel.findById(delisted.id).lean())!.status).toBe('delisted');
    expect((await ListingModel.findById(draft.id).lean())!.status).toBe('draft');
    expect(await purchasable(listed[0]!.id)).toBe(false);
    expect((await t.http.get(`/api/v1/listings/${listed[0]!.id}`)).status).toBe(404);
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(0);

    expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '再次暂停' })).status).toBe(409);

    const r = await post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '检查通过' });
    expect(r.status).toBe(200);
    expect(r.body.effectiveStatus).toBe('active');
    const restored = await ListingModel.findById(listed[0]!.id).lean();
    expect(restored!.status).toBe('listed');
    expect(restored!.suspendedBy).toBeUndefined();
    expect((await ListingModel.findById(delisted.id).lean())!.status).toBe('delisted');
    expect(await purchasable(listed[0]!.id)).toBe(true);
    expect((await post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '重复' })).status).toBe(409);
  });

  it('when the authority revokes, then dependent listings are suspended for good, nothing is purchasable, and authorization.revoked is appended once', async () => {
    const { a, listed } = await authorizationWithListings();
    const res = await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '违反授权协议' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', effectiveStatus: 'revoked', statusReason: '违反授权协议' });
    expect(res.body.revokedAt).toEqual(expect.any(String));
    for (const l of listed) {
      expect(await ListingModel.findById(l.id).lean()).toMatchObject({
        status: 'suspended',
        suspendedBy: 'authorization',
      });
      expect(await purchasable(l.id)).toBe(false);
    }
    const entries = await LedgerEntryModel.find({ type: 'authorization.revoked', ref: a.id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.authorizationId).toBe(a.id);

    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '再次撤销' })).status).toBe(409);
    expect((await post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '恢复' })).status).toBe(409);
    expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '暂停' })).status).toBe(409);
    for (const l of listed) expect((await ListingModel.findById(l.id).lean())!.status).toBe('suspended');
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(1);

    // The provider can still delist a suspended product; it cannot be listed again under this authorization.
    expect((await post(`/listings/${listed[0]!.id}/delist`, w.provider.auth, { reason: '授权撤销' })).status).toBe(200);
    const resubmit = await post(`/listings/${listed[0]!.id}/submit`, w.provider.auth);
    expect(resubmit.status).toBe(200);
    expect(resubmit.body.checklist.find((r: { rule: string }) => r.rule === 'authorization-active').ok).toBe(false);
    expect((await post(`/listings/${listed[0]!.id}/review`, w.exchange.auth, { decision: 'approve' })).status).toBe(
      422,
    );
  });

  it('when a suspended authorization is revoked, then it is revoked and its listings stay suspended', async () => {
    const { a, listed } = await authorizationWithListings();
    expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '暂停' })).status).toBe(200);
    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '撤销' })).status).toBe(200);
    expect((await ListingModel.findById(listed[0]!.id).lean())!.status).toBe('suspended');
    expect((await post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '恢复' })).status).toBe(409);
  });

  it('when the process dies before the revocation reached the ledger, then the outbox sweep appends it once and the listings are suspended', async () => {
    const { a, listed } = await authorizationWithListings();
    armFault('outbox.beforeAppend');
    const res = await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '撤销' });
    expect(res.status).toBe(500);
    expect((await AuthorizationModel.findById(a.id).lean())!.status).toBe('revoked');
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(0);
    // Even before the sweep nothing can be bought: the authorization itself is revoked.
    for (const l of listed) expect(await purchasable(l.id)).toBe(false);

    await ListingModel.updateOne({ _id: listed[0]!.id }, { $set: { status: 'listed' }, $unset: { suspendedBy: 1 } });
    await sweepOutbox();
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(1);
    expect((await ListingModel.findById(listed[0]!.id).lean())!.status).toBe('suspended');
    await sweepOutbox();
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.revoked', ref: a.id })).toBe(1);
  });

  it('when a resume and a revoke race, then the authorization ends revoked and its listings suspended, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const { a, listed } = await authorizationWithListings();
      expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '暂停' })).status).toBe(200);
      const results = await Promise.all([
        post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '恢复' }),
        post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '撤销' }),
      ]);
      expect(results[1]!.status).toBe(200);
      const detail = await t.http.get(`/api/v1/authorizations/${a.id}`).set('Authorization', w.authority.auth);
      expect(detail.body.effectiveStatus).toBe('revoked');
      for (const l of listed) {
        expect((await ListingModel.findById(l.id).lean())!.status).toBe('suspended');
        expect(await purchasable(l.id)).toBe(false);
      }
    }
  });

  it('when a racing write left status active on a revoked authorization, then revokedAt keeps it revoked', async () => {
    const { a, listed } = await authorizationWithListings();
    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '撤销' })).status).toBe(200);
    await AuthorizationModel.updateOne({ _id: a.id }, { $set: { status: 'active' } });
    await ListingModel.updateOne({ _id: listed[0]!.id }, { $set: { status: 'listed' } });
    expect(await purchasable(listed[0]!.id)).toBe(false);
    expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '暂停' })).status).toBe(409);
    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: '撤销' })).status).toBe(409);
    const revoked = await t.http
      .get('/api/v1/authorizations?status=revoked&pageSize=100')
      .set('Authorization', w.authority.auth);
    expect(revoked.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
    const active = await t.http
      .get('/api/v1/authorizations?status=active&pageSize=100')
      .set('Authorization', w.authority.auth);
    expect(active.body.items.map((i: { id: string }) => i.id)).not.toContain(a.id);
  });

  it('when an expired authorization is resumed, then 409', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    expect((await post(`/authorizations/${a.id}/suspend`, w.authority.auth, { reason: '暂停' })).status).toBe(200);
    await AuthorizationModel.updateOne({ _id: a.id }, { $set: { validTo: new Date(Date.now() - 1000) } });
    expect((await post(`/authorizations/${a.id}/resume`, w.authority.auth, { reason: '恢复' })).status).toBe(409);
    expect((await AuthorizationModel.findById(a.id).lean())!.status).toBe('suspended');
  });

  it('when the reason is missing, then 4xx and nothing changes', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, {})).status).toBe(400);
    expect((await post(`/authorizations/${a.id}/revoke`, w.authority.auth, { reason: 'x' })).status).toBe(422);
    expect((await AuthorizationModel.findById(a.id).lean())!.status).toBe('active');
  });

  it('when the authorization detail is read, then it lists the products built on it', async () => {
    const { a, listed, draft } = await authorizationWithListings();
    const asProvider = await t.http.get(`/api/v1/authorizations/${a.id}`).set('Authorization', w.provider.auth);
    expect(asProvider.body.listings.map((l: { id: string }) => l.id)).toEqual(
      expect.arrayContaining([...listed.map((l) => l.id), draft.id]),
    );
    const asAuthority = await t.http.get(`/api/v1/authorizations/${a.id}`).set('Authorization', w.authority.auth);
    expect(asAuthority.body.listings.map((l: { id: string }) => l.id).sort()).toEqual(listed.map((l) => l.id).sort());
  });
});
