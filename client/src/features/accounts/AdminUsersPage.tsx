import { useState, type FormEvent } from 'react';
import { AdminCreateUserBody, ROLES, type Role, type UserView } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { Field, FormAlert, Notice, PageHeader } from '../../components/ui';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';

const SHOWN = ['body.email', 'body.password', 'body.displayName', 'body.role', 'body.org.name', 'body.org.creditCode'];

/** The platform admin creates privileged users (authority, exchange, regulator, admin). */
export function AdminUsersPage() {
  const { t, tEnum } = useI18n();
  const form = useZodForm({
    schema: AdminCreateUserBody,
    defaultValues: {
      email: '',
      password: '',
      displayName: '',
      role: 'authority' as Role,
      org: { name: '', creditCode: '' },
    },
  });
  const [created, setCreated] = useState<UserView>();

  const create = form.onSubmit(async (body) => {
    const done = await form.submit(() => authApi.adminCreateUser(body));
    if (done) {
      setCreated(done.value);
      for (const name of ['email', 'password', 'displayName'] as const) form.setValue(name, '');
    }
  });
  function onSubmit(e: FormEvent) {
    setCreated(undefined);
    return create(e);
  }

  return (
    <div>
      <PageHeader title={t('admin.title')} subtitle={t('admin.subtitle')} />
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="admin-user-form">
        <div className="grid-2">
          <Field label={t('auth.role')} path="body.role" errors={form.errors} required>
            {(p) => (
              <select {...p} {...form.register('role')} data-testid="admin-role">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {tEnum('role', r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('auth.displayName')} path="body.displayName" errors={form.errors} required>
            {(p) => <input {...p} {...form.register('displayName')} data-testid="admin-display-name" />}
          </Field>
          <Field label={t('auth.email')} path="body.email" errors={form.errors} required>
            {(p) => <input {...p} type="email" {...form.register('email')} data-testid="admin-email" />}
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
                {...form.register('password')}
                data-testid="admin-password"
              />
            )}
          </Field>
          <Field label={t('auth.orgName')} path="body.org.name" errors={form.errors} required>
            {(p) => <input {...p} {...form.register('org.name')} data-testid="admin-org-name" />}
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
                {...form.register('org.creditCode')}
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
