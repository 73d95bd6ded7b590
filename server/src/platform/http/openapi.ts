import path from 'node:path';
import express, { Router } from 'express';
import { z, type ZodType } from 'zod';
import * as S from '@zdec/shared';
import { operations, type Access, type Operation, type Reply } from '@zdec/shared';
import { BODY_EXAMPLES, REPLY_EXAMPLES } from './examples';

function jsonSchema(schema: ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});

function accessText(access: Access): string {
  if (access === 'public') return 'Public.';
  if (access === 'public-or-signed-in') return 'Public; a signed-in owner or staff member sees more.';
  if (access === 'signed-in') return 'Any signed-in user; the service decides what each role sees.';
  return `Roles: ${access.roles.join(', ')}${access.duty ? ` (exchange staff of the ${access.duty} duty)` : ''}.`;
}

function parameters(op: Operation): unknown[] {
  const params: unknown[] = [];
  const pathProps = op.params ? (jsonSchema(op.params).properties as Record<string, unknown>) : {};
  for (const m of op.path.matchAll(/\{(\w+)\}/g)) {
    params.push({ name: m[1], in: 'path', required: true, schema: pathProps[m[1]!] ?? { type: 'string' } });
  }
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  for (const [name, h] of Object.entries(op.headers ?? {})) {
    params.push({
      name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: jsonSchema(h.schema),
    });
  }
  return params;
}

function success(reply: Reply, example: unknown): [string, unknown] {
  if ('json' in reply) {
    const content = { schema: jsonSchema(reply.json, 'output'), ...(example !== undefined ? { example } : {}) };
    return [String(reply.status ?? 200), { description: 'OK', content: { 'application/json': content } }];
  }
  if ('empty' in reply) return ['204', { description: 'Done; no content' }];
  const binary = { schema: { type: 'string', contentMediaType: reply.produces } };
  return [String(reply.status ?? 200), { description: reply.description, content: { [reply.produces]: binary } }];
}

/** The OpenAPI 3.1 document, generated from the registry of operations (shared/src/operations). */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const named = Object.entries(operations).flatMap(([group, ops]) =>
    Object.entries(ops as Record<string, Operation>).map(([name, op]) => [`${group}.${name}`, op] as const),
  );
  for (const [operationId, op] of named) {
    const [status, ok] = success(op.reply, REPLY_EXAMPLES[operationId]);
    const responses: Record<string, unknown> = {
      [status]: ok,
      '400': problemResponse('Malformed request'),
      '422': problemResponse('Request not acceptable'),
    };
    if (op.params) responses['404'] = problemResponse('No such record, or not one the caller may see');
    if (op.access !== 'public' && op.access !== 'public-or-signed-in') {
      responses['401'] = problemResponse('No valid bearer token');
      if (op.access !== 'signed-in') responses['403'] = problemResponse(accessText(op.access));
    }
    const operation: Record<string, unknown> = {
      operationId,
      tags: [op.tag],
      summary: op.summary,
      description: accessText(op.access),
      parameters: parameters(op),
      responses,
      ...(op.access === 'public' ? { security: [] } : {}),
      ...(op.access === 'public-or-signed-in' ? { security: [{}, { bearer: [] }] } : {}),
    };
    if (op.body) {
      const example = BODY_EXAMPLES[operationId];
      const content = { schema: jsonSchema(op.body), ...(example !== undefined ? { example } : {}) };
      operation.requestBody = { required: true, content: { 'application/json': content } };
    } else if (op.upload) {
      operation.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
              required: ['file'],
            },
          },
        },
      };
    }
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ZDEC public-data marketplace API',
      version: '1',
      description: '郑州数据交易中心 公共数据授权运营交易平台. Errors are RFC 9457 problem+json. Money is integer fen.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchema(S.Problem) },
    },
    paths,
  };
}

const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ZDEC API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui' });`;

/** `/api/v1/openapi.json` and the rendered `/api/docs` (swagger-ui, served locally). */
export function openApiRouter(): Router {
  const doc = JSON.stringify(openApiDocument());
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(doc);
  });
  router.use('/api/docs/assets', express.static(SWAGGER_DIR, { index: false, maxAge: '1d' }));
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  return router;
}
