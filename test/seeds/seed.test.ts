import { DOMAINS } from '@zdec/shared';
import { OrgModel } from '../../server/src/modules/accounts/org.model';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { ApplicationModel } from '../../server/src/modules/authorizations/application.model';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import {
  RegistrationNoticeModel,
  RegistrationObjectionModel,
} from '../../server/src/modules/resources/registration.model';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { signingKey } from '../../server/src/modules/ledger/checkpoint.service';
import { verifyChain } from '../../server/src/modules/ledger/audit.service';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { OrderModel } from '../../server/src/modules/trade/order.model';
import { OpenRefundRequestModel } from '../../server/src/modules/trade/refund-request.model';
import { DEMO_PASSWORD, ORGS } from '../../seeds/data/orgs';
import { planWorld } from '../../seeds/plan';
import { seedDemoWorld, type SeedResult } from '../../seeds/world';
import { useTestApp } from '../helpers/app';

const t = useTestApp();

describe('the demo world (small scale, through the services)', () => {
  let result: SeedResult;
  const progress: string[] = [];

  beforeAll(async () => {
    result = await seedDemoWorld({ config: t.config, scale: 'small', onProgress: (p) => progress.push(p.phase) });
  }, 90_000);

  it('when seeded into an empty database, then it reports what it laid down', () => {
    expect(result.seeded).toBe(true);
    // 10 resources of the history and 2 registered under the lifecycle at its end (issue 16 item 5)
    expect(result.counts.resources).toBe(12);
    expect(result.counts.users).toBe(ORGS.flatMap((o) => o.users).length);
    // 12 products of the history and 4 still with the exchange at its end
    expect(Object.values(result.counts.listings).reduce((s, n) => s + n, 0)).toBe(16);
    expect(result.counts.listings).toMatchObject({ pending_review: 3, rejected: 1 });
    expect(result.counts.ledger['trade.settled']).toBeGreaterThanOrEqual(10);
    expect(result.counts.volumeFen).toBeGreaterThan(0);
    expect(progress).toContain('trades');
  });

  it('when a demo account logs in with the README password, then it gets a token for its role', async () => {
    for (const email of [
      'authority@demo.zdec.cn',
      'exchange@demo.zdec.cn',
      'provider@demo.zdec.cn',
      'buyer@demo.zdec.cn',
      'regulator@demo.zdec.cn',
    ]) {
      const res = await t.http.post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200);
      expect(res.body.user.email).toBe(email);
      expect(typeof res.body.token).toBe('string');
    }
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'buyer@demo.zdec.cn', password: 'not-the-password' })
      .expect(401);
  });

  it('when the ledger is verified, then the whole chain holds and follows time', async () => {
    const report = await verifyChain({}, signingKey(t.config));
    expect(report).toMatchObject({ ok: true, checked: report.headSeq });
    expect(report.headSeq).toBeGreaterThan(40);
    const entries = await LedgerEntryModel.find({}, { seq: 1, at: 1 }).sort({ seq: 1 }).lean();
    const times = entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(entries[0]!.at.toISOString() < '2025-02-01').toBe(true);
  });

  it('when listings are counted, then every listed product has exactly one listing.listed entry', async () => {
    const everListed = await ListingModel.find({ code: { $exists: true } }, { code: 1, status: 1 }).lean();
    const entries = await LedgerEntryModel.find({ type: 'listing.listed' }, { listingCode: 1 }).lean();
    expect(entries).toHaveLength(everListed.length);
    expect(new Set(entries.map((e) => e.listingCode))).toEqual(new Set(everListed.map((l) => l.code)));
    expect(everListed.filter((l) => l.status === 'listed').length).toBe(result.counts.listings.listed);
    expect(result.counts.listings.delisted).toBe(1);
  });

  it('when the targets are read, then the monthly series spans several months of listings and volume', async () => {
    const res = await t.http.get('/api/v1/stats/targets').expect(200);
    const months = res.body.monthly as { month: string; listed: number; volumeFen: number }[];
    expect(months.filter((m) => m.listed > 0).length).toBeGreaterThanOrEqual(2);
    expect(months.filter((m) => m.volumeFen > 0).length).toBeGreaterThanOrEqual(2);
    expect(months[0]!.month.startsWith('2025-')).toBe(true);
    expect(res.body.listings.cumulative).toBe(result.counts.ledger['listing.listed']);
    expect(res.body.volume.cumulativeFen).toBe(result.counts.volumeFen);
  });

  it('when the world is inspected, then no compliance rule is broken', async () => {
    const core = await ResourceModel.findOne({ grade: 'core' }).lean();
    expect(core).toMatchObject({ status: 'registered', openness: 'closed' });
    expect(await AuthorizationModel.countDocuments({ resourceIds: core!._id })).toBe(0);
    expect(await ListingModel.countDocuments({ sourceResourceIds: core!._id })).toBe(0);

    const important = await ResourceModel.findOne({ grade: 'important' }).lean();
    const fromImportant = await ListingModel.find({ sourceResourceIds: important!._id }).lean();
    expect(fromImportant.length).toBeGreaterThan(0);
    for (const l of fromImportant) expect(l.deliveryMode).toBe('sandbox');

    const personal = await ResourceModel.find({ level: { $in: ['L3', 'L4'] } }, { _id: 1 }).lean();
    const fromPersonal = await ListingModel.find({ sourceResourceIds: { $in: personal.map((r) => r._id) } }).lean();
    expect(fromPersonal.length).toBeGreaterThan(0);
    for (const l of fromPersonal) expect(l.deIdentified).toBe(true);

    const auths = await AuthorizationModel.find({}).lean();
    for (const l of await ListingModel.find({ code: { $exists: true } }).lean()) {
      const a = auths.find((x) => String(x._id) === String(l.authorizationId));
      const cap = a?.feeCaps?.[l.pricing.model as 'one_time'];
      if (typeof cap === 'number') expect(l.pricing.priceFen).toBeLessThanOrEqual(cap);
      const checklist = l.reviews.at(-1)!.checklist as { ok: boolean }[];
      expect(checklist.every((c) => c.ok)).toBe(true);
    }
    // The product first submitted with a raw sample was sent back, fixed and then approved.
    const sentBack = await ListingModel.findOne({ 'reviews.decision': 'reject', status: 'listed' }).lean();
    expect(sentBack?.status).toBe('listed');
    expect(sentBack?.reviews.map((r) => r.decision)).toEqual(['reject', 'approve']);

    const orders = await OrderModel.find({}).lean();
    expect(orders.every((o) => o.paymentMethod === 'bank_transfer')).toBe(true);
    expect(orders.filter((o) => o.status === 'refunded').length).toBeGreaterThanOrEqual(1);
  });

  it('when the history ends, then every role has work waiting (issue 16 item 5)', async () => {
    const until = Date.now();
    const org = async (key: string) =>
      (await OrgModel.findOne({ name: ORGS.find((o) => o.key === key)!.name }).lean())!;
    const user = async (email: string) => String((await UserModel.findOne({ email }).lean())!._id);
    const inbox = async (email: string) =>
      (await NotificationModel.find({ userId: await user(email) }, { kind: 1 }).lean()).map((n) => n.kind);

    // exchange@: listings pending review; provider@: one sent back with reasons
    const hndata = await org('hndata');
    const rejected = await ListingModel.findOne({ status: 'rejected' }).lean();
    expect(String(rejected?.providerOrgId)).toBe(String(hndata._id));
    expect(rejected?.reviews.at(-1)?.reasons.length).toBeGreaterThan(0);
    expect(await ListingModel.countDocuments({ status: 'pending_review' })).toBe(3);
    expect(await inbox('exchange@demo.zdec.cn')).toContain('review.requested');

    // clearing@: bank transfers awaiting confirmation, and an open refund request of another buyer than buyer@
    const logistics = String((await org('logistics'))._id);
    const waiting = await OrderModel.find({ status: 'pending_payment' }).lean();
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    expect(waiting.some((o) => String(o.buyerOrgId) === logistics)).toBe(true);
    const open = await OpenRefundRequestModel.find().lean();
    expect(open).toHaveLength(1);
    expect(String(open[0]!.buyerOrgId)).not.toBe(logistics);
    expect((await OrderModel.findById(open[0]!._id).lean())?.status).toBe('delivered');
    expect(await inbox('clearing@demo.zdec.cn')).toEqual(
      expect.arrayContaining(['transfer.toConfirm', 'refund.requested']),
    );
    // buyer@: a delivered order to ask a refund for
    expect(await OrderModel.countDocuments({ buyerOrgId: logistics, status: 'delivered' })).toBeGreaterThan(0);

    // authority@: a registration under notice past the end, with an objection to rule on …
    const publicizing = await RegistrationNoticeModel.find({ status: 'publicizing' }).lean();
    expect(publicizing).toHaveLength(1);
    expect(publicizing[0]!.endsAt.getTime()).toBeGreaterThan(until);
    expect(await RegistrationObjectionModel.countDocuments({ noticeId: publicizing[0]!._id, status: 'pending' })).toBe(
      1,
    );
    expect(await inbox('authority@demo.zdec.cn')).toEqual(
      expect.arrayContaining(['objection.filed', 'authorization.applied']),
    );
    // … after an earlier one that went through notice, a dismissed objection and its certificate
    const certified = await RegistrationNoticeModel.findOne({ status: 'certified' }).lean();
    expect(await RegistrationObjectionModel.countDocuments({ noticeId: certified!._id, status: 'dismissed' })).toBe(1);
    const resource = await ResourceModel.findById(certified!.resourceId).lean();
    expect(resource).toMatchObject({ status: 'registered', registrationNumber: certified!.registrationNumber });
    expect(resource!.registeredAt!.getTime()).toBeGreaterThanOrEqual(certified!.endsAt.getTime());
    expect(await LedgerEntryModel.countDocuments({ type: 'resource.registered', ref: String(resource!._id) })).toBe(1);
    // … and an authorization application
    expect(await ApplicationModel.countDocuments({ status: 'pending' })).toBe(1);

    // provider@: an authorization in force that ends within 30 days
    const expiring = await AuthorizationModel.find({
      operatorOrgId: hndata._id,
      status: 'active',
      validTo: { $gt: new Date(until), $lte: new Date(until + 30 * 86_400_000) },
    }).lean();
    expect(expiring).toHaveLength(1);
    expect(expiring[0]!.validFrom.getTime()).toBeLessThan(until);
  });

  it('when seeding runs again, then it changes nothing', async () => {
    const before = await LedgerEntryModel.countDocuments();
    const again = await seedDemoWorld({ config: t.config, scale: 'small' });
    expect(again.seeded).toBe(false);
    expect(await LedgerEntryModel.countDocuments()).toBe(before);
  });
});

describe('the full demo world plan (no database)', () => {
  it('when planned, then it holds what the README promises and every product finds its authorization', () => {
    const plan = planWorld({ scale: 'full', until: new Date('2026-11-21T00:00:00Z') });
    expect(plan.skipped).toEqual([]);
    const count = (kind: string) => plan.steps.filter((s) => s.kind === kind).length;
    expect(count('register')).toBeGreaterThanOrEqual(60);
    expect(
      count('review') - plan.steps.filter((s) => s.kind === 'review' && s.decision === 'reject').length,
    ).toBeGreaterThanOrEqual(200);
    expect(count('confirm')).toBeGreaterThanOrEqual(600);
    expect(count('refund')).toBeGreaterThanOrEqual(3);
    const domains = new Set(plan.steps.flatMap((s) => (s.kind === 'register' ? [s.resource.domain] : [])));
    for (const d of [
      'transport',
      'meteorology',
      'natural-resources',
      'ecology',
      'health',
      'culture-tourism',
      'agriculture',
      'market-regulation',
    ] as (keyof typeof DOMAINS)[]) {
      expect(domains).toContain(d);
    }
    const times = plan.steps.map((s) => s.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThan(Date.parse('2026-11-21T00:00:00Z'));
    expect(plan.steps.some((s) => s.kind === 'grant' && s.resources.includes('p9'))).toBe(false);
    // the work waiting at the end (issue 16 item 5), as in the small world
    expect([count('publish'), count('object'), count('rule'), count('certify')]).toEqual([2, 2, 1, 1]);
    expect([count('apply'), count('refund-request')]).toEqual([1, 1]);
    const last = plan.steps.filter((s) => s.at.getTime() > Date.parse('2026-11-13T00:00:00Z'));
    const reviewed = new Set(last.flatMap((s) => (s.kind === 'review' ? [s.listing] : [])));
    const pending = last.filter((s) => s.kind === 'list' && !reviewed.has(s.job.key));
    expect(pending.length).toBeGreaterThanOrEqual(3);
    const pilot = plan.steps.find((s) => s.kind === 'grant' && s.auth.key === 'hndata-pilot');
    expect(pilot).toMatchObject({ validTo: '2026-12-11T23:59:59+08:00' });
  });
});
