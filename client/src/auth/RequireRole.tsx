import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Role } from '@zdec/shared';
import { useI18n } from '../i18n/I18nProvider';
import { useAuth } from './AuthProvider';

/** Sends visitors to sign-in and tells signed-in users of another role that the page is not theirs. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { role } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (!role) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }
  if (!roles.includes(role)) {
    return (
      <div className="card" data-testid="forbidden">
        <h1>{t('error.forbiddenTitle')}</h1>
        <p>{t('error.forbiddenPage')}</p>
      </div>
    );
  }
  return <>{children}</>;
}
