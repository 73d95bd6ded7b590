import { useTestApp } from '../helpers/app';

const t = useTestApp();

describe('OpenAPI', () => {
  it('when the document is fetched, then it describes every SPEC route with its request schema', async () => {
    const res = await t.http.get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/auth/register',
      '/resources/{id}/sample',
      '/listings/{id}/review',
      '/orders',
      '/ledger/verify',
      '/stats/targets',
    ]) {
      expect(paths).toContain(p);
    }
    const register = res.body.paths['/auth/register'].post;
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password', 'role', 'org']));
    expect(schema.additionalProperties).toBe(false);
    expect(res.body.paths['/orders'].post.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
  });

  it('when /api/docs is opened, then the rendered page and its assets are served locally', async () => {
    const page = await t.http.get('/api/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    await t.http.get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});
