import { useState, type FormEvent } from 'react';
import { ChangePasswordBody } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthProvider';
import { Facts, Notice, PageHeader } from '../../components/ui';
import { TextField } from '../../components/TextField';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';

const SHOWN = ['body.currentPassword', 'body.newPassword', 'confirm'];

const toBody = ({ currentPassword, newPassword }: { currentPassword: string; newPassword: string }) => ({
  currentPassword,
  newPassword,
});

/**
 * The signed-in user's account: who they are, and a new password (POST /auth/password). The
 * server ends every other session of the user (token version) and answers with a fresh token, which
 * becomes this session's.
 */
export function AccountPage() {
  const { t, tEnum } = useI18n();
  const { user, signIn } = useAuth();
  const form = useZodForm({
    schema: ChangePasswordBody,
    defaultValues: { currentPassword: '', newPassword: '', confirm: '' },
    toBody,
  });
  const [changed, setChanged] = useState(false);

  const check = form.onSubmit(async (body) => {
    if (form.getValues('confirm') !== form.getValues('newPassword'))
      return form.setErrors({ confirm: t('account.mismatch') });
    const done = await form.submit(() => authApi.changePassword(body));
    if (!done) return;
    signIn({ token: done.value.token, user: done.value.user });
    form.reset();
    setChanged(true);
  });
  function onSubmit(e: FormEvent) {
    setChanged(false);
    return check(e);
  }

  if (!user) return null;
  return (
    <div className="page">
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <section className="card" data-testid="account-who">
        <Facts
          items={[
            [t('auth.email'), user.email],
            [t('account.role'), tEnum('role', user.role)],
            [t('account.org'), `${user.org.name} · ${user.org.creditCode}`],
          ]}
        />
      </section>
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="password-form">
        <h2>{t('account.changePassword')}</h2>
        <p className="muted">{t('account.changeHint')}</p>
        <TextField
          type="password"
          label={t('account.current')}
          path="body.currentPassword"
          errors={form.errors}
          field={form.register('currentPassword')}
          testId="password-current"
          autoComplete="current-password"
        />
        <TextField
          type="password"
          label={t('account.new')}
          path="body.newPassword"
          errors={form.errors}
          field={form.register('newPassword')}
          testId="password-new"
          autoComplete="new-password"
        />
        <TextField
          type="password"
          label={t('account.confirm')}
          path="confirm"
          errors={form.errors}
          field={form.register('confirm')}
          testId="password-confirm"
          autoComplete="new-password"
        />
        <FormFooter form={form} shownPaths={SHOWN} label={t('account.changePassword')} testId="password-submit">
          {changed && (
            <Notice kind="success" testId="password-changed">
              {t('account.changed')}
            </Notice>
          )}
        </FormFooter>
      </form>
    </div>
  );
}
