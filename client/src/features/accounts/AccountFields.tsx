import type { UseFormRegisterReturn } from 'react-hook-form';
import type { FieldErrors } from '../../components/forms';
import { TextField } from '../../components/TextField';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';

/** The new account's password (self-registration and the admin's new user), with the rules as its hint. */
export function NewPasswordField({
  errors,
  field,
  testId,
}: {
  errors: FieldErrors;
  field: UseFormRegisterReturn;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <TextField
      type="password"
      label={t('auth.password')}
      path="body.password"
      errors={errors}
      field={field}
      testId={testId}
      hint={t('auth.passwordHint')}
      autoComplete="new-password"
      browserSpellCheck
    />
  );
}

/** The new account's organisation's unified social credit code (18 characters). */
export function CreditCodeField({
  errors,
  field,
  testId,
  hint,
  autoCapitalize,
}: {
  errors: FieldErrors;
  field: UseFormRegisterReturn;
  testId: string;
  hint: MessageKey;
  autoCapitalize?: 'characters';
}) {
  const { t } = useI18n();
  return (
    <TextField
      label={t('auth.creditCode')}
      path="body.org.creditCode"
      errors={errors}
      field={field}
      testId={testId}
      hint={t(hint)}
      maxLength={18}
      autoCapitalize={autoCapitalize}
    />
  );
}
