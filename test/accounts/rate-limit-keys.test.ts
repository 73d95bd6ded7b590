import { useTestApp } from '../helpers/app';
import { makeActor, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';

/*
 * Issue 12 #8: failed logins are counted per client address and account, so one client behind a
 * shared proxy cannot lock everyone else out; a looser ceiling per address bounds password spraying.
 */
const t = useTestApp({ AUTH_RATE_LIMIT: '3', AUTH_IP_RATE_LIMIT: '8' });

const login = (email: string, password: string) => t.http.post('/api/v1/auth/login').send({ email, password });

describe('login rate limiting by address and account', () => {
  it('when one account is hammered from an address, then only that account is limited there; others sign in', async () => {
    const victim = uniqueEmail('target');
    for (let i = 0; i < 3; i++) expect((await login(victim, 'wrong-password-x')).status).toBe(401);
    expect((await login(victim, 'wrong-password-x')).status).toBe(429);
    const colleague = await makeActor(t.config, 'buyer');
    expect((await login(colleague.user.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('when sign-ins succeed, then they do not count towards the limit', async () => {
    const a = await makeActor(t.config, 'buyer');
    for (let i = 0; i < 4; i++) expect((await login(a.user.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('when one address fails against many accounts, then the per-address ceiling stops it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(uniqueEmail('spray'), 'wrong-password-x')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect((await login(uniqueEmail('spray'), 'wrong-password-x')).status).toBe(429);
  });
});
