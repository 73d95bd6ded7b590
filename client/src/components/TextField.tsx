import type { UseFormRegisterReturn } from 'react-hook-form';
import type { FieldErrors } from './forms';
import { Field } from './ui';

/**
 * One required text input (or a short textarea, or a password) of a form run by `useZodForm`: its
 * label, hint and the errors the form holds for `path`; `field` is the form's `register(name)`.
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
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  field: UseFormRegisterReturn;
  testId: string;
  hint?: string;
  multiline?: boolean;
  type?: 'text' | 'password';
  autoComplete?: string;
}) {
  return (
    <Field label={label} path={path} errors={errors} hint={hint} required>
      {(p) =>
        multiline ? (
          <textarea {...p} rows={2} {...field} data-testid={testId} />
        ) : (
          <input {...p} type={type} autoComplete={autoComplete} spellCheck={false} {...field} data-testid={testId} />
        )
      }
    </Field>
  );
}
