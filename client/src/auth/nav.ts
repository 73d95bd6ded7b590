import type { ExchangeDuty, Role } from '@zdec/shared';
import type { MessageKey } from '../i18n/I18nProvider';

/** Who may use which page; the navigation and the route guards read the same table. */
export const ROUTE_ROLES = {
  orders: ['buyer', 'provider', 'exchange', 'regulator'],
  provider: ['provider'],
  resources: ['authority', 'provider'],
  authorizations: ['authority', 'provider', 'exchange', 'regulator'],
  exchange: ['exchange'],
  ledger: ['regulator', 'exchange'],
  admin: ['admin'],
  // sandbox (issue 14)
  sandbox: ['buyer'],
  sandboxAudit: ['buyer', 'provider', 'regulator'],
  // verifiable receipts (issue 15): holders of records; the server decides per record
  receipts: ['authority', 'provider', 'buyer', 'exchange', 'regulator'],
  // watch list (issue 16 item 1)
  watchlist: ['buyer'],
  // daily work (issue 16)
  inbox: ['authority', 'provider', 'exchange', 'buyer', 'regulator', 'admin'],
  account: ['authority', 'provider', 'exchange', 'buyer', 'regulator', 'admin'],
  // authorization lifecycle (issue 16 item 4): operators apply, the authority decides
  applications: ['authority', 'provider'],
  // buyers' refund requests (issue 16 item 5): the clearing desk's queue; regulators read it
  refundRequests: ['exchange', 'regulator'],
} as const satisfies Record<string, readonly Role[]>;

export interface NavItem {
  to: string;
  label: MessageKey;
  roles: readonly Role[] | 'public';
  testId: string;
  /** Of exchange staff, only those with this duty see it (separation of duties). */
  duty?: ExchangeDuty;
}

export const NAV: readonly NavItem[] = [
  { to: '/', label: 'nav.catalog', roles: 'public', testId: 'nav-catalog' },
  { to: '/targets', label: 'nav.targets', roles: 'public', testId: 'nav-targets' },
  { to: '/verify', label: 'nav.verify', roles: 'public', testId: 'nav-verify' }, // verifiable receipts (issue 15)
  // daily work (issue 16)
  { to: '/notices', label: 'nav.notices', roles: 'public', testId: 'nav-notices' },
  { to: '/orders', label: 'nav.orders', roles: ROUTE_ROLES.orders, testId: 'nav-orders' },
  { to: '/provider', label: 'nav.provider', roles: ROUTE_ROLES.provider, testId: 'nav-provider' },
  { to: '/resources', label: 'nav.resources', roles: ROUTE_ROLES.resources, testId: 'nav-resources' },
  {
    to: '/authorizations',
    label: 'nav.authorizations',
    roles: ROUTE_ROLES.authorizations,
    testId: 'nav-authorizations',
  },
  // authorization lifecycle (issue 16 item 4): one page, named for what each role does there
  { to: '/authorization-applications', label: 'nav.apply', roles: ['provider'], testId: 'nav-apply' },
  { to: '/authorization-applications', label: 'nav.applications', roles: ['authority'], testId: 'nav-applications' },
  { to: '/exchange', label: 'nav.review', roles: ROUTE_ROLES.exchange, testId: 'nav-review' },
  { to: '/ledger', label: 'nav.ledger', roles: ROUTE_ROLES.ledger, testId: 'nav-ledger' },
  { to: '/admin/users', label: 'nav.admin', roles: ROUTE_ROLES.admin, testId: 'nav-admin' },
  // sandbox (issue 14)
  { to: '/sandbox/audit', label: 'nav.sandboxAudit', roles: ROUTE_ROLES.sandboxAudit, testId: 'nav-sandbox-audit' },
  // watch list, supervision (issue 16 items 1–2)
  { to: '/watchlist', label: 'nav.watchlist', roles: ROUTE_ROLES.watchlist, testId: 'nav-watchlist' },
  { to: '/supervision', label: 'nav.supervision', roles: ROUTE_ROLES.ledger, testId: 'nav-supervision' },
  // buyers' refund requests (issue 16 item 5)
  {
    to: '/refund-requests',
    label: 'nav.refundRequests',
    roles: ROUTE_ROLES.refundRequests,
    testId: 'nav-refund-requests',
    duty: 'clearing',
  },
];

export function navFor(role: Role | null, duty?: ExchangeDuty | null): NavItem[] {
  return NAV.filter(
    (item) =>
      (item.roles === 'public' || (role !== null && item.roles.includes(role))) &&
      (!item.duty || role !== 'exchange' || (duty ?? 'review') === item.duty),
  );
}

/** Where a user lands after signing in. */
export function homeFor(role: Role): string {
  switch (role) {
    case 'provider':
      return '/provider';
    case 'authority':
      return '/resources';
    case 'exchange':
      return '/exchange';
    case 'regulator':
      return '/ledger';
    case 'admin':
      return '/admin/users';
    default:
      return '/';
  }
}
