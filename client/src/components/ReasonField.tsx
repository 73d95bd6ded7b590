import type { UseFormRegisterReturn } from 'react-hook-form';
import type { FieldErrors } from './forms';
import { Field } from './ui';

/** The textarea of a decision's reasons (a rejection, a suspension …), with its label, hint and error. */
export function ReasonField({
  label,
  hint,
  field,
  errors,
  path,
  testId,
  rows = 3,
}: {
  label: string;
  hint?: string;
  /** The form's `register(name)` for the reasons. */
  field: UseFormRegisterReturn;
  errors: FieldErrors;
  path: string;
  testId: string;
  rows?: number;
}) {
  return (
    <Field label={label} path={path} errors={errors} hint={hint} required>
      {(p) => <textarea {...p} rows={rows} {...field} data-testid={testId} />}
    </Field>
  );
}
