import express from 'express';
import supertest from 'supertest';
import { AppError } from '../../server/src/platform/errors';
import { errorHandler } from '../../server/src/platform/http/problem';
import { useTestApp } from '../helpers/app';

const t = useTestApp();

describe('problem+json errors', () => {
  const app = express();
  for (const status of [400, 401, 403, 404, 409, 413, 415, 422, 429]) {
    app.get(`/app-error/${status}`, () => {
      throw new AppError('example', status, `example ${status}`);
    });
  }
  app.get('/boom', () => {
    throw new Error('secret internal detail at /srv/app.ts:42');
  });
  app.use(errorHandler);

  it.each([400, 401, 403, 404, 409, 413, 415, 422, 429])(
    'when a service throws a %i, then the client gets exactly that status',
    async (status) => {
      const res = await supertest(app).get(`/app-error/${status}`).expect(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, type: 'urn:zdec:problem:example', detail: `example ${status}` });
    },
  );

  it('when something unexpected throws, then 500 with nothing internal in the body', async () => {
    const res = await supertest(app).get('/boom').expect(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret|app\.ts|stack/);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
  });

  it('when a field fails a shared schema, then its error carries the message and its stable code', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-address', password: 'short', displayName: 'x', role: 'buyer' })
      .expect(400);
    const byPath = Object.fromEntries(
      (res.body.errors as { path: string; message: string; code?: string }[]).map((e) => [e.path, e]),
    );
    expect(byPath['body.email']).toEqual({ path: 'body.email', message: 'must be an e-mail address', code: 'email' });
    expect(byPath['body.password']).toEqual({
      path: 'body.password',
      message: 'at least 10 characters',
      code: 'password',
    });
    expect(byPath['body.org']).toMatchObject({ code: 'invalid_type' });
  });

  it('when the JSON body is larger than the limit, then 413', async () => {
    const big = JSON.stringify({ email: 'x'.repeat(1_100_000), password: 'y' });
    const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body.status).toBe(413);
  });

  it('when a key looks like an operator anywhere in the body, then 400', async () => {
    await t.http
      .post('/api/v1/auth/register')
      .send({
        email: 'a@b.cn',
        password: 'x'.repeat(12),
        displayName: 'x',
        role: 'buyer',
        org: { name: 'xx', $where: '1' },
      })
      .expect(400);
  });
});

describe('health', () => {
  it('when the database is connected, then /readyz is 200 and /healthz is 200', async () => {
    await t.http.get('/healthz').expect(200);
    const res = await t.http.get('/readyz').expect(200);
    expect(res.body.database).toBe('up');
  });

  it('every response carries a request id', async () => {
    const res = await t.http.get('/healthz');
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9-]{8,64}$/);
  });
});
