import { Fragment, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ORDER_STATUSES } from '@zdec/shared';
import { ordersApi } from '../../api/endpoints';
import { orderListing } from '../../api/refs';
import type { OrderView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { AsyncBlock, Badge, Field, PageHeader, Pager } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';
import { canConfirm, canRefund, ConfirmTransferForm, RefundForm } from './OrderActions';

const PAGE_SIZE = 20;

const TITLES: Record<string, [MessageKey, MessageKey]> = {
  buyer: ['orders.title.buyer', 'orders.subtitle.buyer'],
  provider: ['orders.title.provider', 'orders.subtitle.provider'],
  exchange: ['orders.title.exchange', 'orders.subtitle.exchange'],
  regulator: ['orders.title.regulator', 'orders.subtitle.regulator'],
};

/** Orders as each role sees them: a buyer its own, a provider those on its listings, exchange and regulator all. */
export function OrdersPage() {
  const { t, tEnum } = useI18n();
  const { role, user } = useAuth();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<{ id: string; action: 'confirm' | 'refund' } | null>(null);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const query = { status: params.get('status') ?? undefined, page, pageSize: PAGE_SIZE };
  const state = useQuery({
    queryKey: keys.orders.list(query),
    queryFn: ({ signal }) => ordersApi.list(query, signal),
  });
  // Transfers and refunds are the clearing desk's work (separation of duties).
  const isExchange = role === 'exchange' && user?.duty === 'clearing';
  const [title, subtitle] = TITLES[role ?? 'buyer'] ?? TITLES.buyer!;

  function setParam(k: string, v: string | undefined) {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    if (k !== 'page') next.delete('page');
    setParams(next);
  }

  return (
    <div>
      <PageHeader title={t(title)} subtitle={t(subtitle)} />
      <div className="toolbar">
        <Field label={t('orders.status')} className="field--inline">
          {(p) => (
            <select
              {...p}
              value={query.status ?? ''}
              onChange={(e) => setParam('status', e.target.value)}
              data-testid="orders-status-filter"
            >
              <option value="">{t('common.all')}</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {tEnum('orderStatus', s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('orders.empty')}>
        {(data) => (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="orders-table">
                <thead>
                  <tr>
                    <th scope="col">{t('orders.order')}</th>
                    <th scope="col">{t('orders.product')}</th>
                    {role !== 'buyer' && <th scope="col">{t('orders.buyer')}</th>}
                    <th scope="col" className="num">
                      {t('orders.quantity')}
                    </th>
                    <th scope="col" className="num">
                      {t('orders.amount')}
                    </th>
                    <th scope="col">{t('orders.paymentMethod')}</th>
                    <th scope="col">{t('orders.status')}</th>
                    <th scope="col">{t('common.createdAt')}</th>
                    {isExchange && <th scope="col">{t('common.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((o) => (
                    <Fragment key={o.id}>
                      <OrderRow
                        order={o}
                        showBuyer={role !== 'buyer'}
                        isExchange={isExchange}
                        open={open?.id === o.id ? open.action : null}
                        onOpen={(action) => setOpen(action ? { id: o.id, action } : null)}
                      />
                      {isExchange && open?.id === o.id && (
                        <tr className="table__expand">
                          <td colSpan={9}>
                            {open.action === 'confirm' ? (
                              <ConfirmTransferForm order={o} onDone={() => setOpen(null)} />
                            ) : (
                              <RefundForm order={o} onDone={() => setOpen(null)} />
                            )}
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={data.page}
              pageSize={data.pageSize}
              total={data.total}
              onPage={(p) => setParam('page', String(p))}
            />
          </>
        )}
      </AsyncBlock>
    </div>
  );
}

function OrderRow({
  order: o,
  showBuyer,
  isExchange,
  open,
  onOpen,
}: {
  order: OrderView;
  showBuyer: boolean;
  isExchange: boolean;
  open: 'confirm' | 'refund' | null;
  onOpen: (action: 'confirm' | 'refund' | null) => void;
}) {
  const { t, tEnum, number, dateTime } = useI18n();
  const listing = orderListing(o);
  return (
    <tr data-testid="order-row" data-id={o.id} data-status={o.status}>
      <td>
        <Link to={`/orders/${o.id}`} className="code" data-testid="order-link">
          {o.number ?? o.id.slice(-8)}
        </Link>
      </td>
      <td>
        {listing.title ?? '—'}
        {listing.code && <div className="code small">{listing.code}</div>}
      </td>
      {showBuyer && (
        <td className="code small" title={o.buyerOrgId}>
          {o.buyerOrgId ? `…${o.buyerOrgId.slice(-6)}` : '—'}
        </td>
      )}
      <td className="num">{number(o.quantity)}</td>
      <td className="num" data-testid="order-amount">
        {formatMoney(o.amountFen)}
      </td>
      <td>{tEnum('paymentMethod', o.paymentMethod)}</td>
      <td>
        <Badge kind="orderStatus" value={o.status} />
      </td>
      <td>{dateTime(o.createdAt)}</td>
      {isExchange && (
        <td className="nowrap">
          {canConfirm(o) && (
            <button
              type="button"
              className="btn btn--primary btn--small"
              aria-expanded={open === 'confirm'}
              onClick={() => onOpen(open === 'confirm' ? null : 'confirm')}
              data-testid="order-confirm"
            >
              {t('orders.confirmTransfer')}
            </button>
          )}
          {canRefund(o) && (
            <button
              type="button"
              className="btn btn--danger btn--small"
              aria-expanded={open === 'refund'}
              onClick={() => onOpen(open === 'refund' ? null : 'refund')}
              data-testid="order-refund"
            >
              {t('orders.refund')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
