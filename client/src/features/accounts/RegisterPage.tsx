import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { RegisterBody, SELF_REGISTER_ROLES } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthProvider';
import { homeFor } from '../../auth/nav';
import { useZodForm } from '../../components/useZodForm';
import { AccountField } from './AccountFields';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';

const SHOWN = [
  'body.email',
  'body.password',
  'body.displayName',
  'body.role',
  'body.org',
  'body.org.name',
  'body.org.creditCode',
];

type SelfRole = (typeof SELF_REGISTER_ROLES)[number];

export function RegisterPage() {
  const { t, tEnum } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const form = useZodForm({
    schema: RegisterBody,
    defaultValues: {
      email: '',
      password: '',
      displayName: '',
      role: 'buyer' as SelfRole,
      org: { name: '', creditCode: '' },
    },
  });
  const [accepted, setAccepted] = useState(false);

  const onSubmit = form.onSubmit(async (body) => {
    // Registration answers alike whether or not the address already has an account (it never says
    // which); a new account then signs in with the same credentials. If that fails, the address had
    // an account already, and the page says how to go on without confirming it.
    setAccepted(false);
    const done = await form.submit(() => authApi.register(body));
    if (!done) return;
    const res = await authApi.login({ email: body.email, password: body.password }).catch(() => undefined);
    if (!res) return setAccepted(true);
    signIn({ token: res.token, user: res.user });
    navigate(homeFor(res.user.role), { replace: true });
  });

  return (
    <div className="auth-page">
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="register-form">
        <h1>{t('auth.registerTitle')}</h1>
        <fieldset className="radio-group">
          <legend>{t('auth.role')}</legend>
          {SELF_REGISTER_ROLES.map((r) => (
            <label key={r} className="radio">
              <input type="radio" value={r} {...form.register('role')} data-testid={`register-role-${r}`} />
              {tEnum('role', r)}
              <span className="muted"> — {t(r === 'buyer' ? 'auth.roleBuyerHint' : 'auth.roleProviderHint')}</span>
            </label>
          ))}
        </fieldset>
        <div className="grid-2">
          <AccountField kind="email" form={form} testId="register-email" autoComplete="email" />
          <AccountField kind="newPassword" form={form} testId="register-password" />
          <AccountField kind="displayName" form={form} testId="register-display-name" autoComplete="name" />
        </div>
        <fieldset className="fieldset">
          <legend>{t('auth.organisation')}</legend>
          <div className="grid-2">
            <AccountField kind="orgName" form={form} testId="register-org-name" autoComplete="organization" />
            <AccountField
              kind="creditCode"
              form={form}
              testId="register-credit-code"
              hint="auth.creditCodeHint"
              autoCapitalize="characters"
            />
          </div>
        </fieldset>
        <FormFooter form={form} shownPaths={SHOWN} label={t('auth.register')} testId="register-submit">
          {accepted && (
            <div className="alert alert--info" role="status" data-testid="register-accepted">
              {t('auth.registerAccepted')} <Link to="/signin">{t('auth.signIn')}</Link>
            </div>
          )}
        </FormFooter>
        <p className="muted">
          {t('auth.haveAccount')} <Link to="/signin">{t('auth.signIn')}</Link>
        </p>
      </form>
    </div>
  );
}
