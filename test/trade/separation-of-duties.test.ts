import { OrderModel } from '../../server/src/modules/trade/order.model';
import { useTestApp } from '../helpers/app';
import { makeActor, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import {
  CLEAN_CSV,
  createListing,
  grant,
  listingBody,
  makeResource,
  makeWorld,
  submit,
  upload,
  type World,
} from '../listings/world';
import { makeProduct, order } from './fixtures';

/*
 * Issue 12 #8: compliance reviewers and clearing staff are both `exchange`, with one duty each
 * (SPEC section 9): reviewers review and delist, clearing staff confirm transfers, refund, cancel
 * and revoke entitlements. Neither does the other's work. (The authz matrix proves it route by route.)
 */

const t = useTestApp();
let w: World;
let reviewer: Awaited<ReturnType<typeof makeActor>>;
let clearing: Awaited<ReturnType<typeof makeActor>>;

beforeAll(async () => {
  w = await makeWorld(t.config);
  reviewer = await makeActor(t.config, 'exchange', { duty: 'review' });
  clearing = await makeActor(t.config, 'exchange', { duty: 'clearing' });
});

async function pendingOrder() {
  const { listing } = await makeProduct(w.provider);
  const created = await order(t, w.buyer, { listingId: listing.id });
  expect(created.status).toBe(201);
  return created.body.order as { id: string; amountFen: number };
}

describe('separation of duties within the exchange', () => {
  it('when a compliance reviewer confirms a bank transfer, then 403 and the order stays unpaid; clearing staff can', async () => {
    const o = await pendingOrder();
    const confirm = (auth: string) =>
      t.http
        .post(`/api/v1/orders/${o.id}/confirm-transfer`)
        .set('Authorization', auth)
        .send({ bankReference: `B-${o.id}`, amountFen: o.amountFen });
    const refused = await confirm(reviewer.auth);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/clearing/);
    expect((await OrderModel.findById(o.id).lean())!.status).toBe('pending_payment');
    expect((await confirm(clearing.auth)).status).toBe(200);
  });

  it('when a compliance reviewer refunds a settled order, then 403; clearing staff can', async () => {
    const o = await pendingOrder();
    await t.http
      .post(`/api/v1/orders/${o.id}/confirm-transfer`)
      .set('Authorization', clearing.auth)
      .send({ bankReference: `B-${o.id}`, amountFen: o.amountFen })
      .expect(200);
    const refund = (auth: string) =>
      t.http
        .post(`/api/v1/orders/${o.id}/refund`)
        .set('Authorization', auth)
        .send({ reason: '买方申请退款', bankReference: `R-${o.id}` });
    expect((await refund(reviewer.auth)).status).toBe(403);
    expect((await OrderModel.findById(o.id).lean())!.status).toBe('delivered');
    expect((await refund(clearing.auth)).status).toBe(200);
  });

  it('when clearing staff review or delist a product, then 403; a compliance reviewer can', async () => {
    const r = await makeResource(w.authority);
    const a = await grant(t, w.authority, w.provider, [r]);
    const l = await createListing(t, w.provider, listingBody([r], a.id));
    await upload(t, w.provider, l.id, 'sample', CLEAN_CSV);
    await upload(t, w.provider, l.id, 'data', CLEAN_CSV);
    await submit(t, w.provider, l.id);
    const review = (auth: string) =>
      t.http.post(`/api/v1/listings/${l.id}/review`).set('Authorization', auth).send({ decision: 'approve' });
    expect((await review(clearing.auth)).status).toBe(403);
    expect((await review(reviewer.auth)).status).toBe(200);
    const delist = (auth: string) =>
      t.http.post(`/api/v1/listings/${l.id}/delist`).set('Authorization', auth).send({ reason: '合规复查' });
    expect((await delist(clearing.auth)).status).toBe(403);
    expect((await delist(reviewer.auth)).status).toBe(200);
  });

  it('when an admin creates exchange staff, then each gets exactly one duty, shown on the user; other roles get none', async () => {
    const admin = await makeActor(t.config, 'admin');
    const create = (body: Record<string, unknown>) =>
      t.http
        .post('/api/v1/admin/users')
        .set('Authorization', admin.auth)
        .send({
          email: uniqueEmail('staff'),
          password: TEST_PASSWORD,
          displayName: '清算员',
          org: { name: '郑州数据交易中心', creditCode: randomCreditCode() },
          ...body,
        });
    const made = await create({ role: 'exchange', duty: 'clearing' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ role: 'exchange', duty: 'clearing' });
    expect((await create({ role: 'exchange', duty: ['review', 'clearing'] })).status).toBeGreaterThanOrEqual(400); // one duty, never both
    expect((await create({ role: 'buyer', duty: 'clearing' })).status).toBe(422);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: made.body.email, password: TEST_PASSWORD })
      .expect(200);
    expect(login.body.user.duty).toBe('clearing');
  });
});
