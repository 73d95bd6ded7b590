import { Link } from 'react-router';
import { ORDER_STATUSES } from '@zdec/shared';
import { ordersApi } from '../../api/endpoints';
import { orderListing } from '../../api/refs';
import type { OrderView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { PagedTable, useRowAction, type Column } from '../../components/DataTable';
import { FilterBar, enumFilter, useUrlFilters } from '../../components/FilterBar';
import { AsyncBlock, Badge, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';
import { canConfirm, canRefund, ConfirmTransferForm, RefundForm } from './OrderActions';

const TITLES: Record<string, [MessageKey, MessageKey]> = {
  buyer: ['orders.title.buyer', 'orders.subtitle.buyer'],
  provider: ['orders.title.provider', 'orders.subtitle.provider'],
  exchange: ['orders.title.exchange', 'orders.subtitle.exchange'],
  regulator: ['orders.title.regulator', 'orders.subtitle.regulator'],
};

/** Orders as each role sees them: a buyer its own, a provider those on its listings, exchange and regulator all. */
export function OrdersPage() {
  const { t, tEnum, number, dateTime } = useI18n();
  const { role, user } = useAuth();
  const { openFor, close, toggle } = useRowAction<'confirm' | 'refund'>();
  const search = usePagedSearch({ filters: ['status'] });
  const urlFilters = useUrlFilters(search);
  const { query, setPage } = search;
  const state = useQuery({
    queryKey: keys.orders.list(query),
    queryFn: ({ signal }) => ordersApi.list(query, signal),
  });
  // Transfers and refunds are the clearing desk's work (separation of duties).
  const isExchange = role === 'exchange' && user?.duty === 'clearing';
  const [title, subtitle] = TITLES[role ?? 'buyer'] ?? TITLES.buyer!;

  const columns: Column<OrderView>[] = [
    {
      header: t('orders.order'),
      cell: (o) => (
        <Link to={`/orders/${o.id}`} className="code" data-testid="order-link">
          {o.number ?? o.id.slice(-8)}
        </Link>
      ),
    },
    {
      header: t('orders.product'),
      cell: (o) => {
        const listing = orderListing(o);
        return (
          <>
            {listing.title ?? '—'}
            {listing.code && <div className="code small">{listing.code}</div>}
          </>
        );
      },
    },
    {
      header: t('orders.buyer'),
      shown: role !== 'buyer',
      className: 'code small',
      cellProps: (o) => ({ title: o.buyerOrgId }),
      cell: (o) => (o.buyerOrgId ? `…${o.buyerOrgId.slice(-6)}` : '—'),
    },
    { header: t('orders.quantity'), className: 'num', headClassName: 'num', cell: (o) => number(o.quantity) },
    {
      header: t('orders.amount'),
      className: 'num',
      headClassName: 'num',
      testId: 'order-amount',
      cell: (o) => formatMoney(o.amountFen),
    },
    { header: t('orders.paymentMethod'), cell: (o) => tEnum('paymentMethod', o.paymentMethod) },
    { header: t('orders.status'), cell: (o) => <Badge kind="orderStatus" value={o.status} /> },
    { header: t('common.createdAt'), cell: (o) => dateTime(o.createdAt) },
    {
      header: t('common.actions'),
      shown: isExchange,
      className: 'nowrap',
      cell: (o) => (
        <>
          {canConfirm(o) && toggle(o.id, 'confirm', t('orders.confirmTransfer'), 'btn--primary', 'order-confirm')}
          {canRefund(o) && toggle(o.id, 'refund', t('orders.refund'), 'btn--danger', 'order-refund')}
        </>
      ),
    },
  ];

  return (
    <div>
      <PageHeader title={t(title)} subtitle={t(subtitle)} />
      <FilterBar
        layout="toolbar"
        {...urlFilters}
        fields={[
          enumFilter('status', t('orders.status'), ORDER_STATUSES, 'orderStatus', { testId: 'orders-status-filter' }),
        ]}
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('orders.empty')}>
        {(data) => (
          <PagedTable
            testId="orders-table"
            columns={columns}
            data={data}
            onPage={setPage}
            rowKey={(o) => o.id}
            rowProps={(o) => ({ 'data-testid': 'order-row', 'data-id': o.id, 'data-status': o.status })}
            expand={(o) => {
              const action = isExchange && openFor(o.id);
              if (action === 'confirm') return <ConfirmTransferForm order={o} onDone={close} />;
              if (action === 'refund') return <RefundForm order={o} onDone={close} />;
              return null;
            }}
          />
        )}
      </AsyncBlock>
    </div>
  );
}
