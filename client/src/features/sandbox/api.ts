import { operations, type ReplyBody } from '@zdec/shared';
import { call } from '../../api/http';

/** The sandbox API (server/src/modules/sandbox): workspace, queries, audit; replies typed by the registry. */

const ops = operations.sandbox;

export type SandboxWorkspace = ReplyBody<typeof ops.workspace>;
export type SandboxField = SandboxWorkspace['tables'][number]['fields'][number];
export type SandboxPage = ReplyBody<typeof ops.audit>;
export type SandboxQueryView = SandboxPage['items'][number];
export type SandboxResult = NonNullable<SandboxQueryView['result']>;

export const sandboxApi = {
  workspace: (orderId: string, signal?: AbortSignal) => call(ops.workspace, { params: { id: orderId }, signal }),
  run: (orderId: string, sql: string) => call(ops.runQuery, { params: { id: orderId }, body: { sql } }),
  history: (orderId: string, page: number, signal?: AbortSignal) =>
    call(ops.orderQueries, { params: { id: orderId }, query: { page, pageSize: 20 }, signal }),
  audit: (query: { page: number; outcome?: string; listingCode?: string }, signal?: AbortSignal) =>
    call(ops.audit, { query: { ...query, pageSize: 20 }, signal }),
};
