import express from 'express';
import supertest from 'supertest';
import { z } from 'zod';
import { allOperations, expressPath, operation, operations } from '@zdec/shared';
import { createAuth } from '../../server/src/platform/http/auth';
import { operationRouter } from '../../server/src/platform/http/operations';
import { errorHandler } from '../../server/src/platform/http/problem';
import { useTestApp } from '../helpers/app';
import { mountedRoutes } from '../helpers/routes';

const t = useTestApp();

/** Routes outside the API: the documents about it, probes and the client's pages. */
const NOT_OPERATIONS = [
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/openapi.json',
  'GET /api/docs/init.js',
  'GET /api/docs',
];

describe('the registry of operations (shared/src/operations)', () => {
  it('when the app is built, then every mounted route is a registry operation and every operation is mounted', () => {
    const registry = allOperations.map((op) => `${op.method.toUpperCase()} ${expressPath(op.path)}`);
    const mounted = mountedRoutes(t.app);
    expect(mounted.length).toBeGreaterThan(50); // the walk still understands Express's router
    const unregistered = mounted.filter((r) => !registry.includes(r));
    expect(unregistered.filter((r) => !NOT_OPERATIONS.includes(r) && !r.startsWith('GET /{*'))).toEqual([]);
    expect(registry.filter((r) => !mounted.includes(r))).toEqual([]);
    expect(new Set(registry).size).toBe(registry.length); // no operation declared twice
  });

  it('when the OpenAPI document is built, then every operation has its reply described', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { operationId: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const op of allOperations) {
      const described = doc.paths[op.path]?.[op.method];
      expect(described).toBeDefined();
      const status = 'empty' in op.reply ? '204' : String(op.reply.status ?? 200);
      const reply = described!.responses[status];
      expect({ op: `${op.method} ${op.path}`, status, described: reply !== undefined }).toEqual({
        op: `${op.method} ${op.path}`,
        status,
        described: true,
      });
      if ('json' in op.reply) expect(reply!.content!['application/json']!.schema).toEqual(expect.any(Object));
    }
    const review = doc.paths['/listings/{id}/review']!.post!;
    expect(review.operationId).toBe('listings.review');
    const reply = review.responses['200']!.content!['application/json']!.schema as { required?: string[] };
    expect(reply.required).toEqual(expect.arrayContaining(['id', 'status', 'reviews', 'sampleScan']));
    expect(operations.listings.review.access).toEqual({ roles: ['exchange'], duty: 'review' });
  });

  describe('when a handler answers something other than its declared reply', () => {
    const probe = operation({
      method: 'get',
      path: '/probe/{n}',
      tag: 'test',
      summary: 'answers n as a number, or as a string when n is "drift"',
      access: 'public',
      params: z.strictObject({ n: z.string() }),
      reply: { json: z.object({ n: z.number(), at: z.iso.datetime() }) },
    });
    const appWith = (check: boolean) => {
      const app = express();
      const router = express.Router();
      operationRouter(
        router,
        createAuth(t.config, () => Promise.resolve(null)),
        { CHECK_RESPONSES: check },
      ).on(probe, ({ params }) =>
        Promise.resolve({ n: params.n === 'drift' ? params.n : Number(params.n), at: new Date() }),
      );
      app.use(router);
      app.use(errorHandler);
      return supertest(app);
    };

    it('then, under test, it is a 500 response-schema naming the field, and a matching reply passes', async () => {
      const ok = await appWith(true).get('/probe/7').expect(200);
      expect(ok.body.n).toBe(7);
      const bad = await appWith(true).get('/probe/drift').expect(500);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.body.type).toContain('response-schema');
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'reply.n' })]);
    });

    it('then, with the check off (production), the reply goes out as the handler made it', async () => {
      const res = await appWith(false).get('/probe/drift').expect(200);
      expect(res.body.n).toBe('drift');
    });
  });
});
