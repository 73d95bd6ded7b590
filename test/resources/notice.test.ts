import { certificateDigest } from '../../server/src/modules/resources/resources.service';
import { ResourceModel, ResourceRegistrationModel } from '../../server/src/modules/resources/resource.model';
import {
  ObjectionRulingModel,
  RegistrationNoticeModel,
  RegistrationObjectionModel,
  ResourceAmendmentModel,
} from '../../server/src/modules/resources/registration.model';
import { settleDueNotices, settleNotice } from '../../server/src/modules/resources/registration.service';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { atTime } from '../../server/src/platform/clock';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, uploadSample } from './fixtures';

/*
 * 公示 with a real notice period: the clock (platform/clock atTime) is moved past its end, and the
 * settling that a running server does on an interval is called here directly.
 */
const t = useTestApp({ REGISTRATION_NOTICE_WORKING_DAYS: '10' });
let authority: Actor;
let otherAuthority: Actor;
let provider: Actor;
let buyer: Actor;

const CSV = '站点编号,气温\r\nS001,21.5\r\nS002,19.0\r\n';
const DAY = 86_400_000;
const later = (from: Date, days: number) => new Date(from.getTime() + days * DAY);

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
  otherAuthority = await makeActor(t.config, 'authority');
  provider = await makeActor(t.config, 'provider');
  buyer = await makeActor(t.config, 'buyer');
});

async function submitted(owner = authority, over = {}) {
  const id = await createDraft(t, owner, over);
  expect((await uploadSample(t, owner, id, Buffer.from(CSV), 's.csv', 'text/csv')).status).toBe(200);
  const res = await t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', owner.auth).send({});
  expect(res.status).toBe(200);
  return { id, res };
}

const object = (who: Actor, noticeId: string, reason = '该数据集与本单位已登记的资源重复，请核实权属') =>
  t.http
    .post(`/api/v1/registration-notices/${encodeURIComponent(noticeId)}/objections`)
    .set('Authorization', who.auth)
    .send({ reason, contact: '0371-12345678' });
const rule = (
  who: Actor,
  objectionId: string,
  decision: 'uphold' | 'dismiss',
  reasons = '经核实，权属清晰，异议不成立',
) =>
  t.http
    .post(`/api/v1/registration-objections/${objectionId}/ruling`)
    .set('Authorization', who.auth)
    .send({ decision, reasons });
const ledgerOf = (type: string, resourceId: string) => LedgerEntryModel.find({ type, resourceId }).lean();

describe('public notice (公示)', () => {
  it('when the authority submits public data, then it is published for 10 working days without a certificate or ledger entry', async () => {
    const { id, res } = await submitted();
    expect(res.body.certificate).toBeUndefined();
    expect(res.body.resource.status).toBe('publicizing');
    const notice = res.body.notice;
    expect(notice).toMatchObject({ id: `${id}#1`, status: 'publicizing', workingDays: 10, objections: [] });
    expect(new Date(notice.endsAt).getTime()).toBeGreaterThan(Date.now() + 10 * DAY);
    expect(notice.snapshot).toMatchObject({ name: '河南省气象观测数据', ownerOrgName: authority.org.name });

    const stored = await ResourceModel.findById(id).lean();
    expect(stored).toMatchObject({ status: 'publicizing', noticeId: `${id}#1` });
    expect(stored!.registrationNumber).toBeUndefined();
    expect(await ResourceRegistrationModel.exists({ resourceId: id })).toBeNull();
    expect(await ledgerOf('resource.registered', id)).toHaveLength(0);

    // Public: no token needed to see the notices and one notice.
    const list = await t.http.get('/api/v1/registration-notices');
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toContain(`${id}#1`);
    const one = await t.http.get(`/api/v1/registration-notices/${encodeURIComponent(`${id}#1`)}`);
    expect(one.status).toBe(200);
    expect(one.body.snapshot.fields).toHaveLength(2);

    // Frozen while under notice; a second submission is refused.
    const edit = await t.http
      .patch(`/api/v1/resources/${id}`)
      .set('Authorization', authority.auth)
      .send({ recordCount: 1 });
    expect(edit.status).toBe(409);
    const again = await t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', authority.auth).send({});
    expect(again.status).toBe(409);
    expect(await RegistrationNoticeModel.countDocuments({ resourceId: id })).toBe(1);
  });

  it('when the period ends without objections, then the certificate is issued once and resource.registered is appended once', async () => {
    const { id, res } = await submitted();
    const endsAt = new Date(res.body.notice.endsAt);
    // Not yet: the last day of the notice.
    await atTime(new Date(endsAt.getTime() - 1000), () => settleDueNotices());
    expect((await ResourceModel.findById(id).lean())!.status).toBe('publicizing');

    const settled = await atTime(later(endsAt, 1), () => Promise.all([settleDueNotices(), settleDueNotices()]));
    expect(settled.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.status).toBe('registered');
    expect(stored!.registrationNumber).toMatch(/^DR-410000-\d{4}-\d{6}$/);
    expect(stored!.certificate!.digest).toBe(certificateDigest(stored!, stored!.certificate!));
    expect(await ResourceRegistrationModel.countDocuments({ resourceId: id })).toBe(1);
    expect(await ledgerOf('resource.registered', id)).toHaveLength(1);
    const notice = await t.http.get(`/api/v1/registration-notices/${encodeURIComponent(`${id}#1`)}`);
    expect(notice.body).toMatchObject({ status: 'certified', registrationNumber: stored!.registrationNumber });
    // No longer in the list of those under notice.
    const list = await t.http.get('/api/v1/registration-notices');
    expect(list.body.items.map((n: { id: string }) => n.id)).not.toContain(`${id}#1`);
  });

  it('when someone objects, then the certificate waits for the ruling; a dismissal after the period issues it', async () => {
    const { id, res } = await submitted();
    const noticeId = `${id}#1`;
    const filed = await object(buyer, noticeId);
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('重复'),
      contact: '0371-12345678',
    });

    // The public sees that there is an objection, not who filed it or what it says.
    const anonymous = await t.http.get(`/api/v1/registration-notices/${encodeURIComponent(noticeId)}`);
    expect(anonymous.body.objections).toEqual([
      { id: filed.body.id, noticeId, resourceId: id, at: expect.any(String), status: 'pending' },
    ]);
    const asOwner = await t.http
      .get(`/api/v1/registration-notices/${encodeURIComponent(noticeId)}`)
      .set('Authorization', authority.auth);
    expect(asOwner.body.objections[0]).toMatchObject({ reason: filed.body.reason, contact: '0371-12345678' });

    // The registering organisation cannot object to itself; bad bodies change nothing.
    expect((await object(authority, noticeId)).status).toBe(403);
    const short = await t.http
      .post(`/api/v1/registration-notices/${encodeURIComponent(noticeId)}/objections`)
      .set('Authorization', buyer.auth)
      .send({ reason: 'x' });
    expect(short.status).toBe(422);
    const unknown = await t.http
      .post(`/api/v1/registration-notices/${encodeURIComponent(noticeId)}/objections`)
      .set('Authorization', buyer.auth)
      .send({ reason: '理由充分的异议', extra: 1 });
    expect(unknown.status).toBe(400);
    expect(await RegistrationObjectionModel.countDocuments({ noticeId })).toBe(1);

    const endsAt = new Date(res.body.notice.endsAt);
    await atTime(later(endsAt, 2), async () => {
      // Too late to object; the pending objection holds the certificate back.
      const late = await object(provider, noticeId);
      expect(late.status).toBe(409);
      expect(late.body.type).toBe('urn:zdec:problem:notice-closed');
      await settleDueNotices();
      expect((await ResourceModel.findById(id).lean())!.status).toBe('publicizing');

      // Only the authority rules, once, with reasons.
      expect((await rule(buyer, filed.body.id, 'dismiss')).status).toBe(403);
      const noReasons = await t.http
        .post(`/api/v1/registration-objections/${filed.body.id}/ruling`)
        .set('Authorization', otherAuthority.auth)
        .send({ decision: 'dismiss' });
      expect(noReasons.status).toBe(400);
      const ruled = await rule(otherAuthority, filed.body.id, 'dismiss');
      expect(ruled.status).toBe(200);
      expect(ruled.body.objection).toMatchObject({ status: 'dismissed', ruling: { decision: 'dismiss' } });
      expect(ruled.body.notice.status).toBe('certified');
      expect((await rule(otherAuthority, filed.body.id, 'uphold')).status).toBe(409);
    });
    expect(await ObjectionRulingModel.countDocuments({ noticeId })).toBe(1);
    expect((await ResourceModel.findById(id).lean())!.status).toBe('registered');
    expect(await ledgerOf('resource.registered', id)).toHaveLength(1);
  });

  it('when an objection is upheld, then no certificate is issued, the resource is a draft again and can be submitted anew', async () => {
    const { id } = await submitted();
    const filed = await object(provider, `${id}#1`, '字段说明与实际不符，含未脱敏的个人信息');
    const pending = await t.http
      .get('/api/v1/registration-objections?status=pending')
      .set('Authorization', authority.auth);
    expect(pending.status).toBe(200);
    expect(pending.body.items.map((o: { id: string }) => o.id)).toContain(filed.body.id);
    expect(pending.body.items.find((o: { id: string }) => o.id === filed.body.id).notice.name).toBe(
      '河南省气象观测数据',
    );

    const ruled = await rule(authority, filed.body.id, 'uphold', '异议成立：请更正字段说明后重新申请登记');
    expect(ruled.status).toBe(200);
    expect(ruled.body.notice.status).toBe('objection_upheld');
    const draft = await ResourceModel.findById(id).lean();
    expect(draft!.status).toBe('draft');
    expect(draft!.noticeId).toBeUndefined();
    expect(await ResourceRegistrationModel.exists({ resourceId: id })).toBeNull();
    // Far past the end: still nothing certified.
    await atTime(later(new Date(), 60), () => settleDueNotices());
    expect(await ledgerOf('resource.registered', id)).toHaveLength(0);

    const fixed = await t.http
      .patch(`/api/v1/resources/${id}`)
      .set('Authorization', authority.auth)
      .send({ description: '已更正字段说明' });
    expect(fixed.status).toBe(200);
    const resubmitted = await t.http
      .post(`/api/v1/resources/${id}/register`)
      .set('Authorization', authority.auth)
      .send({});
    expect(resubmitted.body.notice.id).toBe(`${id}#2`);
    await atTime(later(new Date(resubmitted.body.notice.endsAt), 1), async () => {
      const n = (await RegistrationNoticeModel.findById(`${id}#2`).lean())!;
      expect((await settleNotice(n as never)).status).toBe('certified');
    });
    expect(await ledgerOf('resource.registered', id)).toHaveLength(1);
  });

  it('when a provider registers its own enterprise data, then there is no notice: it registers at once', async () => {
    const id = await createDraft(t, provider);
    await uploadSample(t, provider, id, Buffer.from(CSV), 's.csv', 'text/csv');
    const res = await t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', provider.auth).send({});
    expect(res.status).toBe(200);
    expect(res.body.certificate.number).toMatch(/^DR-/);
    expect(res.body.notice).toBeUndefined();
    expect(await RegistrationNoticeModel.exists({ resourceId: id })).toBeNull();
  });
});

describe('change, correction and cancellation (变更、更正、注销)', () => {
  async function registeredNow(): Promise<string> {
    const { id, res } = await submitted();
    await atTime(later(new Date(res.body.notice.endsAt), 1), () => settleDueNotices());
    expect((await ResourceModel.findById(id).lean())!.status).toBe('registered');
    return id;
  }
  const amend = (who: Actor, id: string, body: object) =>
    t.http.post(`/api/v1/resources/${id}/amendments`).set('Authorization', who.auth).send(body);

  it('when the owner changes and corrects a registration, then each is its own step with a reason, a new digest and a ledger entry', async () => {
    const id = await registeredNow();
    const before = (await ResourceModel.findById(id).lean())!;

    const changed = await amend(authority, id, {
      kind: 'change',
      reason: '新增观测站，数据量增加',
      changes: { recordCount: 150000, updateFrequency: 'daily' },
    });
    expect(changed.status).toBe(201);
    expect(changed.body.amendment).toMatchObject({ kind: 'change', version: 2, before: { recordCount: 120000 } });
    let stored = (await ResourceModel.findById(id).lean())!;
    expect(stored).toMatchObject({ recordCount: 150000, updateFrequency: 'daily', registrationVersion: 2 });
    expect(stored.registrationNumber).toBe(before.registrationNumber);
    expect(stored.certificate!.digest).not.toBe(before.certificate!.digest);
    expect(stored.certificate!.digest).toBe(certificateDigest(stored, stored.certificate!));
    expect(await ledgerOf('resource.changed', id)).toHaveLength(1);

    const corrected = await amend(authority, id, {
      kind: 'correction',
      reason: '登记时持有部门名称有误',
      changes: { holderDepartment: '河南省气象局信息中心' },
    });
    expect(corrected.status).toBe(201);
    stored = (await ResourceModel.findById(id).lean())!;
    expect(stored).toMatchObject({ holderDepartment: '河南省气象局信息中心', registrationVersion: 3 });
    expect(await ledgerOf('resource.corrected', id)).toHaveLength(1);

    // Refused: a stranger, no reason, an unknown field, nothing to change; none of them changes anything.
    expect(
      (await amend(otherAuthority, id, { kind: 'change', reason: '变更理由', changes: { recordCount: 1 } })).status,
    ).toBe(403);
    expect((await amend(authority, id, { kind: 'change', changes: { recordCount: 1 } })).status).toBe(400);
    expect(
      (await amend(authority, id, { kind: 'change', reason: '变更理由', changes: { grade: 'core' } })).status,
    ).toBe(400);
    expect((await amend(authority, id, { kind: 'change', reason: '变更理由', changes: {} })).status).toBe(422);
    expect(await ResourceAmendmentModel.countDocuments({ resourceId: id })).toBe(2);

    const history = await t.http.get(`/api/v1/resources/${id}/registration-history`).set('Authorization', buyer.auth);
    expect(history.status).toBe(200);
    expect(history.body.notices).toHaveLength(1);
    expect(history.body.registration.number).toBe(before.registrationNumber);
    expect(history.body.amendments.map((a: { kind: string }) => a.kind)).toEqual(['change', 'correction']);
    expect(history.body.amendments[0].before).toBeUndefined(); // the previous values are for the owner and supervisors
  });

  it('when two cancellations race, then exactly one lands: the resource is retired and resource.cancelled is appended once', async () => {
    const id = await registeredNow();
    const cancel = () =>
      t.http
        .post(`/api/v1/resources/${id}/cancel`)
        .set('Authorization', authority.auth)
        .send({ reason: '数据已停止采集' });
    const results = await Promise.all([cancel(), cancel(), cancel()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const stored = (await ResourceModel.findById(id).lean())!;
    expect(stored.status).toBe('retired');
    expect(await ledgerOf('resource.cancelled', id)).toHaveLength(1);
    const after = await amend(authority, id, { kind: 'change', reason: '注销后变更', changes: { recordCount: 1 } });
    expect(after.status).toBe(409);
  });
});
