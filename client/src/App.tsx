import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import type { Role } from '@zdec/shared';
import { Layout } from './Layout';
import { RequireRole } from './auth/RequireRole';
import { ROUTE_ROLES } from './auth/nav';
import { Loading } from './components/ui';
import { ErrorBoundary } from './components/ErrorBoundary';
import { SignInPage } from './features/accounts/SignInPage';
import { RegisterPage } from './features/accounts/RegisterPage';
import { CatalogPage } from './features/listings/CatalogPage';
import { ListingDetailPage } from './features/listings/ListingDetailPage';
import { ResourcesPage } from './features/resources/ResourcesPage';
import { ResourceDetailPage } from './features/resources/ResourceDetailPage';
import { AuthorizationsPage } from './features/authorizations/AuthorizationsPage';
import { ProviderListingsPage } from './features/listings/ProviderListingsPage';
import { ListingEditorPage } from './features/listings/ListingEditorPage';
import { ReviewQueuePage } from './features/listings/ReviewQueuePage';
import { OrdersPage } from './features/trade/OrdersPage';
import { OrderDetailPage } from './features/trade/OrderDetailPage';
import { LedgerPage } from './features/ledger/LedgerPage';
import { AdminUsersPage } from './features/accounts/AdminUsersPage';
import { NotFoundPage } from './features/NotFoundPage';
// verifiable receipts (issue 15)
import { ReceiptPage } from './features/receipts/ReceiptPage';
// dossier compare, watch list, ledger entry drill-down, supervision (issue 16 items 1–2)
import { ComparePage } from './features/listings/ComparePage';
import { WatchlistPage } from './features/products/WatchlistPage';
import { LedgerEntryPage } from './features/ledger/LedgerEntryPage';
import { SupervisionPage } from './features/supervision/SupervisionPage';
// daily work (issue 16)
import { NoticesPage } from './features/resources/NoticesPage';
import { NoticeDetailPage } from './features/resources/NoticeDetailPage';
import { InboxPage } from './features/notifications/InboxPage';
import { AccountPage } from './features/accounts/AccountPage';
// authorization lifecycle (issue 16 item 4)
import { ApplicationsPage } from './features/authorizations/ApplicationsPage';
// buyers' refund requests (issue 16 item 5)
import { RefundRequestsPage } from './features/trade/RefundRequestsPage';

// ECharts is large: the dashboard loads it only when visited.
const TargetsPage = lazy(() => import('./features/stats/TargetsPage'));
// sandbox (issue 14): the SQL workspace and its audit
const SandboxPage = lazy(() => import('./features/sandbox/SandboxPage'));
const SandboxAuditPage = lazy(() => import('./features/sandbox/SandboxAuditPage'));
// The verifier (Ed25519, SHA-256) loads with the page that needs it (verifiable receipts, issue 15).
const VerifyPage = lazy(() => import('./features/receipts/VerifyPage').then((m) => ({ default: m.VerifyPage })));

function guarded(roles: readonly Role[], page: ReactNode) {
  return <RequireRole roles={roles}>{page}</RequireRole>;
}

export function App() {
  return (
    <Layout>
      <ErrorBoundary>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<CatalogPage />} />
            <Route path="/listings/:id" element={<ListingDetailPage />} />
            <Route path="/targets" element={<TargetsPage />} />
            <Route path="/signin" element={<SignInPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/orders" element={guarded(ROUTE_ROLES.orders, <OrdersPage />)} />
            <Route path="/orders/:id" element={guarded(ROUTE_ROLES.orders, <OrderDetailPage />)} />
            <Route path="/orders/:id/sandbox" element={guarded(ROUTE_ROLES.sandbox, <SandboxPage />)} />
            <Route path="/sandbox/audit" element={guarded(ROUTE_ROLES.sandboxAudit, <SandboxAuditPage />)} />
            <Route path="/provider" element={guarded(ROUTE_ROLES.provider, <ProviderListingsPage />)} />
            <Route path="/provider/listings/new" element={guarded(ROUTE_ROLES.provider, <ListingEditorPage />)} />
            <Route path="/provider/listings/:id/edit" element={guarded(ROUTE_ROLES.provider, <ListingEditorPage />)} />
            <Route path="/resources" element={guarded(ROUTE_ROLES.resources, <ResourcesPage />)} />
            <Route path="/resources/:id" element={guarded(ROUTE_ROLES.resources, <ResourceDetailPage />)} />
            <Route path="/authorizations" element={guarded(ROUTE_ROLES.authorizations, <AuthorizationsPage />)} />
            <Route path="/exchange" element={guarded(ROUTE_ROLES.exchange, <ReviewQueuePage />)} />
            <Route path="/ledger" element={guarded(ROUTE_ROLES.ledger, <LedgerPage />)} />
            <Route path="/admin/users" element={guarded(ROUTE_ROLES.admin, <AdminUsersPage />)} />
            {/* verifiable receipts (issue 15): /verify is public, a receipt is its holder's */}
            <Route path="/verify" element={<VerifyPage />} />
            <Route path="/receipts/:kind/:id" element={guarded(ROUTE_ROLES.receipts, <ReceiptPage />)} />
            {/* dossier compare, watch list, ledger entry drill-down, supervision (issue 16 items 1–2) */}
            <Route path="/compare" element={<ComparePage />} />
            <Route path="/watchlist" element={guarded(ROUTE_ROLES.watchlist, <WatchlistPage />)} />
            <Route path="/ledger/entries/:seq" element={guarded(ROUTE_ROLES.ledger, <LedgerEntryPage />)} />
            <Route path="/supervision" element={guarded(ROUTE_ROLES.ledger, <SupervisionPage />)} />
            {/* daily work (issue 16) */}
            <Route path="/notices" element={<NoticesPage />} />
            <Route path="/notices/:id" element={<NoticeDetailPage />} />
            <Route path="/inbox" element={guarded(ROUTE_ROLES.inbox, <InboxPage />)} />
            <Route path="/account" element={guarded(ROUTE_ROLES.account, <AccountPage />)} />
            {/* authorization lifecycle (issue 16 item 4) */}
            <Route
              path="/authorization-applications"
              element={guarded(ROUTE_ROLES.applications, <ApplicationsPage />)}
            />
            {/* buyers' refund requests (issue 16 item 5) */}
            <Route path="/refund-requests" element={guarded(ROUTE_ROLES.refundRequests, <RefundRequestsPage />)} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}
