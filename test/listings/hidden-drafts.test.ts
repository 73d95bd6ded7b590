import { makeActor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { daysFromNow, listingBody, makeResource, makeWorld, type World } from './world';

/*
 * Issue 12 #4: a draft resource of another organisation must be indistinguishable from one that
 * does not exist, whatever route names it (creating or editing a listing, granting an authorization).
 */

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});

const NONEXISTENT = '0123456789abcdef01234567';
const SECRET_NAME = 'HIDDEN-2 不公开的医保结算草稿';

/** The answer with the id of the resource asked about replaced, so two answers can be compared whole. */
function shape(res: { status: number; body: Record<string, unknown> }, id: string) {
  const { instance: _i, requestId: _r, ...rest } = res.body;
  return { status: res.status, body: JSON.parse(JSON.stringify(rest).split(id).join('<id>')) as unknown };
}

/** The request naming the hidden draft and the one naming a missing id get the same 422, word for word. */
async function expectIndistinguishable(
  send: (id: string) => PromiseLike<{ status: number; body: Record<string, unknown> }>,
  hiddenId: string,
) {
  const real = await send(hiddenId);
  const missing = await send(NONEXISTENT);
  expect(real.status).toBe(422);
  expect(JSON.stringify(real.body)).not.toContain('HIDDEN-2');
  expect(shape(real, hiddenId)).toEqual(shape(missing, NONEXISTENT));
}

describe("another organisation's draft resource", () => {
  it('when a provider names it in sourceResourceIds, then the 422 is exactly that of an id that does not exist', async () => {
    const hidden = await makeResource(w.otherProvider, { kind: 'enterprise', status: 'draft', name: SECRET_NAME });
    const create = (id: string) =>
      t.http
        .post('/api/v1/listings')
        .set('Authorization', w.provider.auth)
        .send(listingBody([{ _id: id }], undefined));
    await expectIndistinguishable(create, String(hidden._id));
  });

  it('when a provider edits a draft listing to name it, then the 422 is exactly that of an id that does not exist', async () => {
    const own = await makeResource(w.provider, { kind: 'enterprise' });
    const draft = await t.http
      .post('/api/v1/listings')
      .set('Authorization', w.provider.auth)
      .send(listingBody([own], undefined));
    expect(draft.status).toBe(201);
    const hidden = await makeResource(w.otherProvider, { kind: 'enterprise', status: 'draft', name: SECRET_NAME });
    const edit = (id: string) =>
      t.http
        .patch(`/api/v1/listings/${draft.body.id}`)
        .set('Authorization', w.provider.auth)
        .send({ sourceResourceIds: [id] });
    await expectIndistinguishable(edit, String(hidden._id));
  });

  it("when an authority grants over another authority's draft, then the 422 is exactly that of an id that does not exist", async () => {
    const otherAuthority = await makeActor(t.config, 'authority', { orgName: '郑州市大数据局' });
    const hidden = await makeResource(otherAuthority, { status: 'draft', name: SECRET_NAME });
    const grant = (id: string) =>
      t.http
        .post('/api/v1/authorizations')
        .set('Authorization', w.authority.auth)
        .send({
          operatorOrgId: w.provider.org.id,
          resourceIds: [id],
          purpose: '医保结算分析',
          allowedProductTypes: ['dataset'],
          allowedDeliveryModes: ['download'],
          validFrom: daysFromNow(-1),
          validTo: daysFromNow(100),
        });
    await expectIndistinguishable(grant, String(hidden._id));
  });

  it('when the owner names its own draft, then the refusal still says which draft it is', async () => {
    const mine = await makeResource(w.authority, { status: 'draft', name: '我方草稿资源' });
    const res = await t.http
      .post('/api/v1/authorizations')
      .set('Authorization', w.authority.auth)
      .send({
        operatorOrgId: w.provider.org.id,
        resourceIds: [String(mine._id)],
        purpose: '测试',
        allowedProductTypes: ['dataset'],
        allowedDeliveryModes: ['download'],
        validFrom: daysFromNow(-1),
        validTo: daysFromNow(100),
      });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('我方草稿资源');
  });
});
