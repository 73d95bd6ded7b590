import type { HTMLAttributes } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import type { FieldErrors } from './forms';
import { Field } from './ui';

/**
 * One required text input (or a short textarea, a password, an e-mail address) of a form run by
 * `useZodForm`: its label, hint and the errors the form holds for `path`; `field` is the form's
 * `register(name)`. Spell checking is off unless `browserSpellCheck` leaves it to the browser.
 */
export function TextField({
  label,
  path,
  errors,
  field,
  testId,
  hint,
  multiline,
  type = 'text',
  autoComplete,
  maxLength,
  autoCapitalize,
  browserSpellCheck = false,
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  field: UseFormRegisterReturn;
  testId: string;
  hint?: string;
  multiline?: boolean;
  type?: 'text' | 'password' | 'email';
  autoComplete?: string;
  maxLength?: number;
  autoCapitalize?: HTMLAttributes<HTMLInputElement>['autoCapitalize'];
  browserSpellCheck?: boolean;
}) {
  const spellCheck = browserSpellCheck ? undefined : false;
  return (
    <Field label={label} path={path} errors={errors} hint={hint} required>
      {(p) =>
        multiline ? (
          <textarea {...p} rows={2} {...field} data-testid={testId} />
        ) : (
          <input
            {...p}
            type={type}
            autoComplete={autoComplete}
            maxLength={maxLength}
            autoCapitalize={autoCapitalize}
            spellCheck={spellCheck}
            {...field}
            data-testid={testId}
          />
        )
      }
    </Field>
  );
}
