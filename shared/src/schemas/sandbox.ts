import { z } from 'zod';
import { PageQuery } from './common';

/** POST /orders/:id/sandbox/queries: one SQL statement (DuckDB dialect) over the product's tables. */
export const SandboxQueryBody = z.strictObject({
  sql: z.string().trim().min(1, 'write a query').max(20_000),
});
export type SandboxQueryBody = z.infer<typeof SandboxQueryBody>;

export const SANDBOX_OUTCOMES = ['ran', 'suppressed', 'refused', 'failed'] as const;

/** GET /sandbox/queries and /orders/:id/sandbox/queries. */
export const SandboxAuditQuery = PageQuery.extend({
  listingCode: z
    .string()
    .regex(/^ZDEC-\d{4}-\d{6}$/, 'a listing code like ZDEC-2026-000123')
    .optional(),
  outcome: z.enum(SANDBOX_OUTCOMES).optional(),
}).strict();
export type SandboxAuditQuery = z.infer<typeof SandboxAuditQuery>;
