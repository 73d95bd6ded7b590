import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { RegisterBody, SELF_REGISTER_ROLES } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthProvider';
import { homeFor } from '../../auth/nav';
import { Field, FormAlert } from '../../components/ui';
import { useForm } from '../../components/useForm';
import { useI18n } from '../../i18n/I18nProvider';

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
  const form = useForm();
  const [accepted, setAccepted] = useState(false);
  const [v, setV] = useState({
    email: '',
    password: '',
    displayName: '',
    role: 'buyer' as SelfRole,
    orgName: '',
    creditCode: '',
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = form.check(RegisterBody, {
      email: v.email,
      password: v.password,
      displayName: v.displayName,
      role: v.role,
      org: { name: v.orgName, creditCode: v.creditCode },
    });
    if (!body) return;
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
  }

  return (
    <div className="auth-page">
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="register-form">
        <h1>{t('auth.registerTitle')}</h1>
        <fieldset className="radio-group">
          <legend>{t('auth.role')}</legend>
          {SELF_REGISTER_ROLES.map((r) => (
            <label key={r} className="radio">
              <input
                type="radio"
                name="role"
                value={r}
                checked={v.role === r}
                onChange={() => setV({ ...v, role: r })}
                data-testid={`register-role-${r}`}
              />
              {tEnum('role', r)}
              <span className="muted"> — {t(r === 'buyer' ? 'auth.roleBuyerHint' : 'auth.roleProviderHint')}</span>
            </label>
          ))}
        </fieldset>
        <div className="grid-2">
          <Field label={t('auth.email')} path="body.email" errors={form.errors} required>
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="email"
                value={v.email}
                onChange={set('email')}
                data-testid="register-email"
              />
            )}
          </Field>
          <Field
            label={t('auth.password')}
            path="body.password"
            errors={form.errors}
            hint={t('auth.passwordHint')}
            required
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="new-password"
                value={v.password}
                onChange={set('password')}
                data-testid="register-password"
              />
            )}
          </Field>
          <Field label={t('auth.displayName')} path="body.displayName" errors={form.errors} required>
            {(p) => (
              <input
                {...p}
                autoComplete="name"
                value={v.displayName}
                onChange={set('displayName')}
                data-testid="register-display-name"
              />
            )}
          </Field>
        </div>
        <fieldset className="fieldset">
          <legend>{t('auth.organisation')}</legend>
          <div className="grid-2">
            <Field label={t('auth.orgName')} path="body.org.name" errors={form.errors} required>
              {(p) => (
                <input
                  {...p}
                  autoComplete="organization"
                  value={v.orgName}
                  onChange={set('orgName')}
                  data-testid="register-org-name"
                />
              )}
            </Field>
            <Field
              label={t('auth.creditCode')}
              path="body.org.creditCode"
              errors={form.errors}
              hint={t('auth.creditCodeHint')}
              required
            >
              {(p) => (
                <input
                  {...p}
                  value={v.creditCode}
                  maxLength={18}
                  spellCheck={false}
                  autoCapitalize="characters"
                  onChange={set('creditCode')}
                  data-testid="register-credit-code"
                />
              )}
            </Field>
          </div>
        </fieldset>
        <FormAlert form={form} shownPaths={SHOWN} />
        {accepted && (
          <div className="alert alert--info" role="status" data-testid="register-accepted">
            {t('auth.registerAccepted')} <Link to="/signin">{t('auth.signIn')}</Link>
          </div>
        )}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="register-submit">
            {form.pending ? t('common.working') : t('auth.register')}
          </button>
        </div>
        <p className="muted">
          {t('auth.haveAccount')} <Link to="/signin">{t('auth.signIn')}</Link>
        </p>
      </form>
    </div>
  );
}
