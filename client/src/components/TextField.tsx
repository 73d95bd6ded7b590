import type { FormState } from './useForm';
import { Field } from './ui';

/**
 * One required text input (or a short textarea, or a password) of a form run by `useForm`: its
 * label, hint and the errors the form holds for `path`.
 */
export function TextField({
  label,
  path,
  form,
  value,
  onChange,
  testId,
  hint,
  multiline,
  type = 'text',
  autoComplete,
}: {
  label: string;
  path: string;
  form: FormState;
  value: string;
  onChange: (v: string) => void;
  testId: string;
  hint?: string;
  multiline?: boolean;
  type?: 'text' | 'password';
  autoComplete?: string;
}) {
  return (
    <Field label={label} path={path} errors={form.errors} hint={hint} required>
      {(p) =>
        multiline ? (
          <textarea {...p} rows={2} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
        ) : (
          <input
            {...p}
            type={type}
            autoComplete={autoComplete}
            spellCheck={false}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            data-testid={testId}
          />
        )
      }
    </Field>
  );
}
