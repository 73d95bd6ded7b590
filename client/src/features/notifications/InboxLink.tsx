import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { INBOX_CHANGED, notificationsApi } from '../../api/notifications';
import { useI18n } from '../../i18n/I18nProvider';

const POLL_MS = 30_000;

/** The header's inbox link with the unread count, refreshed every 30 s, on navigation and when the inbox changes. */
export function InboxLink() {
  const { t } = useI18n();
  const location = useLocation();
  const [count, setCount] = useState<{ unread: number; capped: boolean }>({ unread: 0, capped: false });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    notificationsApi
      .unread(controller.signal)
      .then((res) => {
        // An answer without a count (an empty body) must not take the header down with it.
        if (res && typeof res.unread === 'number') setCount({ unread: res.unread, capped: Boolean(res.capped) });
      })
      .catch(() => undefined); // the badge is a hint; the inbox page shows errors
    return () => controller.abort();
  }, [location.pathname, tick]);

  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), POLL_MS);
    const onChange = () => setTick((n) => n + 1);
    window.addEventListener(INBOX_CHANGED, onChange);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener(INBOX_CHANGED, onChange);
    };
  }, []);

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
