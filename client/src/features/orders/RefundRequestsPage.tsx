import { Fragment, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ordersApi } from '../../api/endpoints';
import type { RefundQueueItem } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { AsyncBlock, Badge, PageHeader, Pager } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { DeclineRefundForm, RefundForm, RefundRequestBadge } from './OrderActions';
import { useUrlPage } from '../../components/useUrlPage';

const PAGE_SIZE = 20;
const TABS = ['open', 'all'] as const;
type Action = 'refund' | 'decline';

/** The clearing desk's queue of buyers' refund requests (regulators read it): refund or decline each. */
export function RefundRequestsPage() {
  const { t } = useI18n();
  const { role, user } = useAuth();
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<{ id: string; action: Action } | null>(null);
  const status = params.get('status') === 'all' ? 'all' : 'open';
  const { page, setPage } = useUrlPage();
  const query = { status, page, pageSize: PAGE_SIZE };
  const state = useQuery({
    queryKey: keys.orders.refundRequests(query),
    queryFn: ({ signal }) => ordersApi.refundRequests(query, signal),
  });
  const clearing = role === 'exchange' && user?.duty === 'clearing';
  const done = () => setOpen(null);

  return (
    <div data-testid="refund-requests-page">
      <PageHeader title={t('refunds.queueTitle')} subtitle={t('refunds.queueSubtitle')} />
      <div className="tabs" role="tablist">
        {TABS.map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={status === tab}
            className={`btn ${status === tab ? 'btn--primary' : 'btn--secondary'}`}
            onClick={() => setParams(new URLSearchParams(tab === 'open' ? {} : { status: tab }))}
            data-testid={`refund-requests-tab-${tab}`}
          >
            {t(`refunds.tab.${tab}`)}
          </button>
        ))}
      </div>
      <AsyncBlock
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={status === 'open' ? t('refunds.empty') : t('refunds.emptyAll')}
      >
        {(data) => (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="refund-requests-table">
                <thead>
                  <tr>
                    <th scope="col">{t('refunds.order')}</th>
                    <th scope="col">{t('orders.product')}</th>
                    <th scope="col" className="num">
                      {t('orders.amount')}
                    </th>
                    <th scope="col">{t('orders.paymentMethod')}</th>
                    <th scope="col">{t('refunds.reason')}</th>
                    <th scope="col">{t('refunds.requestedAt')}</th>
                    <th scope="col">{t('refunds.state')}</th>
                    {clearing && <th scope="col">{t('common.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => (
                    <Fragment key={r.id}>
                      <RequestRow
                        request={r}
                        clearing={clearing}
                        open={open?.id === r.id ? open.action : null}
                        onOpen={(action) => setOpen(action ? { id: r.id, action } : null)}
                      />
                      {clearing && open?.id === r.id && (
                        <tr className="table__expand">
                          <td colSpan={8}>
                            {open.action === 'refund' ? (
                              <RefundForm
                                order={{ id: r.orderId, paymentMethod: r.order.paymentMethod }}
                                onDone={done}
                              />
                            ) : (
                              <DeclineRefundForm orderId={r.orderId} onDone={done} />
                            )}
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </AsyncBlock>
    </div>
  );
}

function RequestRow({
  request: r,
  clearing,
  open,
  onOpen,
}: {
  request: RefundQueueItem;
  clearing: boolean;
  open: Action | null;
  onOpen: (action: Action | null) => void;
}) {
  const { t, tEnum, dateTime } = useI18n();
  const actionButton = (action: Action, label: string, tone: string) => (
    <button
      type="button"
      className={`btn ${tone} btn--small`}
      aria-expanded={open === action}
      onClick={() => onOpen(open === action ? null : action)}
      data-testid={`refund-request-${action}`}
    >
      {label}
    </button>
  );
  return (
    <tr data-testid="refund-request-row" data-order={r.orderId} data-status={r.status}>
      <td>
        <Link to={`/orders/${r.orderId}`} className="code" data-testid="refund-request-order">
          {r.order.number}
        </Link>
        <div className="small">
          <Badge kind="orderStatus" value={r.order.status} />
        </div>
      </td>
      <td>
        {r.order.title}
        <div className="code small">{r.order.listingCode}</div>
      </td>
      <td className="num">{formatMoney(r.order.amountFen)}</td>
      <td>{tEnum('paymentMethod', r.order.paymentMethod)}</td>
      <td>
        {r.reason}
        {r.decision?.reason && <div className="muted small">{r.decision.reason}</div>}
      </td>
      <td>{dateTime(r.at)}</td>
      <td>
        <RefundRequestBadge status={r.status} />
      </td>
      {clearing && (
        <td className="nowrap">
          {r.status === 'open' && (
            <>
              {actionButton('refund', t('orders.refund'), 'btn--danger')}{' '}
              {actionButton('decline', t('refunds.decline'), 'btn--secondary')}
            </>
          )}
        </td>
      )}
    </tr>
  );
}
