import path from 'node:path';
import express, { Router } from 'express';
import { z, type ZodType } from 'zod';
import * as S from '@zdec/shared';

type Method = 'get' | 'post' | 'patch' | 'delete';
type Access = 'public' | S.Role[];

interface Operation {
  method: Method;
  path: string;
  summary: string;
  access: Access;
  tag: string;
  body?: ZodType;
  query?: ZodType;
  multipart?: boolean;
  /** Response description when it is not JSON. */
  produces?: string;
  success?: number;
}

const ANY_ROLE = [...S.ROLES];

/** The HTTP API of SPEC section 6, described from the same zod schemas that validate requests. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/auth/register',
    tag: 'accounts',
    summary:
      'Self-register a buyer or provider with its organisation; 202 whether or not the e-mail already has an account (then sign in)',
    access: 'public',
    body: S.RegisterBody,
    success: 202,
  },
  { method: 'post', path: '/auth/login', tag: 'accounts', summary: 'Sign in', access: 'public', body: S.LoginBody },
  {
    method: 'get',
    path: '/auth/me',
    tag: 'accounts',
    summary: 'The signed-in user and organisation',
    access: ANY_ROLE,
  },
  // sessions (issue 12 #7)
  {
    method: 'post',
    path: '/auth/logout',
    tag: 'accounts',
    summary: 'Sign out: ends every token of the caller (all devices)',
    access: ANY_ROLE,
    success: 204,
  },
  {
    method: 'post',
    path: '/auth/password',
    tag: 'accounts',
    summary:
      "Change the password (common and breached passwords refused); ends the caller's other tokens, returns a new one",
    access: ANY_ROLE,
    body: S.ChangePasswordBody,
  },
  {
    method: 'post',
    path: '/admin/users/{id}/deactivate',
    tag: 'accounts',
    summary: "Deactivate a user: no sign-in, and the user's tokens end at once",
    access: ['admin'],
  },
  {
    method: 'get',
    path: '/orgs',
    tag: 'accounts',
    summary: 'Look organisations up by credit code or ids',
    access: ANY_ROLE,
    query: S.OrgLookupQuery,
  },
  {
    method: 'post',
    path: '/admin/users',
    tag: 'accounts',
    summary: 'Create a user of any role',
    access: ['admin'],
    body: S.AdminCreateUserBody,
    success: 201,
  },
  {
    method: 'post',
    path: '/resources',
    tag: 'catalog',
    summary: 'Create a draft resource',
    access: ['authority', 'provider'],
    body: S.ResourceCreateBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/resources',
    tag: 'catalog',
    summary: 'Search the catalog',
    access: ANY_ROLE,
    query: S.ResourceQuery,
  },
  { method: 'get', path: '/resources/{id}', tag: 'catalog', summary: 'One resource', access: ANY_ROLE },
  {
    method: 'patch',
    path: '/resources/{id}',
    tag: 'catalog',
    summary: 'Edit a draft resource',
    access: ['authority', 'provider'],
    body: S.ResourceUpdateBody,
  },
  {
    method: 'post',
    path: '/resources/{id}/sample',
    tag: 'catalog',
    summary: 'Upload a sample (CSV, JSON or XLSX, ≤ 10 MB); returns the scan and proposed grade',
    access: ['authority', 'provider'],
    multipart: true,
  },
  {
    method: 'get',
    path: '/resources/{id}/sample',
    tag: 'catalog',
    summary: 'Download the sample (owner, authority, exchange, regulator)',
    access: ['authority', 'provider', 'exchange', 'regulator'],
    produces: 'application/octet-stream',
  },
  {
    method: 'post',
    path: '/resources/{id}/register',
    tag: 'catalog',
    summary: 'Register (grade may only be raised); issues the certificate',
    access: ['authority', 'provider'],
    body: S.ResourceRegisterBody,
  },
  {
    method: 'post',
    path: '/resources/{id}/retire',
    tag: 'catalog',
    summary: 'Retire a registered resource',
    access: ['authority', 'provider'],
  },
  // daily work (issue 16): registration lifecycle (公示, 异议, 变更、更正、注销)
  {
    method: 'get',
    path: '/registration-notices',
    tag: 'registration',
    summary: 'Registrations under public notice (公示), or decided ones by status',
    access: 'public',
    query: S.NoticeQuery,
  },
  {
    method: 'get',
    path: '/registration-notices/{id}',
    tag: 'registration',
    summary: 'One notice (id `<resourceId>#<n>`, # percent-encoded) with its objections',
    access: 'public',
  },
  {
    method: 'post',
    path: '/registration-notices/{id}/objections',
    tag: 'registration',
    summary: 'Object to a registration under notice (异议)',
    access: ANY_ROLE,
    body: S.ObjectionBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/registration-objections',
    tag: 'registration',
    summary: 'Objections to rule on',
    access: ['authority', 'regulator'],
  },
  {
    method: 'post',
    path: '/registration-objections/{id}/ruling',
    tag: 'registration',
    summary: 'Uphold or dismiss an objection, with reasons',
    access: ['authority'],
    body: S.ObjectionRulingBody,
  },
  {
    method: 'get',
    path: '/resources/{id}/registration-history',
    tag: 'registration',
    summary: 'Notices, certificate and amendments of a resource',
    access: ANY_ROLE,
  },
  {
    method: 'post',
    path: '/resources/{id}/amendments',
    tag: 'registration',
    summary: 'Change (变更) or correction (更正) registration, with its reason; appends to the ledger',
    access: ['authority', 'provider'],
    body: S.AmendmentBody,
    success: 201,
  },
  {
    method: 'post',
    path: '/resources/{id}/cancel',
    tag: 'registration',
    summary: 'Cancellation registration (注销), with its reason; appends resource.cancelled',
    access: ['authority', 'provider'],
    body: S.CancellationBody,
  },
  // daily work (issue 16): notifications
  {
    method: 'get',
    path: '/notifications',
    tag: 'notifications',
    summary: "The caller's inbox, newest first, with the unread count",
    access: ANY_ROLE,
    query: S.PageQuery,
  },
  {
    method: 'get',
    path: '/notifications/unread-count',
    tag: 'notifications',
    summary: 'Unread notifications (capped at 99)',
    access: ANY_ROLE,
  },
  {
    method: 'post',
    path: '/notifications/read-all',
    tag: 'notifications',
    summary: 'Mark every notification read',
    access: ANY_ROLE,
    body: S.EmptyBody,
  },
  {
    method: 'post',
    path: '/notifications/{id}/read',
    tag: 'notifications',
    summary: 'Mark one notification read (id `<userId>:<n>`)',
    access: ANY_ROLE,
    body: S.EmptyBody,
  },
  // daily work (issue 16): authorization applications
  {
    method: 'post',
    path: '/authorization-applications',
    tag: 'authorizations',
    summary: 'Apply for an authorization, or its renewal (授权运营申请)',
    access: ['provider'],
    body: S.ApplicationBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/authorization-applications',
    tag: 'authorizations',
    summary: 'Applications (the operator its own); pending first unless filtered by status',
    access: ['authority', 'provider', 'regulator'],
    query: S.ApplicationQuery,
  },
  {
    method: 'post',
    path: '/authorization-applications/{id}/decision',
    tag: 'authorizations',
    summary: 'Approve (grants) or reject with reasons',
    access: ['authority'],
    body: S.ApplicationDecisionBody,
  },
  {
    method: 'post',
    path: '/authorizations',
    tag: 'authorizations',
    summary: 'Grant an authorization',
    access: ['authority'],
    body: S.AuthorizationCreateBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/authorizations',
    tag: 'authorizations',
    summary: 'List authorizations (`expiringWithinDays`: ending within N Asia/Shanghai days, soonest first)',
    access: ['authority', 'provider', 'exchange', 'regulator'],
    query: S.AuthorizationQuery,
  },
  {
    method: 'get',
    path: '/authorizations/{id}',
    tag: 'authorizations',
    summary: 'One authorization',
    access: ['authority', 'provider', 'exchange', 'regulator'],
  },
  {
    method: 'post',
    path: '/authorizations/{id}/suspend',
    tag: 'authorizations',
    summary: 'Suspend; suspends dependent listings',
    access: ['authority'],
    body: S.AuthorizationActionBody,
  },
  {
    method: 'post',
    path: '/authorizations/{id}/resume',
    tag: 'authorizations',
    summary: 'Resume a suspended authorization',
    access: ['authority'],
    body: S.AuthorizationActionBody,
  },
  {
    method: 'post',
    path: '/authorizations/{id}/revoke',
    tag: 'authorizations',
    summary: 'Revoke; suspends dependent listings',
    access: ['authority'],
    body: S.AuthorizationActionBody,
  },
  {
    method: 'post',
    path: '/listings',
    tag: 'listings',
    summary: 'Create a draft listing',
    access: ['provider'],
    body: S.ListingCreateBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/listings',
    tag: 'listings',
    // Catalog search engine (issue 11): BM25 relevance with q, facet counts in `facets`.
    summary:
      'Public catalog of listed products: search (relevance by default with q), filters, sorts, and facet counts (domain, type, grade, price band)',
    access: 'public',
    query: S.ListingQuery,
  },
  {
    method: 'get',
    path: '/listings/{id}',
    tag: 'listings',
    summary: 'One listing (public when listed)',
    access: 'public',
  },
  {
    method: 'patch',
    path: '/listings/{id}',
    tag: 'listings',
    summary: 'Edit while draft or rejected',
    access: ['provider'],
    body: S.ListingUpdateBody,
  },
  {
    method: 'get',
    path: '/listings/{id}/sample',
    tag: 'listings',
    summary: 'Download the listing sample (public when listed)',
    access: 'public',
    produces: 'application/octet-stream',
  },
  {
    method: 'post',
    path: '/listings/{id}/sample',
    tag: 'listings',
    summary: 'Upload the listing sample',
    access: ['provider'],
    multipart: true,
  },
  {
    method: 'post',
    path: '/listings/{id}/data',
    tag: 'listings',
    summary: 'Upload the deliverable data file',
    access: ['provider'],
    multipart: true,
  },
  {
    method: 'post',
    path: '/listings/{id}/submit',
    tag: 'listings',
    summary: 'Submit for review',
    access: ['provider'],
  },
  {
    method: 'post',
    path: '/listings/{id}/review',
    tag: 'listings',
    summary: 'Approve (runs the compliance rules) or reject',
    access: ['exchange'],
    body: S.ReviewBody,
  },
  {
    method: 'post',
    path: '/listings/{id}/delist',
    tag: 'listings',
    summary: 'Delist',
    access: ['provider', 'exchange'],
    body: S.DelistBody,
  },
  {
    method: 'post',
    path: '/orders',
    tag: 'trade',
    summary: 'Order a listed product (Idempotency-Key header)',
    access: ['buyer'],
    body: S.OrderCreateBody,
    success: 201,
  },
  {
    method: 'get',
    path: '/orders',
    tag: 'trade',
    summary: 'Orders visible to the caller',
    access: ['buyer', 'provider', 'exchange', 'regulator'],
    query: S.OrderQuery,
  },
  {
    method: 'get',
    path: '/orders/{id}',
    tag: 'trade',
    summary: 'One order',
    access: ['buyer', 'provider', 'exchange', 'regulator'],
  },
  {
    method: 'get',
    path: '/orders/{id}/payment',
    tag: 'trade',
    summary: 'Payment instructions of an unpaid order again',
    access: ['buyer'],
  },
  {
    method: 'post',
    path: '/orders/{id}/cancel',
    tag: 'trade',
    summary: 'Cancel an unpaid order',
    access: ['buyer', 'exchange'],
  },
  {
    method: 'post',
    path: '/orders/{id}/confirm-transfer',
    tag: 'trade',
    summary: 'Confirm a bank transfer; settles the order',
    access: ['exchange'],
    body: S.ConfirmTransferBody,
  },
  {
    method: 'post',
    path: '/orders/{id}/refund',
    tag: 'trade',
    summary: 'Refund a settled order',
    access: ['exchange'],
    body: S.RefundBody,
  },
  // buyers' refund requests (issue 16 item 5)
  {
    method: 'post',
    path: '/orders/{id}/refund-request',
    tag: 'trade',
    summary: "Request a refund of the buyer's settled order, with a reason; 409 while one is open",
    access: ['buyer'],
    body: S.RefundRequestBody,
    success: 201,
  },
  {
    method: 'post',
    path: '/orders/{id}/refund-request/decline',
    tag: 'trade',
    summary: "Decline the order's open refund request, with reasons (clearing staff; refunding closes it too)",
    access: ['exchange'],
    body: S.RefundDeclineBody,
  },
  {
    method: 'get',
    path: '/refund-requests',
    tag: 'trade',
    summary: 'Refund requests, newest first: the open ones (the clearing queue) or all',
    access: ['exchange', 'regulator'],
    query: S.RefundRequestQuery,
  },
  {
    method: 'get',
    path: '/orders/{id}/delivery',
    tag: 'delivery',
    summary: 'The entitlement: download URL, API key or sandbox access',
    access: ['buyer'],
  },
  {
    method: 'get',
    path: '/deliveries/{token}',
    tag: 'delivery',
    summary: 'Download the data file while the token is valid',
    access: 'public',
    produces: 'application/octet-stream',
  },
  {
    method: 'get',
    path: '/data/{listingCode}',
    tag: 'delivery',
    summary: 'Metered data API (X-Api-Key header)',
    access: 'public',
  },
  // sandbox (issue 14)
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
    method: 'post',
    path: '/payments/stripe/webhook',
    tag: 'trade',
    summary: 'Stripe webhook (signature verified over the raw body)',
    access: 'public',
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
  // verifiable receipts (issue 15): Merkle proofs, certificates and receipts
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
    path: '/stats/targets',
    tag: 'stats',
    summary: 'Progress toward the 2027 targets, from the ledger',
    access: 'public',
  },
  {
    method: 'get',
    path: '/stats/demo-world',
    tag: 'stats',
    summary: 'Whether the demo world is loading, and how far it is (the pages show a banner)',
    access: 'public',
  },
  {
    method: 'get',
    path: '/disclosures/{year}',
    tag: 'disclosures',
    summary: 'Annual disclosure per authorization',
    access: 'public',
  },
  // buyer dossier + watch list, supervision views (issue 16 items 1–2)
  {
    method: 'get',
    path: '/listings/{id}/dossier',
    tag: 'listings',
    summary:
      'What a buyer may know before paying: data dictionary, records, coverage, masked sample preview, review, authorization, certificates',
    access: 'public',
  },
  {
    method: 'get',
    path: '/watchlist',
    tag: 'listings',
    summary: "The buyer's watch list",
    access: ['buyer'],
    query: S.PageQuery,
  },
  {
    method: 'post',
    path: '/watchlist',
    tag: 'listings',
    summary: 'Watch a listed product (201 new, 200 already watched)',
    access: ['buyer'],
    body: S.WatchBody,
    success: 201,
  },
  {
    method: 'delete',
    path: '/watchlist/{listingId}',
    tag: 'listings',
    summary: 'Stop watching a product',
    access: ['buyer'],
    success: 204,
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

function jsonSchema(schema: ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<
    string,
    unknown
  >;
}

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});

/** Builds the OpenAPI 3.0 document. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params: unknown[] = [];
    for (const m of op.path.matchAll(/\{(\w+)\}/g)) {
      params.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    }
    if (op.query) {
      const q = jsonSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    if (op.path === '/orders' && op.method === 'post') {
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: jsonSchema(S.IdempotencyKey) });
    }
    const responses: Record<string, unknown> = {
      [String(op.success ?? 200)]: op.produces
        ? { description: 'OK', content: { [op.produces]: {} } }
        : { description: 'OK', content: { 'application/json': {} } },
      '400': problemResponse('Malformed request'),
      '422': problemResponse('Request not acceptable'),
    };
    if (op.access !== 'public') {
      responses['401'] = problemResponse('No valid bearer token');
      responses['403'] = problemResponse(`Roles allowed: ${op.access.join(', ')}`);
    }
    const operation: Record<string, unknown> = {
      tags: [op.tag],
      summary: op.summary,
      description: op.access === 'public' ? 'Public.' : `Roles: ${op.access.join(', ')}.`,
      parameters: params,
      responses,
      ...(op.access === 'public' ? { security: [] } : {}),
    };
    if (op.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } };
    } else if (op.multipart) {
      operation.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
          },
        },
      };
    }
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.0.3',
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
