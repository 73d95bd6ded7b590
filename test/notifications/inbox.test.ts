import { Types } from 'mongoose';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { catchUpLedger, remindExpiring } from '../../server/src/modules/notifications/notifications.events';
import { notify } from '../../server/src/modules/notifications/notifications.service';
import { atTime } from '../../server/src/platform/clock';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { CLEAN_CSV, createListing, listingBody, makeResource, grant, submit, upload } from '../listings/world';
import { makeProduct, order } from '../trade/fixtures';

const t = useTestApp();
let exchange: Actor;
let provider: Actor;
let buyer: Actor;
let clearing: Actor;
let authority: Actor;

beforeAll(async () => {
  exchange = await makeActor(t.config, 'exchange'); // a reviewer (no duty given)
  clearing = await makeActor(t.config, 'exchange', { duty: 'clearing' });
  provider = await makeActor(t.config, 'provider');
  buyer = await makeActor(t.config, 'buyer');
  authority = await makeActor(t.config, 'authority');
});

const inbox = (who: Actor) => t.http.get('/api/v1/notifications').set('Authorization', who.auth);
const unread = async (who: Actor) =>
  (await t.http.get('/api/v1/notifications/unread-count').set('Authorization', who.auth)).body.unread as number;
const kinds = async (who: Actor) => ((await inbox(who)).body.items as { kind: string }[]).map((n) => n.kind);

describe('the inbox', () => {
  it('when a provider submits a product, then exchange staff are asked to review it, once per round, and can mark it read', async () => {
    const resource = await makeResource(authority, {});
    const auth = await grant(t, authority, provider, [resource]);
    const l = await createListing(t, provider, listingBody([resource], auth.id));
    await upload(t, provider, l.id, 'sample', CLEAN_CSV);
    await upload(t, provider, l.id, 'data', CLEAN_CSV, 'data.csv');
    const before = await unread(exchange);
    await submit(t, provider, l.id);

    const res = await inbox(exchange);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      kind: 'review.requested',
      params: { title: '郑州公交客流日报' },
      link: '/exchange',
      read: false,
    });
    expect(res.body.unread).toBe(before + 1);
    expect(await kinds(buyer)).not.toContain('review.requested');

    const read = await t.http
      .post(`/api/v1/notifications/${encodeURIComponent(res.body.items[0].id)}/read`)
      .set('Authorization', exchange.auth)
      .send({});
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    expect(await unread(exchange)).toBe(before);
    // Someone else's notification is not found; a malformed id is refused.
    const foreign = await t.http
      .post(`/api/v1/notifications/${encodeURIComponent(res.body.items[0].id)}/read`)
      .set('Authorization', buyer.auth)
      .send({});
    expect(foreign.status).toBe(404);
    const bad = await t.http.post('/api/v1/notifications/x/read').set('Authorization', buyer.auth).send({});
    expect(bad.status).toBe(422);
  });

  it('when a bank transfer is ordered and confirmed, then the exchange is asked to confirm it and buyer and provider learn it is paid', async () => {
    const { listing } = await makeProduct(provider);
    const created = await order(t, buyer, { listingId: String(listing._id) });
    expect(created.status).toBe(201);
    const orderId = created.body.order.id as string;
    const ask = (await inbox(clearing)).body.items.find((n: { kind: string }) => n.kind === 'transfer.toConfirm');
    expect((await kinds(exchange)).includes('transfer.toConfirm')).toBe(false); // separation of duties: reviewers are not asked
    expect(ask).toMatchObject({ link: `/orders/${orderId}`, params: { amountFen: 12_345 } });

    const confirmed = await t.http
      .post(`/api/v1/orders/${orderId}/confirm-transfer`)
      .set('Authorization', clearing.auth)
      .send({ bankReference: 'BANK-1', amountFen: 12_345 });
    expect(confirmed.status).toBe(200);
    // Reading the inbox turns the new trade.settled entry into notifications; doing it again adds nothing.
    await catchUpLedger();
    await catchUpLedger();
    for (const who of [buyer, provider]) {
      const paid = ((await inbox(who)).body.items as { kind: string; link: string }[]).filter(
        (n) => n.kind === 'order.paid' && n.link === `/orders/${orderId}`,
      );
      expect(paid).toHaveLength(1);
    }
    expect(await NotificationModel.countDocuments({ key: `trade.settled:${orderId}` })).toBe(2);
  });

  it('when the same event is delivered many times at once, then each user has it once; different events get consecutive slots', async () => {
    const user = await makeActor(t.config, 'buyer');
    const event = { key: `test.same:${new Types.ObjectId()}`, kind: 'test' };
    await Promise.all(Array.from({ length: 6 }, () => notify({ orgIds: [user.org.id] }, event)));
    expect(await NotificationModel.countDocuments({ userId: user.user.id, key: event.key })).toBe(1);

    await Promise.all(
      Array.from({ length: 8 }, (_, i) => notify({ orgIds: [user.org.id] }, { key: `test.many:${i}`, kind: 'test' })),
    );
    const mine = await NotificationModel.find({ userId: user.user.id }).lean();
    expect(mine.map((n) => n.n).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await unread(user)).toBe(9);
    const all = await t.http.post('/api/v1/notifications/read-all').set('Authorization', user.auth).send({});
    expect(all.status).toBe(200);
    expect(await unread(user)).toBe(0);
    const page = await t.http.get('/api/v1/notifications?pageSize=5&page=2').set('Authorization', user.auth);
    expect(page.body.items.map((n: { n: number }) => n.n)).toEqual([4, 3, 2, 1]);
    expect(page.body.total).toBe(9);
  });

  it('when an event is older than the look-back (a seeded history), then it notifies nobody', async () => {
    const user = await makeActor(t.config, 'buyer');
    await atTime(new Date('2025-03-01T10:00:00+08:00'), () =>
      notify({ orgIds: [user.org.id] }, { key: 'test.history', kind: 'test' }),
    );
    expect(await NotificationModel.countDocuments({ userId: user.user.id })).toBe(0);
  });

  it('when an authorization ends within 30 and then 7 days, then operator and authority are reminded once each time', async () => {
    const operator = await makeActor(t.config, 'provider');
    const grantor = await makeActor(t.config, 'authority');
    const a = await AuthorizationModel.create({
      number: 'SQ-2026-900001',
      authorityOrgId: grantor.org._id,
      operatorOrgId: operator.org._id,
      resourceIds: [new Types.ObjectId()],
      purpose: '到期提醒测试',
      allowedProductTypes: ['dataset'],
      allowedDeliveryModes: ['download'],
      validFrom: new Date(Date.now() - 300 * 86_400_000),
      validTo: new Date(Date.now() + 20 * 86_400_000),
      status: 'active',
      grantedBy: grantor.user._id,
    });
    await remindExpiring();
    await remindExpiring();
    const reminders = (who: Actor) =>
      NotificationModel.find({ userId: who.user.id, kind: 'authorization.expiring' }).lean();
    expect((await reminders(operator)).map((n) => n.params)).toEqual([
      { number: 'SQ-2026-900001', validTo: a.validTo.toISOString(), days: 30 },
    ]);
    expect(await reminders(grantor)).toHaveLength(1);
    await atTime(new Date(Date.now() + 15 * 86_400_000), () => remindExpiring());
    expect((await reminders(operator)).map((n) => (n.params as { days: number }).days)).toEqual([30, 7]);
    expect(await kinds(operator)).toContain('authorization.expiring');
  });
});
