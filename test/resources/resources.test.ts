import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, personCsv, resourceBody, storedFileCount, uploadSample } from './fixtures';

const t = useTestApp();
let authority: Actor;
let provider: Actor;
let otherAuthority: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
  provider = await makeActor(t.config, 'provider');
  otherAuthority = await makeActor(t.config, 'authority');
});

async function registered(actor: Actor, over = {}): Promise<string> {
  const id = await createDraft(t, actor, over);
  expect((await uploadSample(t, actor, id, Buffer.from(personCsv()), 'p.csv')).status).toBe(200);
  expect((await t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', actor.auth).send({})).status).toBe(
    200,
  );
  return id;
}

describe('creating drafts', () => {
  it('when the authority creates a resource, then it is a public draft owned by its organisation', async () => {
    const res = await t.http.post('/api/v1/resources').set('Authorization', authority.auth).send(resourceBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'public',
      status: 'draft',
      ownerOrgId: authority.org.id,
      name: '河南省气象观测数据',
      regionCode: '410000',
    });
    expect(res.body.searchTerms).toBeUndefined();
    expect(res.body.outbox).toBeUndefined();
    const stored = await ResourceModel.findById(res.body.id).lean();
    expect(stored!.searchTerms).toEqual(expect.arrayContaining(['气象', '河南', '观测']));
    expect(String(stored!.createdBy)).toBe(authority.user.id);
  });

  it('when a provider creates a resource, then it is enterprise data of its own organisation', async () => {
    const res = await t.http
      .post('/api/v1/resources')
      .set('Authorization', provider.auth)
      .send(resourceBody({ name: '企业物流轨迹数据', domain: 'transport', regionCode: '410105' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'enterprise', ownerOrgId: provider.org.id });
  });

  it.each(['buyer', 'exchange', 'regulator', 'admin'] as const)(
    'when a %s creates a resource, then 403',
    async (role) => {
      const actor = await makeActor(t.config, role);
      const before = await ResourceModel.countDocuments();
      const res = await t.http.post('/api/v1/resources').set('Authorization', actor.auth).send(resourceBody());
      expect(res.status).toBe(403);
      expect(await ResourceModel.countDocuments()).toBe(before);
    },
  );

  it.each(['419999', '410381', '990000', '4101'])(
    'when the region code is %s (not a current GB/T 2260 code), then 422 and nothing is stored',
    async (regionCode) => {
      const before = await ResourceModel.countDocuments();
      const res = await t.http
        .post('/api/v1/resources')
        .set('Authorization', authority.auth)
        .send(resourceBody({ regionCode }));
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.regionCode');
      expect(await ResourceModel.countDocuments()).toBe(before);
    },
  );

  it.each(['410100', '411726', '419001', '440000'])('when the region code is %s, then it is accepted', async (code) => {
    await createDraft(t, authority, { regionCode: code });
  });

  it('when the body has an unknown field or an operator, then 400 and nothing is stored', async () => {
    const before = await ResourceModel.countDocuments();
    const extra = await t.http
      .post('/api/v1/resources')
      .set('Authorization', authority.auth)
      .send({ ...resourceBody(), status: 'registered' });
    expect(extra.status).toBe(400);
    const injected = await t.http
      .post('/api/v1/resources')
      .set('Authorization', authority.auth)
      .send({ ...resourceBody(), name: { $gt: '' } });
    expect(injected.status).toBe(400);
    expect(await ResourceModel.countDocuments()).toBe(before);
  });

  it('when a required field is missing, then 400 naming it', async () => {
    const { holderDepartment: _omit, ...body } = resourceBody();
    const res = await t.http.post('/api/v1/resources').set('Authorization', authority.auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.holderDepartment');
  });
});

describe('editing drafts', () => {
  it('when the owner edits a draft, then the fields and the search terms change and nothing else', async () => {
    const id = await createDraft(t, authority, { name: '旧名称资源' });
    expect((await ResourceModel.findById(id).lean())!.searchTerms).toContain('旧名');
    const res = await t.http
      .patch(`/api/v1/resources/${id}`)
      .set('Authorization', authority.auth)
      .send({ name: '郑州市公交线路数据', regionCode: '410100' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: '郑州市公交线路数据',
      regionCode: '410100',
      holderDepartment: '河南省气象局',
    });
    expect(res.body.description).toBe(resourceBody().description);
    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.searchTerms).toEqual(expect.arrayContaining(['公交', '郑州']));
    expect(stored!.searchTerms).not.toContain('旧名');
  });

  it('when another organisation edits the draft, then 404; a bad region is 422; both change nothing', async () => {
    const id = await createDraft(t, authority);
    const before = await ResourceModel.findById(id).lean();
    const other = await t.http.patch(`/api/v1/resources/${id}`).set('Authorization', otherAuthority.auth).send({
      name: '篡改',
    });
    expect(other.status).toBe(404);
    const bad = await t.http
      .patch(`/api/v1/resources/${id}`)
      .set('Authorization', authority.auth)
      .send({ regionCode: '419999' });
    expect(bad.status).toBe(422);
    expect(await ResourceModel.findById(id).lean()).toEqual(before);
  });

  it('when a registered resource is edited or given a new sample, then 409 and nothing changes', async () => {
    const id = await registered(authority);
    const before = await ResourceModel.findById(id).lean();
    const files = await storedFileCount();
    const edit = await t.http.patch(`/api/v1/resources/${id}`).set('Authorization', authority.auth).send({
      name: '改名',
    });
    expect(edit.status).toBe(409);
    const sample = await uploadSample(t, authority, id, Buffer.from('a,b\n1,2\n'), 'x.csv');
    expect(sample.status).toBe(409);
    expect(await storedFileCount()).toBe(files);
    expect(await ResourceModel.findById(id).lean()).toEqual(before);
  });
});

describe('visibility', () => {
  let draftId: string;
  let registeredId: string;
  beforeAll(async () => {
    draftId = await createDraft(t, authority, { name: '未登记草稿资源' });
    registeredId = await registered(authority, { name: '已登记人员资源' });
  });

  it('when someone else asks for a draft, then 404; the owner sees it', async () => {
    const buyer = await makeActor(t.config, 'buyer');
    for (const actor of [buyer, otherAuthority, provider]) {
      const res = await t.http.get(`/api/v1/resources/${draftId}`).set('Authorization', actor.auth);
      expect(res.status).toBe(404);
    }
    const own = await t.http.get(`/api/v1/resources/${draftId}`).set('Authorization', authority.auth);
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('draft');
  });

  it('when nobody is signed in, then 401', async () => {
    expect((await t.http.get(`/api/v1/resources/${registeredId}`)).status).toBe(401);
    expect((await t.http.get('/api/v1/resources')).status).toBe(401);
  });

  it('when a buyer lists the catalog, then drafts are absent; the owner sees its own drafts; mine=true only its own', async () => {
    const buyer = await makeActor(t.config, 'buyer');
    const seen = await t.http.get('/api/v1/resources?pageSize=100').set('Authorization', buyer.auth);
    expect(seen.status).toBe(200);
    const ids = seen.body.items.map((r: { id: string }) => r.id);
    expect(ids).toContain(registeredId);
    expect(ids).not.toContain(draftId);
    expect(seen.body.items.every((r: { status: string }) => r.status !== 'draft')).toBe(true);

    const own = await t.http.get('/api/v1/resources?pageSize=100&status=draft').set('Authorization', authority.auth);
    expect(own.body.items.map((r: { id: string }) => r.id)).toContain(draftId);
    expect(own.body.items.every((r: { ownerOrgId: string }) => r.ownerOrgId === authority.org.id)).toBe(true);

    const mine = await t.http.get('/api/v1/resources?pageSize=100&mine=true').set('Authorization', provider.auth);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((r: { ownerOrgId: string }) => r.ownerOrgId === provider.org.id)).toBe(true);
    expect(mine.body.total).toBe(await ResourceModel.countDocuments({ ownerOrgId: provider.org._id }));
  });

  it('when a buyer reads a registered resource, then the scan shows counts but no examples', async () => {
    const buyer = await makeActor(t.config, 'buyer');
    const res = await t.http.get(`/api/v1/resources/${registeredId}`).set('Authorization', buyer.auth);
    expect(res.status).toBe(200);
    const findings = res.body.scan.fields.flatMap((f: { findings: unknown[] }) => f.findings);
    expect(findings.length).toBeGreaterThan(0);
    expect(
      findings.every((f: { examples: string[]; matches: number }) => f.examples.length === 0 && f.matches > 0),
    ).toBe(true);
    const regulator = await makeActor(t.config, 'regulator');
    const full = await t.http.get(`/api/v1/resources/${registeredId}`).set('Authorization', regulator.auth);
    expect(
      full.body.scan.fields.some((f: { findings: { examples: string[] }[] }) => f.findings[0]?.examples.length),
    ).toBe(true);
  });

  it('when the sample is downloaded, then owner, authority, exchange and regulator get it and others 403', async () => {
    for (const role of ['exchange', 'regulator'] as const) {
      const actor = await makeActor(t.config, role);
      const res = await t.http.get(`/api/v1/resources/${registeredId}/sample`).set('Authorization', actor.auth);
      expect(res.status).toBe(200);
      expect(res.text).toBe(personCsv());
    }
    expect(
      (await t.http.get(`/api/v1/resources/${registeredId}/sample`).set('Authorization', otherAuthority.auth)).status,
    ).toBe(200);
    const buyer = await makeActor(t.config, 'buyer');
    expect((await t.http.get(`/api/v1/resources/${registeredId}/sample`).set('Authorization', buyer.auth)).status).toBe(
      403,
    );
    expect(
      (await t.http.get(`/api/v1/resources/${registeredId}/sample`).set('Authorization', provider.auth)).status,
    ).toBe(403);
    // A draft's sample is the owner's only.
    await uploadSample(t, authority, draftId, Buffer.from('a,b\n1,2\n'), 'd.csv');
    const exchange = await makeActor(t.config, 'exchange');
    expect((await t.http.get(`/api/v1/resources/${draftId}/sample`).set('Authorization', exchange.auth)).status).toBe(
      404,
    );
    expect((await t.http.get(`/api/v1/resources/${draftId}/sample`).set('Authorization', authority.auth)).status).toBe(
      200,
    );
  });

  it('when a resource has no sample, then its sample is 404; a malformed id is refused (422)', async () => {
    const id = await createDraft(t, authority);
    expect((await t.http.get(`/api/v1/resources/${id}/sample`).set('Authorization', authority.auth)).status).toBe(404);
    expect((await t.http.get('/api/v1/resources/not-an-id').set('Authorization', authority.auth)).status).toBe(422);
  });
});

describe('retiring', () => {
  it('when the owner retires a registered resource, then it is retired once; drafts and others cannot', async () => {
    const draft = await createDraft(t, authority);
    expect((await t.http.post(`/api/v1/resources/${draft}/retire`).set('Authorization', authority.auth)).status).toBe(
      409,
    );

    const id = await registered(authority);
    const stranger = await t.http.post(`/api/v1/resources/${id}/retire`).set('Authorization', otherAuthority.auth);
    expect(stranger.status).toBe(403);
    expect((await ResourceModel.findById(id).lean())!.status).toBe('registered');

    const res = await t.http.post(`/api/v1/resources/${id}/retire`).set('Authorization', authority.auth);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('retired');
    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.status).toBe('retired');
    expect(stored!.retiredAt).toBeInstanceOf(Date);
    expect(stored!.registrationNumber).toMatch(/^DR-410000-\d{4}-\d{6}$/);

    const again = await t.http.post(`/api/v1/resources/${id}/retire`).set('Authorization', authority.auth);
    expect(again.status).toBe(409);
  });
});
