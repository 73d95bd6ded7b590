import { api } from '../../api/http';

/** The sandbox API (server/src/modules/sandbox): workspace, queries, audit. */

export interface SandboxField {
  name: string;
  type: string;
  sqlType: string;
  description: string;
  level: string;
  sensitive: boolean;
  detector: string | null;
  coarsenings: string[];
}

export interface SandboxWorkspace {
  orderId: string;
  orderNumber: string;
  workspaceId: string | null;
  listing: { id: string; code: string; title: string; providerName: string };
  tables: { name: string; fields: SandboxField[] }[];
  coarsenings: { name: string; detectors: string[]; zh: string; en: string }[];
  rules: { id: string; text: string }[];
  limits: { k: number; maxRows: number; timeoutMs: number; memoryMb: number };
  quota: { queries: number; used: number; left: number };
  validUntil: string | null;
  examples: { title: { zh: string; en: string }; sql: string; refused?: boolean }[];
}

export interface SandboxResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

export interface SandboxQueryView {
  id: string;
  orderId: string;
  orderNumber: string;
  listingCode: string;
  buyerOrgId: string;
  n: number;
  sql: string;
  sqlSha256: string;
  outcome: 'ran' | 'suppressed' | 'refused' | 'failed';
  rule: string | null;
  reason: string | null;
  k: number;
  rows: number;
  suppressedGroups: number;
  suppressedRecords?: number;
  resultSha256: string | null;
  result: SandboxResult | null;
  costMs: number;
  engineMs: number;
  at: string;
}

export interface SandboxPage {
  items: SandboxQueryView[];
  total: number;
  page: number;
  pageSize: number;
}

const enc = encodeURIComponent;

export const sandboxApi = {
  workspace: (orderId: string, signal?: AbortSignal) =>
    api.get<SandboxWorkspace>(`/orders/${enc(orderId)}/sandbox`, undefined, signal),
  run: (orderId: string, sql: string) =>
    api.post<{ query: SandboxQueryView; result: SandboxResult; callsLeft: number }>(
      `/orders/${enc(orderId)}/sandbox/queries`,
      { sql },
    ),
  history: (orderId: string, page: number, signal?: AbortSignal) =>
    api.get<SandboxPage>(`/orders/${enc(orderId)}/sandbox/queries`, { page, pageSize: 20 }, signal),
  audit: (query: { page: number; outcome?: string; listingCode?: string }, signal?: AbortSignal) =>
    api.get<SandboxPage>('/sandbox/queries', { ...query, pageSize: 20 }, signal),
};
