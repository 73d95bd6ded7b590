import type { ReactNode } from 'react';

/** A fieldset of checkboxes with its legend and error; `value` is the checked subset. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  label,
  error,
  errorPath,
  testId,
  disabled,
}: {
  legend: string;
  options: readonly T[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  label: (option: T) => ReactNode;
  error?: string;
  errorPath?: string;
  testId?: string;
  disabled?: (option: T) => boolean;
}) {
  return (
    <fieldset className={`checkbox-group${error ? ' field--error' : ''}`} data-testid={testId}>
      <legend>{legend}</legend>
      <div className="checkbox-group__options">
        {options.map((o) => (
          <label key={o} className="checkbox">
            <input
              type="checkbox"
              value={o}
              checked={value.includes(o)}
              disabled={disabled?.(o)}
              onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((v) => v !== o))}
              data-testid={testId ? `${testId}-${o}` : undefined}
            />
            {label(o)}
          </label>
        ))}
      </div>
      {error && (
        <div className="field__error" data-testid="field-error" data-path={errorPath}>
          {error}
        </div>
      )}
    </fieldset>
  );
}
