import type { UseFormRegisterReturn } from 'react-hook-form';
import type { FieldErrors } from '../../components/forms';
import { TextField } from '../../components/TextField';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';

interface AccountFieldSpec {
  /** The form's field; `path` is where the server's errors name it. */
  name: string;
  label: MessageKey;
  path: string;
  type?: 'email' | 'password';
  hint?: MessageKey;
  autoComplete?: string;
  maxLength?: number;
  /** Spell checking off (else it is left to the browser). */
  spellCheck?: false;
}

/** An account's fields as the sign-in, self-registration and the admin's new-user forms ask for them. */
const ACCOUNT_FIELDS = {
  email: { name: 'email', label: 'auth.email', path: 'body.email', type: 'email' },
  password: { name: 'password', label: 'auth.password', path: 'body.password', type: 'password' },
  /** A new account's password, with the rules as its hint. */
  newPassword: {
    name: 'password',
    label: 'auth.password',
    path: 'body.password',
    type: 'password',
    hint: 'auth.passwordHint',
    autoComplete: 'new-password',
  },
  displayName: { name: 'displayName', label: 'auth.displayName', path: 'body.displayName' },
  orgName: { name: 'org.name', label: 'auth.orgName', path: 'body.org.name' },
  /** The organisation's unified social credit code (18 characters), typed as is. */
  creditCode: {
    name: 'org.creditCode',
    label: 'auth.creditCode',
    path: 'body.org.creditCode',
    maxLength: 18,
    spellCheck: false,
  },
} satisfies Record<string, AccountFieldSpec>;

/**
 * One account field of `kind` in a form run by `useZodForm` that has it; `hint` replaces its own,
 * `autoComplete` says what the browser may fill in.
 */
export function AccountField({
  kind,
  form,
  testId,
  hint,
  autoComplete,
  autoCapitalize,
}: {
  kind: keyof typeof ACCOUNT_FIELDS;
  form: { errors: FieldErrors; register: (name: never) => UseFormRegisterReturn };
  testId: string;
  hint?: MessageKey;
  autoComplete?: string;
  autoCapitalize?: 'characters';
}) {
  const { t } = useI18n();
  const spec: AccountFieldSpec = ACCOUNT_FIELDS[kind];
  const hintKey = hint ?? spec.hint;
  return (
    <TextField
      type={spec.type}
      label={t(spec.label)}
      path={spec.path}
      errors={form.errors}
      field={form.register(spec.name as never)}
      testId={testId}
      hint={hintKey && t(hintKey)}
      autoComplete={autoComplete ?? spec.autoComplete}
      maxLength={spec.maxLength}
      autoCapitalize={autoCapitalize}
      browserSpellCheck={spec.spellCheck !== false}
    />
  );
}
