import path from 'node:path';
import express, { Router } from 'express';
import { z, type ZodType } from 'zod';
import * as S from '@zdec/shared';
import { operations, type Access, type Operation, type Reply } from '@zdec/shared';

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

function success(reply: Reply): [string, unknown] {
  if ('json' in reply) {
    const content = { schema: jsonSchema(reply.json, 'output'), ...(reply.example ? { example: reply.example } : {}) };
    return [String(reply.status ?? 200), { description: 'OK', content: { 'application/json': content } }];
  }
  if ('empty' in reply) return ['204', { description: 'Done; no content' }];
  const binary = { schema: { type: 'string', contentMediaType: reply.produces } };
  return [String(reply.status ?? 200), { description: reply.description, content: { [reply.produces]: binary } }];
}

/**
 * Operations still described by hand, not yet moved into the registry (their routers mount them
 * with Express chains of their own): the ledger and its proofs, receipts, the sandbox and the
 * supervision views. They are documented without a reply schema; the coverage test lists them by
 * name, so the list can only shrink. Moving one means declaring it in shared/src/operations/.
 */
interface HandDescribed {
  method: 'get' | 'post';
  path: string;
  summary: string;
  access: 'public' | S.Role[];
  tag: string;
  body?: ZodType;
  query?: ZodType;
  produces?: string;
  success?: number;
}

const ANY_ROLE = [...S.ROLES];

export const NOT_YET_IN_REGISTRY: HandDescribed[] = [
  {
    method: 'get',
    path: '/orders/{id}/sandbox',
    tag: 'sandbox',
    summary:
      'The sandbox workspace of a sandbox entitlement: tables, fields with levels, coarsenings, limits, quota, examples',
    access: ['buyer'],
  },
  {
    method: 'post',
    path: '/orders/{id}/sandbox/queries',
    tag: 'sandbox',
    summary: 'Run one SQL query under disclosure control (422 names the rule that refused it); audited and metered',
    access: ['buyer'],
    body: S.SandboxQueryBody,
  },
  {
    method: 'get',
    path: '/orders/{id}/sandbox/queries',
    tag: 'sandbox',
    summary: 'The query history (audit) of one sandbox order',
    access: ['buyer', 'provider', 'regulator'],
    query: S.SandboxAuditQuery,
  },
  {
    method: 'get',
    path: '/sandbox/queries',
    tag: 'sandbox',
    summary: 'The sandbox audit: own organisation (buyer), own products (provider), all (regulator)',
    access: ['buyer', 'provider', 'regulator'],
    query: S.SandboxAuditQuery,
  },
  {
    method: 'get',
    path: '/ledger',
    tag: 'ledger',
    summary: 'Ledger entries with filters',
    access: ['regulator', 'exchange'],
    query: S.LedgerQuery,
  },
  {
    method: 'get',
    path: '/ledger/verify',
    tag: 'ledger',
    summary: 'Recompute the hash chain over a seq range',
    access: ['regulator', 'exchange'],
    query: S.VerifyQuery,
  },
  {
    method: 'get',
    path: '/ledger/export.csv',
    tag: 'ledger',
    summary: 'Streamed CSV (UTF-8 with BOM) of the filtered ledger',
    access: ['regulator', 'exchange'],
    query: S.LedgerFilter,
    produces: 'text/csv',
  },
  { method: 'get', path: '/ledger/checkpoints', tag: 'ledger', summary: 'Signed daily heads', access: 'public' },
  {
    method: 'get',
    path: '/ledger/public-key',
    tag: 'ledger',
    summary: 'Ed25519 public key of the checkpoints',
    access: 'public',
  },
  {
    method: 'get',
    path: '/ledger/checkpoints.json',
    tag: 'ledger',
    summary: 'Every signed checkpoint in one file (for the offline verifier)',
    access: 'public',
  },
  {
    method: 'get',
    path: '/ledger/public-key.pem',
    tag: 'ledger',
    summary: 'The Ed25519 public key as PEM (for the offline verifier)',
    access: 'public',
    produces: 'application/x-pem-file',
  },
  {
    method: 'get',
    path: '/ledger/proofs/{seq}',
    tag: 'ledger',
    summary: 'An entry (as its viewer may see it) and its RFC 9162 inclusion proof under the latest signed tree head',
    access: 'public',
    query: S.ProofQuery,
  },
  {
    method: 'get',
    path: '/ledger/consistency',
    tag: 'ledger',
    summary: 'RFC 9162 consistency proof between two signed tree heads (to: latest by default)',
    access: 'public',
    query: S.ConsistencyQuery,
  },
  {
    method: 'get',
    path: '/receipts/by-digest/{digest}',
    tag: 'receipts',
    summary: 'The receipt bundle a QR code names by its digest',
    access: 'public',
  },
  {
    method: 'get',
    path: '/receipts/lookup',
    tag: 'receipts',
    summary: 'The proof behind a certificate number, listing code or order number',
    access: 'public',
    query: S.LookupQuery,
  },
  {
    method: 'get',
    path: '/receipts/{kind}/{id}',
    tag: 'receipts',
    summary: 'Issue (once) and show the certificate or receipt of a record, with its QR code; for its holder',
    access: ANY_ROLE,
  },
  {
    method: 'get',
    path: '/receipts/{kind}/{id}/pdf',
    tag: 'receipts',
    summary: 'The certificate or receipt as PDF (Chinese font embedded); for its holder',
    access: ANY_ROLE,
    produces: 'application/pdf',
  },
  {
    method: 'get',
    path: '/supervision/report',
    tag: 'supervision',
    summary:
      'Supervision views from the ledger: by month, domain, organisation, grade; largest trades; near fee caps; repeated pairs',
    access: ['regulator', 'exchange'],
    query: S.SupervisionQuery,
  },
  {
    method: 'get',
    path: '/supervision/export',
    tag: 'supervision',
    summary: 'One supervision view as streamed CSV (UTF-8 with BOM) or XLSX',
    access: ['regulator', 'exchange'],
    query: S.SupervisionExportQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/supervision/orgs',
    tag: 'supervision',
    summary: 'Organisation suggestions by name or credit code prefix',
    access: ['regulator', 'exchange'],
    query: S.OrgSuggestQuery,
  },
  {
    method: 'get',
    path: '/supervision/entries/{seq}',
    tag: 'supervision',
    summary: 'One ledger entry with its organisations and the order, listing, resource and authorization it names',
    access: ['regulator', 'exchange'],
  },
];

function handDescribed(op: HandDescribed): Record<string, unknown> {
  const params: unknown[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (op.query) {
    const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
  }
  const media = op.produces ?? 'application/json';
  return {
    tags: [op.tag],
    summary: op.summary,
    description: `${op.access === 'public' ? 'Public.' : `Roles: ${op.access.join(', ')}.`} (Reply not yet described.)`,
    parameters: params,
    responses: {
      [String(op.success ?? 200)]: { description: 'OK', content: { [media]: {} } },
      '400': problemResponse('Malformed request'),
      '422': problemResponse('Request not acceptable'),
      ...(op.access === 'public'
        ? {}
        : {
            '401': problemResponse('No valid bearer token'),
            '403': problemResponse(`Roles allowed: ${op.access.join(', ')}`),
          }),
    },
    ...(op.access === 'public' ? { security: [] } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
      : {}),
  };
}

/** The OpenAPI 3.1 document, generated from the registry of operations (shared/src/operations). */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const named = Object.entries(operations).flatMap(([group, ops]) =>
    Object.entries(ops as Record<string, Operation>).map(([name, op]) => [`${group}.${name}`, op] as const),
  );
  for (const [operationId, op] of named) {
    const [status, ok] = success(op.reply);
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
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } };
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
  for (const op of NOT_YET_IN_REGISTRY) (paths[op.path] ??= {})[op.method] = handDescribed(op);
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
