import { useState, type FormEvent } from 'react';
import { AdminCreateUserBody, ROLES, type Role, type UserView } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { Notice, PageHeader } from '../../components/ui';
import { useZodForm } from '../../components/useZodForm';
import { AccountField } from './AccountFields';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';
import { EnumSelectField } from '../../components/EnumSelectField';

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
          <EnumSelectField
            label={t('auth.role')}
            path="body.role"
            errors={form.errors}
            field={form.register('role')}
            values={ROLES}
            kind="role"
            testId="admin-role"
            required
          />
          <AccountField kind="displayName" form={form} testId="admin-display-name" />
          <AccountField kind="email" form={form} testId="admin-email" />
          <AccountField kind="newPassword" form={form} testId="admin-password" />
          <AccountField kind="orgName" form={form} testId="admin-org-name" />
          <AccountField kind="creditCode" form={form} testId="admin-credit-code" hint="admin.creditCodeHint" />
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
