import { Link } from 'react-router';
import { shanghaiDaysBetween } from '@zdec/shared';
import { applicationsApi } from '../../api/applications';
import { authorizationsApi } from '../../api/endpoints';
import type { AuthorizationView } from '../../api/types';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/I18nProvider';
import './authorizations.css';

/** Days ahead at which the consoles warn, and at which a warning is urgent (the reminders' thresholds). */
export const EXPIRY_WARNING_DAYS = 30;
export const EXPIRY_URGENT_DAYS = 7;
const SHOWN = 100;

/** Pending renewal applications by the authorization they renew (the operator's own, or all for the authority). */
export function usePendingRenewals(enabled: boolean): Map<string, string> {
  const pending = useQuery({
    queryKey: keys.applications.pendingRenewals,
    queryFn: ({ signal }) => applicationsApi.list({ status: 'pending', pageSize: 100 }, signal),
    enabled: enabled,
  });
  return new Map((pending.data?.items ?? []).flatMap((a) => (a.renewalOf ? [[a.renewalOf, a.id] as const] : [])));
}

/**
 * The operator's "apply for renewal" (opening the application form prefilled from the authorization),
 * or, once a renewal is pending, that it is: for the authority a link to decide it.
 */
export function RenewalAction({
  authorization: a,
  pendingRenewal,
  canRenew,
}: {
  authorization: AuthorizationView;
  pendingRenewal: string | undefined;
  canRenew: boolean;
}) {
  const { t } = useI18n();
  if (pendingRenewal) {
    return canRenew ? (
      <span className="badge badge--info renewal-pending" data-testid="renewal-pending" data-id={a.id}>
        {t('apps.renewalPending')}
      </span>
    ) : (
      <Link
        to="/authorization-applications?status=pending"
        className="renewal-pending"
        data-testid="renewal-pending"
        data-id={a.id}
      >
        {t('apps.renewalToDecide')}
      </Link>
    );
  }
  if (!canRenew) return null;
  return (
    <Link
      className="btn btn--secondary"
      to={`/authorization-applications?renewalOf=${encodeURIComponent(a.id)}`}
      data-testid="renew"
      data-id={a.id}
    >
      {t('apps.renew')}
    </Link>
  );
}

/**
 * Active authorizations whose term ends within 30 Asia/Shanghai days, soonest first; those within 7
 * are urgent. Nothing shows when there are none.
 */
export function ExpiryBanner({
  canRenew,
  pendingRenewals,
}: {
  canRenew: boolean;
  pendingRenewals: Map<string, string>;
}) {
  const { t, date } = useI18n();
  const state = useQuery({
    queryKey: keys.authorizations.expiring,
    queryFn: ({ signal }) =>
      authorizationsApi.list({ expiringWithinDays: EXPIRY_WARNING_DAYS, status: 'active', pageSize: SHOWN }, signal),
  });
  const items = state.data?.items ?? [];
  if (items.length === 0) return null;
  const now = new Date();
  const daysLeft = (a: AuthorizationView) => shanghaiDaysBetween(now, new Date(a.validTo ?? now));
  const urgent = items.filter((a) => daysLeft(a) <= EXPIRY_URGENT_DAYS).length;
  return (
    <section
      className="alert alert--warning expiry-banner"
      aria-labelledby="expiry-title"
      data-testid="expiry-banner"
      data-urgent={urgent > 0}
    >
      <h2 id="expiry-title" className="expiry-banner__title">
        {state.data!.total === 1
          ? t('expiry.titleOne', { days: EXPIRY_WARNING_DAYS })
          : t('expiry.title', { n: state.data!.total, days: EXPIRY_WARNING_DAYS })}
        {urgent > 0 && (
          <span className="expiry-banner__sub">{t('expiry.urgentCount', { n: urgent, days: EXPIRY_URGENT_DAYS })}</span>
        )}
      </h2>
      <ul className="expiry-banner__list">
        {items.map((a) => {
          const days = daysLeft(a);
          const isUrgent = days <= EXPIRY_URGENT_DAYS;
          return (
            <li
              key={a.id}
              className={`expiry-item${isUrgent ? ' expiry-item--urgent' : ''}`}
              data-testid="expiring"
              data-id={a.id}
              data-urgent={isUrgent}
              data-days={days}
            >
              <span>{isUrgent && <span className="badge badge--bad">{t('expiry.urgent')}</span>}</span>
              <span className="code">{a.number ?? a.id}</span>
              <span className="expiry-item__operator">{a.operator?.name ?? a.operatorOrgId}</span>
              <span>{t('expiry.validTo', { date: date(a.validTo) })}</span>
              <strong className="expiry-item__days" data-testid="expiring-days">
                {days === 0 ? t('expiry.today') : days === 1 ? t('expiry.dayLeft') : t('expiry.daysLeft', { n: days })}
              </strong>
              <span className="expiry-item__action">
                <RenewalAction authorization={a} pendingRenewal={pendingRenewals.get(a.id)} canRenew={canRenew} />
              </span>
            </li>
          );
        })}
      </ul>
      {state.data!.total > items.length && (
        <p className="small">{t('expiry.more', { n: state.data!.total - items.length })}</p>
      )}
    </section>
  );
}
