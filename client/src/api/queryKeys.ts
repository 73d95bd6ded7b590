import type { Query } from './http';

/**
 * Every query's cache key, in one place: a page reads with `keys.x.y(...)` and a change invalidates
 * `keys.x.all` (or a narrower prefix), so a key is never spelled twice. Keys nest by area, then by
 * what is loaded, then by its filters; invalidating a prefix covers everything under it.
 */
export const keys = {
  listings: {
    all: ['listings'] as const,
    search: (query: Query) => ['listings', 'search', query] as const,
    detail: (id: string) => ['listings', 'detail', id] as const,
  },
  dossiers: {
    all: ['dossiers'] as const,
    one: (listingId: string) => ['dossiers', 'one', listingId] as const,
    compare: (listingIds: readonly string[]) => ['dossiers', 'compare', listingIds] as const,
  },
  watchlist: {
    all: ['watchlist'] as const,
    list: ['watchlist', 'list'] as const,
    has: (listingId: string) => ['watchlist', 'has', listingId] as const,
  },
  applications: {
    all: ['applications'] as const,
    list: (query: Query) => ['applications', 'list', query] as const,
    pendingRenewals: ['applications', 'pending-renewals'] as const,
  },
  authorizations: {
    all: ['authorizations'] as const,
    list: (query: Query) => ['authorizations', 'list', query] as const,
    expiring: ['authorizations', 'expiring'] as const,
    active: ['authorizations', 'active'] as const,
    detail: (id: string) => ['authorizations', 'detail', id] as const,
  },
  resources: {
    all: ['resources'] as const,
    list: (query: Query) => ['resources', 'list', query] as const,
    registered: ['resources', 'registered'] as const,
    detail: (id: string) => ['resources', 'detail', id] as const,
    /** Under the resource's key, so what changes the resource refreshes its record too. */
    history: (id: string, status?: string, digest?: string) =>
      ['resources', 'detail', id, 'history', status, digest] as const,
  },
  registration: {
    all: ['registration'] as const,
    notices: (query: Query) => ['registration', 'notices', query] as const,
    notice: (id: string) => ['registration', 'notice', id] as const,
    pendingObjections: ['registration', 'objections', 'pending'] as const,
  },
  orders: {
    all: ['orders'] as const,
    list: (query: Query) => ['orders', 'list', query] as const,
    detail: (id: string) => ['orders', 'detail', id] as const,
    refundRequests: (query: Query) => ['orders', 'refund-requests', query] as const,
  },
  /** Apart from the orders: a change to an order must not ask for its payment instructions again. */
  payments: {
    instructions: (orderId: string) => ['payments', orderId] as const,
  },
  sandbox: {
    all: ['sandbox'] as const,
    workspace: (id: string) => ['sandbox', 'workspace', id] as const,
    history: (orderId: string, page: number) => ['sandbox', 'history', orderId, page] as const,
    audit: (query: Query) => ['sandbox', 'audit', query] as const,
  },
  notifications: {
    all: ['notifications'] as const,
    list: (query: Query) => ['notifications', 'list', query] as const,
    /** The header's count, by the page it was read on (so a navigation reads it again). */
    unread: (pathname?: string) => ['notifications', 'unread', ...(pathname === undefined ? [] : [pathname])] as const,
  },
  ledger: {
    all: ['ledger'] as const,
    list: (query: Query) => ['ledger', 'list', query] as const,
    entry: (seq: string | number) => ['ledger', 'entry', seq] as const,
  },
  orgNames: (ids: readonly string[]) => ['org-names', ids] as const,
  supervision: {
    report: (query: Query) => ['supervision', 'report', query] as const,
  },
  targets: ['targets'] as const,
  receipts: (kind: string, id: string) => ['receipts', kind, id] as const,
};
