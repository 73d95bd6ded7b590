import { useState, type FormEvent } from 'react';
import { AdminCreateUserBody, ROLES, type Role, type UserView } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { Field, Notice, PageHeader } from '../../components/ui';
import { useZodForm } from '../../components/useZodForm';
import { TextField } from '../../components/TextField';
import { CreditCodeField, NewPasswordField } from './AccountFields';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';

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
          <TextField
            label={t('auth.displayName')}
            path="body.displayName"
            errors={form.errors}
            field={form.register('displayName')}
            testId="admin-display-name"
            browserSpellCheck
          />
          <TextField
            type="email"
            label={t('auth.email')}
            path="body.email"
            errors={form.errors}
            field={form.register('email')}
            testId="admin-email"
            browserSpellCheck
          />
          <NewPasswordField errors={form.errors} field={form.register('password')} testId="admin-password" />
          <TextField
            label={t('auth.orgName')}
            path="body.org.name"
            errors={form.errors}
            field={form.register('org.name')}
            testId="admin-org-name"
            browserSpellCheck
          />
          <CreditCodeField
            errors={form.errors}
            field={form.register('org.creditCode')}
            testId="admin-credit-code"
            hint="admin.creditCodeHint"
          />
        </div>
        <FormFooter form={form} shownPaths={SHOWN} label={t('admin.create')} testId="admin-user-submit">
          {created && (
            <Notice kind="success" testId="admin-user-created">
              {t('admin.created', { email: created.email, role: tEnum('role', created.role), org: created.org.name })}
            </Notice>
          )}
        </FormFooter>
      </form>
    </div>
  );
}
