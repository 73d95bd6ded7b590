import { Link } from 'react-router';
import { ordersApi } from '../../api/endpoints';
import type { RefundQueueItem } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { FilterTabs } from '../../components/FilterBar';
import { PagedTable, useRowAction, type Column } from '../../components/DataTable';
import { AsyncBlock, Badge, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n } from '../../i18n/I18nProvider';
import { DeclineRefundForm, RefundForm, RefundRequestBadge } from './OrderActions';

const TABS = ['open', 'all'] as const;
type Action = 'refund' | 'decline';

/** The clearing desk's queue of buyers' refund requests (regulators read it): refund or decline each. */
export function RefundRequestsPage() {
  const { t, tEnum, dateTime } = useI18n();
  const { role, user } = useAuth();
  const { openFor, close, toggle } = useRowAction<Action>();
  const search = usePagedSearch({ filters: ['status'] });
  const status = search.filters.status === 'all' ? 'all' : 'open';
  const query = { ...search.query, status };
  const state = useQuery({
    queryKey: keys.orders.refundRequests(query),
    queryFn: ({ signal }) => ordersApi.refundRequests(query, signal),
  });
  const clearing = role === 'exchange' && user?.duty === 'clearing';

  const columns: Column<RefundQueueItem>[] = [
    {
      header: t('refunds.order'),
      cell: (r) => (
        <>
          <Link to={`/orders/${r.orderId}`} className="code" data-testid="refund-request-order">
            {r.order.number}
          </Link>
          <div className="small">
            <Badge kind="orderStatus" value={r.order.status} />
          </div>
        </>
      ),
    },
    {
      header: t('orders.product'),
      cell: (r) => (
        <>
          {r.order.title}
          <div className="code small">{r.order.listingCode}</div>
        </>
      ),
    },
    { header: t('orders.amount'), className: 'num', headClassName: 'num', cell: (r) => formatMoney(r.order.amountFen) },
    { header: t('orders.paymentMethod'), cell: (r) => tEnum('paymentMethod', r.order.paymentMethod) },
    {
      header: t('refunds.reason'),
      cell: (r) => (
        <>
          {r.reason}
          {r.decision?.reason && <div className="muted small">{r.decision.reason}</div>}
        </>
      ),
    },
    { header: t('refunds.requestedAt'), cell: (r) => dateTime(r.at) },
    { header: t('refunds.state'), cell: (r) => <RefundRequestBadge status={r.status} /> },
    {
      header: t('common.actions'),
      shown: clearing,
      className: 'nowrap',
      cell: (r) =>
        r.status === 'open' && (
          <>
            {toggle(r.id, 'refund', t('orders.refund'), 'btn--danger', 'refund-request-refund')}{' '}
            {toggle(r.id, 'decline', t('refunds.decline'), 'btn--secondary', 'refund-request-decline')}
          </>
        ),
    },
  ];

  return (
    <div data-testid="refund-requests-page">
      <PageHeader title={t('refunds.queueTitle')} subtitle={t('refunds.queueSubtitle')} />
      <FilterTabs
        tabs={TABS}
        current={status}
        onPick={(tab) => search.replaceFilters({ status: tab === 'open' ? undefined : tab })}
        label={(tab) => t(`refunds.tab.${tab}`)}
        testId={(tab) => `refund-requests-tab-${tab}`}
      />
      <AsyncBlock
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={status === 'open' ? t('refunds.empty') : t('refunds.emptyAll')}
      >
        {(data) => (
          <PagedTable
            testId="refund-requests-table"
            columns={columns}
            data={data}
            onPage={search.setPage}
            rowKey={(r) => r.id}
            rowProps={(r) => ({
              'data-testid': 'refund-request-row',
              'data-order': r.orderId,
              'data-status': r.status,
            })}
            expand={(r) => {
              const action = clearing && openFor(r.id);
              if (action === 'refund')
                return <RefundForm order={{ id: r.orderId, paymentMethod: r.order.paymentMethod }} onDone={close} />;
              if (action === 'decline') return <DeclineRefundForm orderId={r.orderId} onDone={close} />;
              return null;
            }}
          />
        )}
      </AsyncBlock>
    </div>
  );
}
