import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { OrderModel, type LeanOrder } from '../../server/src/modules/trade/order.model';
import {
  OpenRefundRequestModel,
  RefundRequestDecisionModel,
  RefundRequestModel,
} from '../../server/src/modules/trade/refund-request.model';
import { recordRefund } from '../../server/src/modules/trade/settlement';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { changedCollections, fingerprint, problemShapeError } from '../reliability/world';
import { boughtByTransfer, makeMarket, makeProduct, order, type Market } from './fixtures';

const t = useTestApp();
let m: Market;
let reviewer: Actor;
let otherBuyer: Actor;
let regulator: Actor;
let listingId: string;

beforeAll(async () => {
  m = await makeMarket(t.config);
  reviewer = await makeActor(t.config, 'exchange', { duty: 'review' });
  otherBuyer = await makeActor(t.config, 'buyer');
  regulator = await makeActor(t.config, 'regulator');
  listingId = (await makeProduct(m.provider, { priceFen: 20_000 })).listing.id;
});

const ask = (id: string, body: unknown, who: Actor = m.buyer) =>
  t.http
    .post(`/api/v1/orders/${id}/refund-request`)
    .set('Authorization', who.auth)
    .send(body as object);
const decline = (id: string, body: unknown, who: Actor = m.exchange) =>
  t.http
    .post(`/api/v1/orders/${id}/refund-request/decline`)
    .set('Authorization', who.auth)
    .send(body as object);
const queue = (query: Record<string, string | number> = {}, who: Actor = m.exchange) =>
  t.http.get('/api/v1/refund-requests').query(query).set('Authorization', who.auth);
const delivered = () => boughtByTransfer(t, m, listingId);
const inbox = (who: Actor, kind: string) => NotificationModel.find({ userId: who.user.id, kind }).lean();

describe('refund requests (退款申请)', () => {
  it('when the buyer asks for a refund of its delivered order, then the request is open, clearing staff are told and the order shows it', async () => {
    const id = await delivered();
    const res = await ask(id, { reason: '数据字段与产品说明不符，无法使用' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: `${id}#1`,
      orderId: id,
      round: 1,
      status: 'open',
      reason: '数据字段与产品说明不符，无法使用',
      buyerOrgId: m.buyer.org.id,
    });
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(1);

    const told = await inbox(m.exchange, 'refund.requested');
    expect(told.map((n) => n.key)).toContain(`refund.requested:${id}#1`);
    expect(await NotificationModel.countDocuments({ userId: reviewer.user.id, kind: 'refund.requested' })).toBe(0);

    const seen = await t.http.get(`/api/v1/orders/${id}`).set('Authorization', m.buyer.auth).expect(200);
    expect(seen.body.status).toBe('delivered');
    expect(seen.body.refundRequest).toMatchObject({ id: `${id}#1`, status: 'open' });

    const q = await queue().expect(200);
    expect(q.body.items.map((r: { orderId: string }) => r.orderId)).toContain(id);
    const item = q.body.items.find((r: { orderId: string }) => r.orderId === id);
    expect(item.order).toMatchObject({ id, amountFen: 20_000, paymentMethod: 'bank_transfer', status: 'delivered' });
  });

  it('when the buyer asks again while its request is open, then 409 and nothing changes', async () => {
    const id = await delivered();
    await ask(id, { reason: '重复购买' }).expect(201);
    const before = await fingerprint();
    const again = await ask(id, { reason: '再次申请' });
    expect(again.status).toBe(409);
    expect(problemShapeError(again)).toBeNull();
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  });

  it('when many requests for one order race, then exactly one is filed', async () => {
    const id = await delivered();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(id, { reason: `并发申请 ${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(1);
    expect(await RefundRequestModel.countDocuments({ orderId: id })).toBe(1);
  });

  it('when the input is bad, then 4xx problem+json and nothing changes', async () => {
    const id = await delivered();
    const before = await fingerprint();
    const cases: [string, unknown, number][] = [
      [id, {}, 400],
      [id, { reason: '' }, 422],
      [id, { reason: 'x' }, 422],
      [id, { reason: 'y'.repeat(501) }, 422],
      [id, { reason: { $gt: '' } }, 400],
      [id, { reason: '正常理由', amountFen: 1 }, 400],
      ['not-an-id', { reason: '正常理由' }, 422],
    ];
    for (const [target, body, status] of cases) {
      const res = await ask(target, body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(problemShapeError(res)).toBeNull();
    }
    const malformed = await t.http
      .post(`/api/v1/orders/${id}/refund-request`)
      .set('Authorization', m.buyer.auth)
      .set('Content-Type', 'application/json')
      .send('{"reason": "未闭合');
    expect(malformed.status).toBe(400);
    expect(problemShapeError(malformed)).toBeNull();
    const badDecline = await decline(id, { reason: '' });
    expect(badDecline.status).toBe(422);
    expect(changedCollections(before, await fingerprint())).toEqual([]);
  });

  it('when the wrong caller asks or declines, then 403 (wrong role or duty) or 404 (another organisation) and nothing changes', async () => {
    const id = await delivered();
    await ask(id, { reason: '买方需求变更' }).expect(201);
    const other = await delivered();
    const before = await fingerprint();
    for (const who of [m.provider, m.exchange, reviewer, regulator]) {
      const res = await ask(other, { reason: '越权申请' }, who);
      expect(res.status).toBe(403);
      expect(problemShapeError(res)).toBeNull();
    }
    const foreign = await ask(other, { reason: '越权申请' }, otherBuyer);
    expect(foreign.status).toBe(404);
    for (const who of [m.buyer, m.provider, reviewer, regulator]) {
      const res = await decline(id, { reason: '越权驳回' }, who);
      expect(res.status).toBe(403);
    }
    for (const who of [m.buyer, m.provider, reviewer, otherBuyer]) {
      expect((await queue({}, who)).status).toBe(403);
    }
    expect(changedCollections(before, await fingerprint())).toEqual([]);
    await queue({}, regulator).expect(200);
  });

  it('when the order is not settled, then a request is 409', async () => {
    const created = await order(t, m.buyer, { listingId });
    const id = created.body.order.id as string;
    const res = await ask(id, { reason: '尚未付款' });
    expect(res.status).toBe(409);
    expect(await RefundRequestModel.countDocuments({ orderId: id })).toBe(0);
  });

  it('when clearing staff decline with reasons, then the buyer is told, the order stays delivered and a new request may follow', async () => {
    const id = await delivered();
    await ask(id, { reason: '效果不理想' }).expect(201);
    const res = await decline(id, { reason: '数据已按约定交付并完成下载，不符合退款条件' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: `${id}#1`,
      status: 'declined',
      decision: { kind: 'declined', reason: '数据已按约定交付并完成下载，不符合退款条件', by: m.exchange.user.id },
    });
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(0);
    expect((await inbox(m.buyer, 'refund.declined')).map((n) => n.key)).toContain(`refund.declined:${id}#1`);
    const seen = await t.http.get(`/api/v1/orders/${id}`).set('Authorization', m.buyer.auth).expect(200);
    expect(seen.body).toMatchObject({ status: 'delivered', refundRequest: { status: 'declined' } });
    expect((await queue().expect(200)).body.items.map((r: { orderId: string }) => r.orderId)).not.toContain(id);

    const twice = await decline(id, { reason: '再次驳回' });
    expect(twice.status).toBe(409);

    const next = await ask(id, { reason: '补充说明：字段缺失导致无法使用' });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ id: `${id}#2`, round: 2, status: 'open' });
  });

  it('when clearing staff refund the order, then its open request is closed as refunded, once', async () => {
    const id = await delivered();
    await ask(id, { reason: '重复采购' }).expect(201);
    await t.http
      .post(`/api/v1/orders/${id}/refund`)
      .set('Authorization', m.exchange.auth)
      .send({ reason: '同意买方退款申请', bankReference: 'ICBC-TK-0001' })
      .expect(200);
    const request = await RefundRequestModel.findById(`${id}#1`).lean();
    expect(request).toMatchObject({ status: 'refunded', decision: { kind: 'refunded', reason: '同意买方退款申请' } });
    expect(await RefundRequestDecisionModel.countDocuments({ _id: `${id}#1` })).toBe(1);
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(0);
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.refunded', ref: id })).toBe(1);
    expect((await decline(id, { reason: '已退款后驳回' })).status).toBe(409);
    expect((await ask(id, { reason: '已退款后再申请' })).status).toBe(409);
  });

  it('when an order was refunded but its request was left open (a crash between), then the queue closes it', async () => {
    const id = await delivered();
    await ask(id, { reason: '崩溃恢复' }).expect(201);
    const o = (await OrderModel.findById(id).lean<LeanOrder>())!;
    await recordRefund(o, {
      method: 'bank_transfer',
      amountFen: o.amountFen,
      reason: '线下已退款',
      bankReference: 'ICBC-TK-0002',
      by: m.exchange.user.id,
      at: new Date(),
    });
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(1);
    const q = await queue({ pageSize: 100 }).expect(200);
    expect(q.body.items.map((r: { orderId: string }) => r.orderId)).not.toContain(id);
    expect(await RefundRequestModel.findById(`${id}#1`).lean()).toMatchObject({ status: 'refunded' });
    expect(await OpenRefundRequestModel.countDocuments({ _id: id })).toBe(0);
  });

  it('when the queue is paged, then open requests come newest first, and `all` lists decided ones too', async () => {
    const open = (await queue({ pageSize: 100 }).expect(200)).body.total as number;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await delivered();
      await ask(id, { reason: `分页申请 ${i}` }).expect(201);
      ids.push(id);
    }
    const first = await queue({ page: 1, pageSize: 2 }).expect(200);
    expect(first.body).toMatchObject({ total: open + 3, page: 1, pageSize: 2 });
    expect(first.body.items.map((r: { orderId: string }) => r.orderId)).toEqual([ids[2], ids[1]]);
    const second = await queue({ page: 2, pageSize: 2 }).expect(200);
    expect(second.body.items[0].orderId).toBe(ids[0]);

    await decline(ids[1]!, { reason: '不符合退款条件' }).expect(200);
    const all = await queue({ status: 'all', pageSize: 3 }).expect(200);
    expect(all.body.items.map((r: { orderId: string; status: string }) => [r.orderId, r.status])).toEqual([
      [ids[2], 'open'],
      [ids[1], 'declined'],
      [ids[0], 'open'],
    ]);
    expect((await queue({ status: 'closed' })).status).toBe(422);
    expect((await queue({ pageSize: 1000 })).status).toBe(422);
  });
});
