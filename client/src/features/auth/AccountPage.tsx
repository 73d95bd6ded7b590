import { useState, type FormEvent } from 'react';
import { ChangePasswordBody } from '@zdec/shared';
import { authApi } from '../../api/endpoints';
import { useAuth } from '../../auth/AuthProvider';
import { Facts, FormAlert, Notice, PageHeader } from '../../components/ui';
import { TextField } from '../../components/TextField';
import { useForm } from '../../components/useForm';
import { useI18n } from '../../i18n/I18nProvider';

const SHOWN = ['body.currentPassword', 'body.newPassword', 'confirm'];

/**
 * The signed-in user's account: who they are, and a new password (POST /auth/password). The
 * server ends every other session of the user (token version) and answers with a fresh token, which
 * becomes this session's.
 */
export function AccountPage() {
  const { t, tEnum } = useI18n();
  const { user, signIn } = useAuth();
  const form = useForm();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [changed, setChanged] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setChanged(false);
    const body = form.check(ChangePasswordBody, { currentPassword, newPassword });
    if (!body) return;
    if (confirm !== newPassword) return form.setErrors({ confirm: t('account.mismatch') });
    const done = await form.submit(() => authApi.changePassword(body));
    if (!done) return;
    signIn({ token: done.value.token, user: done.value.user });
    setCurrent('');
    setNew('');
    setConfirm('');
    setChanged(true);
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
          form={form}
          value={currentPassword}
          onChange={setCurrent}
          testId="password-current"
          autoComplete="current-password"
        />
        <TextField
          type="password"
          label={t('account.new')}
          path="body.newPassword"
          form={form}
          value={newPassword}
          onChange={setNew}
          testId="password-new"
          autoComplete="new-password"
        />
        <TextField
          type="password"
          label={t('account.confirm')}
          path="confirm"
          form={form}
          value={confirm}
          onChange={setConfirm}
          testId="password-confirm"
          autoComplete="new-password"
        />
        <FormAlert form={form} shownPaths={SHOWN} />
        {changed && (
          <Notice kind="success" testId="password-changed">
            {t('account.changed')}
          </Notice>
        )}
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="password-submit">
            {form.pending ? t('common.working') : t('account.changePassword')}
          </button>
        </div>
      </form>
    </div>
  );
}
