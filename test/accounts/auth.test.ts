import jwt from 'jsonwebtoken';
import { OrgModel } from '../../server/src/modules/accounts/org.model';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { useTestApp } from '../helpers/app';
import { makeActor, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';

const t = useTestApp();

function registration(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail('buyer'),
    password: 'a-long-password-1',
    displayName: '张三',
    role: 'buyer',
    org: { name: '郑州某某科技有限公司', creditCode: randomCreditCode() },
    ...overrides,
  };
}

describe('POST /api/v1/auth/register', () => {
  it('when the body is valid, then it creates the user and organisation, and signing in gives a working token', async () => {
    const body = registration({ role: 'provider' });
    const res = await t.http.post('/api/v1/auth/register').send(body).expect(202);
    expect(res.body).toEqual({ status: 'accepted', message: expect.any(String) });
    const stored = await UserModel.findOne({ email: body.email }).lean();
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(stored?.passwordHash).not.toContain(body.password);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password })
      .expect(200);
    expect(login.body.user).toMatchObject({
      email: body.email,
      role: 'provider',
      org: { creditCode: body.org.creditCode },
    });
    expect(login.body.user.passwordHash).toBeUndefined();
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    expect(me.body).toMatchObject({ email: body.email, org: { name: body.org.name } });
  });

  it('when the credit code has a wrong check character, then 422 names the field and nothing is stored', async () => {
    const good = randomCreditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const body = registration({ org: { name: '错误代码公司', creditCode: bad } });
    const res = await t.http.post('/api/v1/auth/register').send(body).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.org.creditCode' })]);
    expect(await UserModel.countDocuments({ email: body.email })).toBe(0);
    expect(await OrgModel.countDocuments({ creditCode: bad })).toBe(0);
  });

  it('when someone tries to register as exchange staff, then 422 and no user', async () => {
    const body = registration({ role: 'exchange' });
    await t.http.post('/api/v1/auth/register').send(body).expect(422);
    expect(await UserModel.countDocuments({ email: body.email })).toBe(0);
  });

  it('when the body has an unknown field, then 400 names it', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send(registration({ isAdmin: true }))
      .expect(400);
    expect(JSON.stringify(res.body.errors)).toContain('isAdmin');
  });

  it('when the e-mail is taken, then the same 202 as for a new address and nothing is created (test/accounts/enumeration)', async () => {
    const body = registration();
    await t.http.post('/api/v1/auth/register').send(body).expect(202);
    const second = { ...registration(), email: body.email };
    await t.http.post('/api/v1/auth/register').send(second).expect(202);
    expect(await OrgModel.countDocuments({ creditCode: second.org.creditCode })).toBe(0);
  });

  it('when the organisation is already registered, then 409 and it is not joined', async () => {
    const first = registration();
    await t.http.post('/api/v1/auth/register').send(first).expect(202);
    const second = registration({ org: first.org });
    await t.http.post('/api/v1/auth/register').send(second).expect(409);
    expect(await UserModel.countDocuments({ email: second.email })).toBe(0);
  });
});

describe('POST /api/v1/auth/login', () => {
  it('when the password is right, then a token; when wrong, then 401 problem+json', async () => {
    const a = await makeActor(t.config, 'buyer');
    const ok = await t.http
      .post('/api/v1/auth/login')
      .send({ email: a.user.email, password: TEST_PASSWORD })
      .expect(200);
    expect(ok.body.user.id).toBe(a.user.id);
    const bad = await t.http
      .post('/api/v1/auth/login')
      .send({ email: a.user.email, password: 'wrong-password' })
      .expect(401);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(bad.body.token).toBeUndefined();
  });

  it('when the e-mail is an operator object, then 400 and no user is matched', async () => {
    await makeActor(t.config, 'buyer');
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: { $gt: '' }, password: { $gt: '' } })
      .expect(400);
    expect(res.body.token).toBeUndefined();
  });

  it('when the body is malformed JSON, then 400 problem+json', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, type: 'urn:zdec:problem:malformed-json' });
  });

  it('when the body is not JSON, then 415', async () => {
    await t.http.post('/api/v1/auth/login').set('Content-Type', 'text/plain').send('email=x').expect(415);
  });
});

describe('bearer tokens', () => {
  it('when no token is sent, then 401', async () => {
    await t.http.get('/api/v1/auth/me').expect(401);
  });

  it('when the token is signed with another secret, then 401', async () => {
    const a = await makeActor(t.config, 'buyer');
    const forged = jwt.sign({ role: 'admin' }, 'another-secret-another-secret-another-secret', {
      subject: a.user.id,
      issuer: t.config.JWT_ISSUER,
      audience: t.config.JWT_AUDIENCE,
    });
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
  });

  it('when the token has expired, then 401', async () => {
    const a = await makeActor(t.config, 'buyer');
    const expired = jwt.sign({ role: 'buyer', exp: Math.floor(Date.now() / 1000) - 60 }, t.config.JWT_SECRET, {
      subject: a.user.id,
      issuer: t.config.JWT_ISSUER,
      audience: t.config.JWT_AUDIENCE,
    });
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${expired}`).expect(401);
  });

  it('when the token uses alg "none", then 401', async () => {
    const a = await makeActor(t.config, 'admin');
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: a.user.id,
      role: 'admin',
      iss: t.config.JWT_ISSUER,
      aud: t.config.JWT_AUDIENCE,
      iat: now,
      exp: now + 600,
    })}.`;
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${none}`).expect(401);
  });

  it('when the audience is wrong, then 401', async () => {
    const a = await makeActor(t.config, 'buyer');
    const token = jwt.sign({ role: 'buyer' }, t.config.JWT_SECRET, {
      subject: a.user.id,
      issuer: t.config.JWT_ISSUER,
      audience: 'someone-else',
    });
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('when the account is deactivated, then its still-valid token stops working', async () => {
    const a = await makeActor(t.config, 'buyer');
    await UserModel.updateOne({ _id: a.user._id }, { active: false });
    await t.http.get('/api/v1/auth/me').set('Authorization', a.auth).expect(401);
  });
});

describe('POST /api/v1/admin/users (role guard)', () => {
  const body = () => ({
    email: uniqueEmail('exchange'),
    password: 'a-long-password-2',
    displayName: '交易中心审核员',
    role: 'exchange',
    org: { name: '郑州数据交易中心', creditCode: randomCreditCode() },
  });

  it('when an admin creates an exchange user, then 201 and the user can log in', async () => {
    const admin = await makeActor(t.config, 'admin');
    const b = body();
    const res = await t.http.post('/api/v1/admin/users').set('Authorization', admin.auth).send(b).expect(201);
    expect(res.body).toMatchObject({ role: 'exchange', email: b.email });
    await t.http.post('/api/v1/auth/login').send({ email: b.email, password: b.password }).expect(200);
  });

  it('when a second user is created with the same credit code, then they join the same organisation', async () => {
    const admin = await makeActor(t.config, 'admin');
    const first = body();
    const a = await t.http.post('/api/v1/admin/users').set('Authorization', admin.auth).send(first).expect(201);
    const second = { ...body(), org: first.org };
    const b = await t.http.post('/api/v1/admin/users').set('Authorization', admin.auth).send(second).expect(201);
    expect(b.body.org.id).toBe(a.body.org.id);
  });

  it.each(['buyer', 'provider', 'authority', 'exchange', 'regulator'] as const)(
    'when a %s calls it, then 403 and nothing is created',
    async (role) => {
      const actor = await makeActor(t.config, role);
      const b = body();
      const res = await t.http.post('/api/v1/admin/users').set('Authorization', actor.auth).send(b).expect(403);
      expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
      expect(await UserModel.countDocuments({ email: b.email })).toBe(0);
    },
  );
});

describe('unknown routes', () => {
  it('when the route does not exist, then 404 problem+json', async () => {
    const res = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });
});

describe('GET /api/v1/orgs', () => {
  it('when looked up by credit code or ids, then the organisations come back; without a token, 401', async () => {
    const a = await makeActor(t.config, 'provider');
    const b = await makeActor(t.config, 'buyer');
    const byCode = await t.http
      .get(`/api/v1/orgs?creditCode=${a.org.creditCode}`)
      .set('Authorization', b.auth)
      .expect(200);
    expect(byCode.body.items).toEqual([{ id: a.org.id, name: a.org.name, creditCode: a.org.creditCode }]);
    const byIds = await t.http.get(`/api/v1/orgs?ids=${a.org.id},${b.org.id}`).set('Authorization', a.auth).expect(200);
    expect(byIds.body.items.map((o: { id: string }) => o.id).sort()).toEqual([a.org.id, b.org.id].sort());
    await t.http.get(`/api/v1/orgs?ids=${a.org.id}`).expect(401);
    await t.http.get('/api/v1/orgs').set('Authorization', a.auth).expect(422);
  });
});
