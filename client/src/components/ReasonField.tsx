import type { FieldErrors } from './forms';
import { Field } from './ui';

/** The textarea of a decision's reasons (a rejection, a suspension …), with its label, hint and error. */
export function ReasonField({
  label,
  hint,
  value,
  onChange,
  errors,
  path,
  testId,
  rows = 3,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
  path: string;
  testId: string;
  rows?: number;
}) {
  return (
    <Field label={label} path={path} errors={errors} hint={hint} required>
      {(p) => (
        <textarea {...p} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      )}
    </Field>
  );
}
