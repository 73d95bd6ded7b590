import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { notificationsApi } from '../../api/notifications';
import { keys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/I18nProvider';

const POLL_MS = 30_000;

/**
 * The header's inbox link with the unread count, refreshed every 30 s, on navigation (the path is in
 * the key; the last count stays while the next loads) and when the inbox changes (its key is invalidated).
 */
export function InboxLink() {
  const { t } = useI18n();
  const location = useLocation();
  const state = useQuery({
    queryKey: keys.notifications.unread(location.pathname),
    queryFn: async ({ signal }) => {
      const res = await notificationsApi.unread(signal);
      // An answer without a count (an empty body) must not take the header down with it: the last count stays.
      if (!res || typeof res.unread !== 'number') throw new Error('no unread count');
      return { unread: res.unread, capped: Boolean(res.capped) };
    },
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: true,
    retry: false, // the badge is a hint; the inbox page shows errors
  });
  const count = state.data ?? { unread: 0, capped: false };

  const label = count.capped ? '99+' : String(count.unread);
  return (
    <Link
      to="/inbox"
      className="btn btn--ghost inbox-link"
      data-testid="inbox-link"
      data-unread={count.unread}
      aria-label={`${t('nav.inbox')} · ${t('inbox.unread', { n: label })}`}
    >
      {t('nav.inbox')}
      {count.unread > 0 && (
        <span className="inbox-link__count" data-testid="inbox-unread">
          {label}
        </span>
      )}
    </Link>
  );
}
