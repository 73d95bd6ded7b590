import bcrypt from 'bcryptjs';
import { OrgModel } from '../../server/src/modules/accounts/org.model';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { useTestApp } from '../helpers/app';
import { makeActor, randomCreditCode, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';

/*
 * Issue 12 #5: neither login nor registration tells whether an e-mail address has an account.
 * The work is compared, not the clock: every bcrypt call is recorded (the real bcrypt runs), and a
 * bcrypt hash carries its cost, so "as slow" is "the same calls at the same cost". The configured
 * cost here (5) differs from the test factory's (4) and from the old dummy hash's (10).
 */

const t = useTestApp({ BCRYPT_ROUNDS: '5' });

const calls: { fn: 'compare' | 'hash'; rounds: number }[] = [];
beforeEach(() => {
  calls.length = 0;
  jest.restoreAllMocks();
  const compare = bcrypt.compare.bind(bcrypt);
  const hash = bcrypt.hash.bind(bcrypt);
  jest.spyOn(bcrypt, 'compare').mockImplementation((async (s: string, h: string) => {
    calls.push({ fn: 'compare', rounds: bcrypt.getRounds(h) });
    return compare(s, h);
  }) as typeof bcrypt.compare);
  jest.spyOn(bcrypt, 'hash').mockImplementation((async (s: string, r: number | string) => {
    calls.push({ fn: 'hash', rounds: typeof r === 'number' ? r : bcrypt.getRounds(r) });
    return hash(s, r);
  }) as typeof bcrypt.hash);
});
afterAll(() => jest.restoreAllMocks());

const registration = (overrides: Record<string, unknown> = {}) => ({
  email: uniqueEmail('buyer'),
  password: 'Zhengzhou-Exchange-2026!',
  displayName: '李四',
  role: 'buyer',
  org: { name: `郑州某物流有限公司 ${randomCreditCode()}`, creditCode: randomCreditCode() },
  ...overrides,
});

/** The answer without what differs per request anyway. */
const outcome = (res: { status: number; body: Record<string, unknown> }) => {
  const { instance: _i, requestId: _r, ...body } = res.body;
  return { status: res.status, body };
};

describe('login does the same work for an unknown e-mail and a wrong password', () => {
  it('when the e-mail is unknown, then the password is compared against a hash of the configured cost', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'whatever-1' });
    expect(res.status).toBe(401);
    expect(calls).toEqual([{ fn: 'compare', rounds: t.config.BCRYPT_ROUNDS }]);
  });

  it('when the e-mail is known and the password wrong, then the same comparison at the same cost, the same 401', async () => {
    const body = registration();
    expect((await t.http.post('/api/v1/auth/register').send(body)).status).toBe(202);
    calls.length = 0;
    const known = await t.http.post('/api/v1/auth/login').send({ email: body.email, password: 'wrong-password-1' });
    const knownCalls = [...calls];
    calls.length = 0;
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ email: uniqueEmail('x'), password: 'wrong-password-1' });
    expect(knownCalls).toEqual([{ fn: 'compare', rounds: t.config.BCRYPT_ROUNDS }]);
    expect(calls).toEqual(knownCalls);
    expect(outcome(known)).toEqual(outcome(unknown));
  });

  it('when a user with an older, cheaper hash signs in, then the hash is brought up to the configured cost', async () => {
    const a = await makeActor(t.config, 'buyer'); // factory hash: cost 4
    await t.http.post('/api/v1/auth/login').send({ email: a.user.email, password: TEST_PASSWORD }).expect(200);
    const stored = await UserModel.findById(a.user._id).lean();
    expect(bcrypt.getRounds(stored!.passwordHash)).toBe(t.config.BCRYPT_ROUNDS);
    await t.http.post('/api/v1/auth/login').send({ email: a.user.email, password: TEST_PASSWORD }).expect(200);
  });
});

describe('registration does not confirm whether an address has an account', () => {
  it('when the e-mail is taken, then the answer and the work are those of a new address, and the account is untouched', async () => {
    const first = registration();
    const created = await t.http.post('/api/v1/auth/register').send(first);
    expect(created.status).toBe(202);
    const createdCalls = [...calls];
    const before = await UserModel.findOne({ email: first.email }).lean();

    calls.length = 0;
    const again = registration({ email: first.email, password: 'Another-Pass-Phrase-77' });
    const taken = await t.http.post('/api/v1/auth/register').send(again);
    expect(outcome(taken)).toEqual(outcome(created));
    expect(calls).toEqual(createdCalls);
    expect(JSON.stringify(taken.body)).not.toContain('already exists');

    const after = await UserModel.findOne({ email: first.email }).lean();
    expect(after).toEqual(before);
    expect(await OrgModel.countDocuments({ creditCode: again.org.creditCode })).toBe(0);
    await t.http.post('/api/v1/auth/login').send({ email: first.email, password: first.password }).expect(200);
    await t.http.post('/api/v1/auth/login').send({ email: first.email, password: again.password }).expect(401);
  });

  it('when the address is new, then the account is created and signing in with it works (the client signs in next)', async () => {
    const body = registration({ role: 'provider' });
    const res = await t.http.post('/api/v1/auth/register').send(body);
    expect(res.status).toBe(202);
    expect(res.body.token).toBeUndefined();
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password })
      .expect(200);
    expect(login.body.user).toMatchObject({
      email: body.email,
      role: 'provider',
      org: { creditCode: body.org.creditCode },
    });
  });
});
