import { useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useI18n, type EnumKind, type I18n } from '../i18n/I18nProvider';
import type { FieldErrors } from './forms';
import { Field, type ControlProps } from './ui';
import type { FilterChange, PagedSearch } from './usePagedSearch';

interface FieldBase {
  /** The value's name: the URL parameter, or the page's draft key. */
  name: string;
  label: string;
  testId?: string;
  /** Error key (`query.from`) the page's `errors` may name. */
  path?: string;
  hint?: string;
  className?: string;
}

export type FilterField =
  | (FieldBase & {
      kind: 'select';
      options: readonly string[];
      /** How an option is named: an enum's names in the current language, or a function. */
      labels: EnumKind | ((value: string) => string);
      /** The first, empty option (every value): named "all", or as given; none when absent. */
      all?: true | string;
    })
  | (FieldBase & {
      kind: 'text' | 'search' | 'date' | 'number';
      input?: Pick<InputHTMLAttributes<HTMLInputElement>, 'inputMode' | 'min' | 'max' | 'spellCheck' | 'placeholder'>;
    })
  | (FieldBase & { kind: 'checkbox' })
  | (FieldBase & { kind: 'custom'; render: (control: ControlProps) => ReactNode });

/** A select of an enum's values, named in the current language, with an "all" option first. */
export function enumFilter(
  name: string,
  label: string,
  options: readonly string[],
  labels: EnumKind,
  more: Partial<FieldBase> = {},
): FilterField {
  return { kind: 'select', name, label, options, labels, all: true, ...more };
}

/** From and to dates (the ledger's and supervision's), named `from`/`to`, test ids `<prefix>-from`/`-to`. */
export function dateRange(t: I18n['t'], prefix: string): FilterField[] {
  return (['from', 'to'] as const).map((name) => ({
    kind: 'date',
    name,
    label: t(`ledger.${name}`),
    path: `query.${name}`,
    testId: `${prefix}-${name}`,
  }));
}

/**
 * A list's filters declared as fields: a search form (`card filters`, its button last) or a toolbar of
 * inline selects. The inputs show `values` and report each change; what a change does (set the URL
 * at once, or edit a draft the form's submit applies) is the page's, or {@link useUrlFilters}'.
 */
export function FilterBar({
  fields,
  values,
  onChange,
  onSubmit,
  layout = 'form',
  errors,
  testId,
  role,
  noValidate,
  submitTestId,
  onReset,
}: {
  fields: FilterField[];
  values: Record<string, string | undefined>;
  onChange: (name: string, value: string) => void;
  onSubmit?: () => void;
  layout?: 'form' | 'toolbar';
  errors?: FieldErrors;
  testId?: string;
  role?: 'search';
  noValidate?: boolean;
  submitTestId?: string;
  /** Shows a reset button after the search button. */
  onReset?: () => void;
}) {
  const { t, tEnum } = useI18n();
  const controls = fields.map((f) => {
    const value = values[f.name] ?? '';
    const set = (e: { target: { value: string } }) => onChange(f.name, e.target.value);
    if (f.kind === 'checkbox') {
      return (
        <label key={f.name} className="checkbox filters__check">
          <input
            type="checkbox"
            checked={value === 'true'}
            onChange={(e) => onChange(f.name, e.target.checked ? 'true' : '')}
            data-testid={f.testId}
          />
          {f.label}
        </label>
      );
    }
    const className = layout === 'toolbar' ? 'field--inline' : f.className;
    return (
      <Field key={f.name} label={f.label} path={f.path} errors={errors} hint={f.hint} className={className}>
        {(p) => {
          if (f.kind === 'custom') return f.render(p);
          if (f.kind === 'select') {
            return (
              <select {...p} value={value} onChange={set} data-testid={f.testId}>
                {f.all !== undefined && <option value="">{f.all === true ? t('common.all') : f.all}</option>}
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {typeof f.labels === 'function' ? f.labels(o) : tEnum(f.labels, o)}
                  </option>
                ))}
              </select>
            );
          }
          // A plain text input keeps the browser's default type, as the hand-written filters had it.
          const type = f.kind === 'text' ? undefined : f.kind;
          return <input {...p} {...f.input} type={type} value={value} onChange={set} data-testid={f.testId} />;
        }}
      </Field>
    );
  });
  if (layout === 'toolbar') return <div className="toolbar">{controls}</div>;
  return (
    <form
      className="card filters"
      role={role}
      noValidate={noValidate}
      data-testid={testId}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit?.();
      }}
    >
      {controls}
      <div className="filters__actions">
        <button type="submit" className="btn btn--primary" data-testid={submitTestId}>
          {t('common.search')}
        </button>
        {onReset && (
          <button type="button" className="btn btn--secondary" onClick={onReset}>
            {t('common.reset')}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * Filter inputs bound to the URL: a select or checkbox sets its parameter at once (back to page 1);
 * the `typed` ones (search words) are drafts the form's submit applies, trimmed.
 */
export function useUrlFilters<K extends string>(search: PagedSearch<K>, typed: readonly K[] = []) {
  const [draft, setDraft] = useState(() => Object.fromEntries(typed.map((k) => [k, search.filters[k] ?? ''])));
  const isTyped = (name: string): name is K => (typed as readonly string[]).includes(name);
  return {
    values: { ...search.filters, ...draft } as Record<string, string | undefined>,
    onChange: (name: string, value: string) => {
      if (isTyped(name)) setDraft((d) => ({ ...d, [name]: value }));
      else search.setFilters({ [name]: value } as FilterChange<K>);
    },
    onSubmit: () => search.setFilters(Object.fromEntries(typed.map((k) => [k, draft[k]?.trim()])) as FilterChange<K>),
  };
}

/** A status filter shown as tabs: one button a value, the current one highlighted. */
export function FilterTabs<V extends string>({
  tabs,
  current,
  onPick,
  label,
  testId,
  ariaLabel,
}: {
  tabs: readonly V[];
  current: V;
  onPick: (tab: V) => void;
  label: (tab: V) => string;
  testId: (tab: V) => string;
  /** What the tabs choose, for assistive technology. */
  ariaLabel?: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={ariaLabel}>
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={tab === current}
          className={`btn ${tab === current ? 'btn--primary' : 'btn--secondary'}`}
          onClick={() => onPick(tab)}
          data-testid={testId(tab)}
        >
          {label(tab)}
        </button>
      ))}
    </div>
  );
}
