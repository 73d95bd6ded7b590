import { Link, useNavigate, useSearchParams } from 'react-router';
import { LoginBody } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthProvider';
import { homeFor } from '../../auth/nav';
import { useZodForm } from '../../components/useZodForm';
import { AccountField } from './AccountFields';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';

const SHOWN = ['body.email', 'body.password'];

/** Only same-site paths are followed after sign-in. */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useZodForm({ schema: LoginBody, defaultValues: { email: '', password: '' } });

  const onSubmit = form.onSubmit(async (body) => {
    const done = await form.submit(() => authApi.login(body));
    if (!done) return;
    const res = done.value;
    signIn({ token: res.token, user: res.user });
    navigate(safeNext(params.get('next')) ?? homeFor(res.user.role), { replace: true });
  });

  return (
    <div className="auth-page">
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="signin-form">
        <h1>{t('auth.signInTitle')}</h1>
        <AccountField kind="email" form={form} testId="signin-email" autoComplete="username" />
        <AccountField kind="password" form={form} testId="signin-password" autoComplete="current-password" />
        <FormFooter form={form} shownPaths={SHOWN} label={t('auth.signIn')} testId="signin-submit" />
        <p className="muted">
          {t('auth.noAccount')} <Link to="/register">{t('auth.registerLink')}</Link>
        </p>
      </form>
    </div>
  );
}
