import { Link } from 'react-router';
import { formatYuan } from '@zdec/shared';
import { notificationsApi, type NotificationView } from '../../api/notifications';
import { PagedList } from '../../components/PagedList';
import { AsyncBlock, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';

/** Kinds the client words; anything newer shows its kind as it is. */
const KINDS = [
  'review.requested',
  'transfer.toConfirm',
  'order.paid',
  'listing.listed',
  'entitlement.revoked',
  'objection.filed',
  'objection.ruled',
  'registration.certified',
  'registration.objection_upheld',
  'authorization.expiring',
  'authorization.applied',
  'authorization.approved',
  'authorization.rejected',
  // buyers' refund requests (issue 16 item 5)
  'refund.requested',
  'refund.declined',
] as const;

/** A notification's sentence in the current language, from its kind and values. */
function useMessage() {
  const { t, date } = useI18n();
  return (n: NotificationView): string => {
    const vars: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(n.params)) vars[k] = typeof v === 'number' ? v : String(v ?? '');
    if (typeof n.params.amountFen === 'number') vars.amount = `¥${formatYuan(n.params.amountFen)}`;
    if (typeof n.params.validTo === 'string') vars.validTo = date(n.params.validTo);
    if (n.params.decision) vars.decision = t(n.params.decision === 'uphold' ? 'notices.uphold' : 'notices.dismiss');
    return (KINDS as readonly string[]).includes(n.kind) ? t(`notify.${n.kind}` as MessageKey, vars) : n.kind;
  };
}

export function InboxPage() {
  const { t, dateTime } = useI18n();
  const message = useMessage();
  const { query, setPage } = usePagedSearch({ inUrl: false, pageSize: null });
  const state = useQuery({
    queryKey: keys.notifications.list(query),
    queryFn: ({ signal }) => notificationsApi.list(query, signal),
  });
  const readAll = useChange(notificationsApi.readAll, [keys.notifications.all]);
  // Reading one changes the header's count; the list keeps the item as shown while the user follows its link.
  const read = useChange(notificationsApi.read, [keys.notifications.unread()]);

  return (
    <div data-testid="inbox-page">
      <PageHeader
        title={t('inbox.title')}
        subtitle={t('inbox.subtitle')}
        actions={
          <button
            type="button"
            className="btn btn--secondary"
            data-testid="inbox-read-all"
            onClick={() => readAll.mutate()}
          >
            {t('inbox.readAll')}
          </button>
        }
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('inbox.empty')}>
        {(data) => (
          <PagedList data={data} onPage={setPage} className="inbox" testId="inbox-list">
            {(n) => (
              <li
                key={n.id}
                className={`inbox__item${n.read ? '' : ' inbox__item--unread'}`}
                data-testid="notification"
                data-kind={n.kind}
                data-read={String(n.read)}
              >
                <Link
                  to={n.link || '/inbox'}
                  onClick={() => {
                    if (!n.read) read.mutate(n.id);
                  }}
                >
                  {message(n)}
                </Link>
                <span className="muted small"> · {dateTime(n.at)}</span>
              </li>
            )}
          </PagedList>
        )}
      </AsyncBlock>
    </div>
  );
}
