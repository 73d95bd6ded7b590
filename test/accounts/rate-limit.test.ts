import { useTestApp } from '../helpers/app';

const t = useTestApp({ AUTH_RATE_LIMIT: '3' });

describe('rate limiting on login', () => {
  it('when the limit is exceeded, then 429 problem+json', async () => {
    for (let i = 0; i < 3; i++) {
      await t.http.post('/api/v1/auth/login').send({ email: 'x@example.cn', password: 'whatever-1' }).expect(401);
    }
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'x@example.cn', password: 'whatever-1' })
      .expect(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
