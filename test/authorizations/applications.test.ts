import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ApplicationModel } from '../../server/src/modules/authorizations/application.model';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { drainNotifications } from '../../server/src/modules/notifications/notifications.service';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { daysFromNow, makeResource } from '../listings/world';

const t = useTestApp();
let authority: Actor;
let operator: Actor;
let otherOperator: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
  operator = await makeActor(t.config, 'provider');
  otherOperator = await makeActor(t.config, 'provider');
});

async function applied(over: Record<string, unknown> = {}) {
  const resource = await makeResource(authority);
  const res = await t.http
    .post('/api/v1/authorization-applications')
    .set('Authorization', operator.auth)
    .send({
      resourceIds: [String(resource._id)],
      purpose: '城市交通客流分析产品开发',
      allowedProductTypes: ['dataset', 'report'],
      allowedDeliveryModes: ['download'],
      validFrom: daysFromNow(1).slice(0, 10),
      validTo: daysFromNow(366).slice(0, 10),
      ...over,
    });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}
const decide = (who: Actor, id: string, body: object) =>
  t.http.post(`/api/v1/authorization-applications/${id}/decision`).set('Authorization', who.auth).send(body);

describe('authorization applications (授权运营申请)', () => {
  it('when the authority approves an application, then it is granted once through the grant service and the operator is told', async () => {
    const a = await applied();
    expect(a.status).toBe('pending');
    await drainNotifications();
    expect(await NotificationModel.exists({ userId: authority.user.id, kind: 'authorization.applied' })).not.toBeNull();

    const ok = await decide(authority, a.id, { decision: 'approve', feeCaps: { one_time: 1_000_000 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      decision: { number: expect.stringMatching(/^SQ-\d{4}-\d{6}$/) },
    });
    const granted = await AuthorizationModel.findById(ok.body.decision.authorizationId).lean();
    expect(granted).toMatchObject({
      operatorOrgId: operator.org._id,
      purpose: '城市交通客流分析产品开发',
      status: 'active',
    });
    expect(granted!.feeCaps).toMatchObject({ one_time: 1_000_000 });
    expect(await LedgerEntryModel.countDocuments({ type: 'authorization.granted', ref: String(granted!._id) })).toBe(1);
    expect((await decide(authority, a.id, { decision: 'reject', reasons: '重复' })).status).toBe(409);
    expect(await AuthorizationModel.countDocuments({ operatorOrgId: operator.org._id })).toBe(1);
    await drainNotifications();
    expect(await NotificationModel.exists({ userId: operator.user.id, kind: 'authorization.approved' })).not.toBeNull();
  });

  it('when the authority rejects without reasons, then it is refused; with reasons the application is rejected and nothing is granted', async () => {
    const a = await applied();
    expect((await decide(authority, a.id, { decision: 'reject' })).status).toBe(422);
    expect((await decide(operator, a.id, { decision: 'approve' })).status).toBe(403);
    const no = await decide(authority, a.id, { decision: 'reject', reasons: '用途与资源开放属性不符' });
    expect(no.status).toBe(200);
    expect(no.body).toMatchObject({ status: 'rejected', decision: { reasons: '用途与资源开放属性不符' } });
    expect(
      await AuthorizationModel.countDocuments({ operatorOrgId: operator.org._id, purpose: '城市交通客流分析产品开发' }),
    ).toBe(1);
  });

  it('when two approvals race, then one authorization is granted', async () => {
    const a = await applied({ purpose: '并发审批测试' });
    const results = await Promise.all([1, 2, 3].map(() => decide(authority, a.id, { decision: 'approve' })));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(await AuthorizationModel.countDocuments({ purpose: '并发审批测试' })).toBe(1);
  });

  it("when an operator renews, then it may renew only its own authorization; a closed resource's approval decides nothing", async () => {
    const mine = await AuthorizationModel.findOne({ operatorOrgId: operator.org._id }).lean();
    const renewal = await applied({ renewalOf: String(mine!._id), purpose: '续期：城市交通客流分析' });
    expect(renewal.status).toBe('pending');
    const foreign = await t.http
      .post('/api/v1/authorization-applications')
      .set('Authorization', otherOperator.auth)
      .send({
        resourceIds: [String(mine!.resourceIds[0])],
        purpose: '冒名续期',
        allowedProductTypes: ['dataset'],
        allowedDeliveryModes: ['download'],
        validFrom: '2027-01-01',
        validTo: '2027-12-31',
        renewalOf: String(mine!._id),
      });
    expect(foreign.status).toBe(422);

    const closed = await makeResource(authority, { openness: 'closed' });
    const bad = await applied({ resourceIds: [String(closed._id)], purpose: '不予开放资源申请' });
    const refused = await decide(authority, bad.id, { decision: 'approve' });
    expect(refused.status).toBe(422);
    expect((await ApplicationModel.findById(bad.id).lean())!.status).toBe('pending');
    const rejected = await decide(authority, bad.id, { decision: 'reject', reasons: '资源不予开放' });
    expect(rejected.status).toBe(200);

    const mineList = await t.http.get('/api/v1/authorization-applications').set('Authorization', otherOperator.auth);
    expect(mineList.body.total).toBe(0);
    const all = await t.http
      .get('/api/v1/authorization-applications?status=pending')
      .set('Authorization', authority.auth);
    expect(all.body.items.map((x: { id: string }) => x.id)).toContain(renewal.id);
  });
});

describe('the applications list (queue and own list)', () => {
  it('when listed without a status, then pending ones come first across pages, each with the operator, the resources and the renewed authorization named', async () => {
    const applicant = await makeActor(t.config, 'provider', { orgName: '中原数据运营有限公司（队列）' });
    const resource = await makeResource(authority);
    const held = await AuthorizationModel.findOne({ operatorOrgId: operator.org._id }).lean();
    const apply = async (purpose: string, who = applicant, over: object = {}) => {
      const res = await t.http
        .post('/api/v1/authorization-applications')
        .set('Authorization', who.auth)
        .send({
          resourceIds: [String(resource._id)],
          purpose,
          allowedProductTypes: ['dataset'],
          allowedDeliveryModes: ['download'],
          validFrom: '2027-01-01',
          validTo: '2027-12-31',
          ...over,
        });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    };
    const first = await apply('队列一');
    const second = await apply('队列二');
    const third = await apply('队列三');
    expect((await decide(authority, second.id, { decision: 'reject', reasons: '用途不明确' })).status).toBe(200);

    const page = (n: number) =>
      t.http.get(`/api/v1/authorization-applications?pageSize=2&page=${n}`).set('Authorization', applicant.auth);
    const one = await page(1);
    const two = await page(2);
    expect(one.body.total).toBe(3);
    expect(one.body.items.map((a: { id: string }) => a.id)).toEqual([third.id, first.id]);
    expect(two.body.items.map((a: { id: string }) => a.id)).toEqual([second.id]);
    expect(two.body.items[0]).toMatchObject({ status: 'rejected', decision: { reasons: '用途不明确' } });
    expect(one.body.items[0]).toMatchObject({
      operator: { id: applicant.org.id, name: '中原数据运营有限公司（队列）' },
      resources: [{ id: String(resource._id), registrationNumber: resource.registrationNumber, name: resource.name }],
      renewal: null,
    });

    const renewal = await apply('续期申请', operator, { renewalOf: String(held!._id) });
    const queue = await t.http
      .get('/api/v1/authorization-applications?pageSize=100')
      .set('Authorization', authority.auth);
    const statuses: string[] = queue.body.items.map((a: { status: string }) => a.status);
    expect(statuses.indexOf('pending')).toBe(0);
    expect(statuses.lastIndexOf('pending')).toBeLessThan(statuses.findIndex((s) => s !== 'pending'));
    expect(queue.body.items.find((a: { id: string }) => a.id === renewal.id)).toMatchObject({
      renewal: { id: String(held!._id), number: held!.number, feeCaps: { one_time: 1_000_000 } },
    });
  });
});
