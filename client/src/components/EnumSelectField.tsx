import type { UseFormRegisterReturn } from 'react-hook-form';
import { useI18n, type EnumKind } from '../i18n/I18nProvider';
import type { FieldErrors } from './forms';
import { Field } from './ui';

/**
 * A select of a form run by `useZodForm` offering `values`, each named as the i18n names that
 * `kind` of value (`tEnum`); `field` is the form's `register(name)`.
 */
export function EnumSelectField({
  label,
  path,
  errors,
  field,
  values,
  kind,
  testId,
  hint,
  required,
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  field: UseFormRegisterReturn;
  values: readonly string[];
  kind: EnumKind;
  testId?: string;
  hint?: string;
  required?: boolean;
}) {
  const { tEnum } = useI18n();
  return (
    <Field label={label} path={path} errors={errors} hint={hint} required={required}>
      {(p) => (
        <select {...p} {...field} data-testid={testId}>
          {values.map((v) => (
            <option key={v} value={v}>
              {tEnum(kind, v)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
