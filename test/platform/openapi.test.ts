import { operations, type Operation } from '@zdec/shared';
import { BODY_EXAMPLES, REPLY_EXAMPLES } from '../../server/src/platform/http/examples';
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

  it('when an operation has examples, then each is what its schema accepts, and the document shows it', async () => {
    const byId = new Map<string, Operation>(
      Object.entries(operations).flatMap(([group, ops]) =>
        Object.entries(ops as Record<string, Operation>).map(([name, op]) => [`${group}.${name}`, op] as const),
      ),
    );
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    expect(Object.keys(REPLY_EXAMPLES).length).toBeGreaterThanOrEqual(15);
    for (const [id, example] of Object.entries(BODY_EXAMPLES)) {
      const op = byId.get(id);
      expect([id, op?.body?.safeParse(example).error?.issues]).toEqual([id, undefined]);
      expect(doc.paths[op!.path][op!.method].requestBody.content['application/json'].example).toEqual(example);
    }
    for (const [id, example] of Object.entries(REPLY_EXAMPLES)) {
      const op = byId.get(id);
      const reply = op && 'json' in op.reply ? op.reply : undefined;
      expect([id, reply?.json.safeParse(example).error?.issues]).toEqual([id, undefined]);
      const ok = doc.paths[op!.path][op!.method].responses[String(reply!.status ?? 200)];
      expect(ok.content['application/json'].example).toEqual(example);
    }
  });

  it('when /api/docs is opened, then the rendered page and its assets are served locally', async () => {
    const page = await t.http.get('/api/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    await t.http.get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});
