import jwt from 'jsonwebtoken';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { useTestApp } from '../helpers/app';
import { makeActor, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';

/*
 * Issue 12 #7: passwords that are common or breached are refused whatever their length (ASVS 2.1.7);
 * a token must carry `exp`; logout, a password change and deactivation end the user's tokens.
 */

const t = useTestApp();
const NEW_PASSWORD = 'Songshan-Shaolin-Teahouse-88';

const me = (auth: string) => t.http.get('/api/v1/auth/me').set('Authorization', auth);

describe('tokens', () => {
  it('when a correctly signed token has no exp, then 401', async () => {
    const a = await makeActor(t.config, 'buyer');
    const noExp = jwt.sign({ role: 'buyer', org: a.org.id, ver: 0 }, t.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: a.user.id,
      issuer: t.config.JWT_ISSUER,
      audience: t.config.JWT_AUDIENCE,
    });
    await me(`Bearer ${noExp}`).expect(401);
    await me(a.auth).expect(200);
  });

  it('when a user logs out, then every token of that user stops working and signing in again works', async () => {
    const a = await makeActor(t.config, 'buyer');
    const second = await t.http
      .post('/api/v1/auth/login')
      .send({ email: a.user.email, password: TEST_PASSWORD })
      .expect(200);
    await t.http.post('/api/v1/auth/logout').set('Authorization', a.auth).expect(204);
    await me(a.auth).expect(401);
    await me(`Bearer ${second.body.token}`).expect(401);
    const again = await t.http
      .post('/api/v1/auth/login')
      .send({ email: a.user.email, password: TEST_PASSWORD })
      .expect(200);
    await me(`Bearer ${again.body.token}`).expect(200);
  });

  it('when an admin deactivates a user, then that user can neither use a token nor sign in', async () => {
    const admin = await makeActor(t.config, 'admin');
    const a = await makeActor(t.config, 'provider');
    const res = await t.http.post(`/api/v1/admin/users/${a.user.id}/deactivate`).set('Authorization', admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: a.user.id, active: false });
    await me(a.auth).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: a.user.email, password: TEST_PASSWORD }).expect(401);
    const stored = await UserModel.findById(a.user._id).lean();
    expect(stored!.tokenVersion).toBeGreaterThan(0);
  });

  it('when an admin deactivates a user that does not exist, then 404', async () => {
    const admin = await makeActor(t.config, 'admin');
    await t.http
      .post('/api/v1/admin/users/0123456789abcdef01234567/deactivate')
      .set('Authorization', admin.auth)
      .expect(404);
  });
});

describe('changing the password', () => {
  it('when the current password is right, then the old tokens end, a new token comes back, and only the new password signs in', async () => {
    const a = await makeActor(t.config, 'buyer');
    const res = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', a.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
      .expect(200);
    await me(a.auth).expect(401);
    await me(`Bearer ${res.body.token}`).expect(200);
    await t.http.post('/api/v1/auth/login').send({ email: a.user.email, password: TEST_PASSWORD }).expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: a.user.email, password: NEW_PASSWORD }).expect(200);
  });

  it('when the current password is wrong, then 422 names it and nothing changes', async () => {
    const a = await makeActor(t.config, 'buyer');
    const before = await UserModel.findById(a.user._id).lean();
    const res = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', a.auth)
      .send({ currentPassword: 'not-the-password-9', newPassword: NEW_PASSWORD })
      .expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.currentPassword' })]);
    expect(await UserModel.findById(a.user._id).lean()).toEqual(before);
    await me(a.auth).expect(200);
  });
});

describe('common and breached passwords are refused, not only short ones', () => {
  const COMMON = ['1234567890', 'qwertyuiop', 'password123', 'iloveyou12345', 'P@ssw0rd2024'];

  it.each(COMMON)('when someone registers with %s, then 422 names the password and nothing is created', async (pw) => {
    const email = uniqueEmail('weak');
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({
        email,
        password: pw,
        displayName: '王五',
        role: 'buyer',
        org: { name: '弱密码公司', creditCode: randomCreditCode() },
      })
      .expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.password' })]);
    expect(await UserModel.countDocuments({ email })).toBe(0);
  });

  it('when a password is built from the e-mail address, then 422', async () => {
    const email = `zhangweiming${Date.now()}@example.cn`;
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({
        email,
        password: email.split('@')[0],
        displayName: '张伟明',
        role: 'buyer',
        org: { name: '某公司', creditCode: randomCreditCode() },
      });
    expect(res.status).toBe(422);
  });

  it('when an admin creates a user or a user changes to a common password, then 422 as well', async () => {
    const admin = await makeActor(t.config, 'admin');
    await t.http
      .post('/api/v1/admin/users')
      .set('Authorization', admin.auth)
      .send({
        email: uniqueEmail('weak'),
        password: 'password123',
        displayName: '审核员',
        role: 'exchange',
        org: { name: '交易中心', creditCode: randomCreditCode() },
      })
      .expect(422);
    const a = await makeActor(t.config, 'buyer');
    const res = await t.http
      .post('/api/v1/auth/password')
      .set('Authorization', a.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop' })
      .expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.newPassword' })]);
    await me(a.auth).expect(200);
  });
});
