import { z } from 'zod';
import { IdParams } from '../schemas/common';
import { SANDBOX_OUTCOMES, SandboxAuditQuery, SandboxQueryBody } from '../schemas/sandbox';
import { operation, type Access } from './define';
import { DetectorValue, Id, LevelValue, pageOf, Timestamp } from './views';

const Text = z.object({ zh: z.string(), en: z.string() });

/** GET /orders/{id}/sandbox: what the buyer may query, under which rules and limits. */
export const SandboxWorkspaceView = z.object({
  orderId: Id,
  orderNumber: z.string(),
  workspaceId: z.string().nullable(),
  listing: z.object({ id: Id, code: z.string().nullable(), title: z.string(), providerName: z.string() }),
  tables: z.array(
    z.object({
      name: z.string(),
      fields: z.array(
        z.object({
          name: z.string(),
          type: z.string(),
          sqlType: z.string(),
          description: z.string(),
          level: LevelValue,
          sensitive: z.boolean(),
          detector: DetectorValue.nullable(),
          coarsenings: z.array(z.string()),
        }),
      ),
    }),
  ),
  coarsenings: z.array(Text.extend({ name: z.string(), detectors: z.array(DetectorValue) })),
  rules: z.array(z.object({ id: z.string(), text: z.string() })),
  limits: z.object({
    k: z.number().int().min(1),
    maxRows: z.number().int(),
    timeoutMs: z.number().int(),
    memoryMb: z.number().int(),
  }),
  quota: z.object({ queries: z.number().int(), used: z.number().int(), left: z.number().int().min(0) }),
  validUntil: Timestamp.nullable(),
  examples: z.array(z.object({ title: Text, sql: z.string(), refused: z.boolean().optional() })),
});

/** A released result: aggregates only, groups below k withheld. */
export const SandboxResultView = z.object({
  columns: z.array(z.string()),
  types: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
});

/** One audited query (the regulator also sees how many records the suppressed groups held). */
export const SandboxQueryView = z.object({
  id: Id,
  orderId: Id,
  orderNumber: z.string(),
  listingCode: z.string(),
  buyerOrgId: Id,
  providerOrgId: Id,
  userId: Id,
  n: z.number().int(),
  sql: z.string(),
  sqlSha256: z.string(),
  dataSha256: z.string().nullable(),
  outcome: z.enum(SANDBOX_OUTCOMES),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  k: z.number().int(),
  rows: z.number().int().min(0),
  suppressedGroups: z.number().int().min(0),
  suppressedRecords: z.number().int().min(0).optional(),
  resultSha256: z.string().nullable(),
  result: SandboxResultView.nullable(),
  costMs: z.number(),
  engineMs: z.number(),
  statements: z.number().int().min(0),
  at: Timestamp,
});

const buyers = { roles: ['buyer'] } as const satisfies Access;
const auditReaders = { roles: ['buyer', 'provider', 'regulator'] } as const satisfies Access;

/** 数据可用不可见: the query sandbox of sandbox entitlements, and its audit. */
export const sandboxOperations = {
  workspace: operation({
    method: 'get',
    path: '/orders/{id}/sandbox',
    tag: 'sandbox',
    summary:
      'The sandbox workspace of a sandbox entitlement: tables, fields with levels, coarsenings, limits, quota, examples',
    access: buyers,
    params: IdParams,
    reply: { json: SandboxWorkspaceView },
  }),
  runQuery: operation({
    method: 'post',
    path: '/orders/{id}/sandbox/queries',
    tag: 'sandbox',
    summary: 'Run one SQL query under disclosure control (422 names the rule that refused it); audited and metered',
    access: buyers,
    params: IdParams,
    body: SandboxQueryBody,
    reply: {
      json: z.object({ query: SandboxQueryView, result: SandboxResultView.nullable(), callsLeft: z.number().int() }),
    },
  }),
  orderQueries: operation({
    method: 'get',
    path: '/orders/{id}/sandbox/queries',
    tag: 'sandbox',
    summary: 'The query history (audit) of one sandbox order',
    access: auditReaders,
    params: IdParams,
    query: SandboxAuditQuery,
    reply: { json: pageOf(SandboxQueryView) },
  }),
  audit: operation({
    method: 'get',
    path: '/sandbox/queries',
    tag: 'sandbox',
    summary: 'The sandbox audit: own organisation (buyer), own products (provider), all (regulator)',
    access: auditReaders,
    query: SandboxAuditQuery,
    reply: { json: pageOf(SandboxQueryView) },
  }),
};
