import { useState, type FormEvent } from 'react';
import { AdminCreateUserBody, ROLES, type Role, type UserView } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { Field, FormAlert, Notice, PageHeader } from '../../components/ui';
import { useForm } from '../../components/useForm';
import { useI18n } from '../../i18n/I18nProvider';

const SHOWN = ['body.email', 'body.password', 'body.displayName', 'body.role', 'body.org.name', 'body.org.creditCode'];

/** The platform admin creates privileged users (authority, exchange, regulator, admin). */
export function AdminUsersPage() {
  const { t, tEnum } = useI18n();
  const form = useForm();
  const [created, setCreated] = useState<UserView>();
  const [v, setV] = useState({
    email: '',
    password: '',
    displayName: '',
    role: 'authority' as Role,
    orgName: '',
    creditCode: '',
  });
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    const body = form.check(AdminCreateUserBody, {
      email: v.email,
      password: v.password,
      displayName: v.displayName,
      role: v.role,
      org: { name: v.orgName, creditCode: v.creditCode },
    });
    if (!body) return;
    const done = await form.submit(() => authApi.adminCreateUser(body));
    if (done) {
      setCreated(done.value);
      setV({ ...v, email: '', password: '', displayName: '' });
    }
  }

  return (
    <div>
      <PageHeader title={t('admin.title')} subtitle={t('admin.subtitle')} />
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="admin-user-form">
        <div className="grid-2">
          <Field label={t('auth.role')} path="body.role" errors={form.errors} required>
            {(p) => (
              <select {...p} value={v.role} onChange={set('role')} data-testid="admin-role">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {tEnum('role', r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('auth.displayName')} path="body.displayName" errors={form.errors} required>
            {(p) => (
              <input {...p} value={v.displayName} onChange={set('displayName')} data-testid="admin-display-name" />
            )}
          </Field>
          <Field label={t('auth.email')} path="body.email" errors={form.errors} required>
            {(p) => <input {...p} type="email" value={v.email} onChange={set('email')} data-testid="admin-email" />}
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
                data-testid="admin-password"
              />
            )}
          </Field>
          <Field label={t('auth.orgName')} path="body.org.name" errors={form.errors} required>
            {(p) => <input {...p} value={v.orgName} onChange={set('orgName')} data-testid="admin-org-name" />}
          </Field>
          <Field
            label={t('auth.creditCode')}
            path="body.org.creditCode"
            errors={form.errors}
            hint={t('admin.creditCodeHint')}
            required
          >
            {(p) => (
              <input
                {...p}
                maxLength={18}
                spellCheck={false}
                value={v.creditCode}
                onChange={set('creditCode')}
                data-testid="admin-credit-code"
              />
            )}
          </Field>
        </div>
        <FormAlert form={form} shownPaths={SHOWN} />
        {created && (
          <Notice kind="success" testId="admin-user-created">
            {t('admin.created', { email: created.email, role: tEnum('role', created.role), org: created.org.name })}
          </Notice>
        )}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="admin-user-submit">
            {form.pending ? t('common.working') : t('admin.create')}
          </button>
        </div>
      </form>
    </div>
  );
}
