import { useId, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { asApiError, type ApiError } from '../api/errors';
import { useI18n, type EnumKind } from '../i18n/I18nProvider';
import type { FieldErrors } from './forms';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/**
 * A labelled form control with its hint and its error right below it. `path` is the error key
 * (`body.org.creditCode`); the control is rendered by `children` with the ids it must carry.
 */
export function Field({
  label,
  path,
  errors,
  hint,
  required,
  className,
  children,
}: {
  label: string;
  path?: string;
  errors?: FieldErrors;
  hint?: string;
  required?: boolean;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const error = path ? errors?.[path] : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      )}
      {error && (
        <div id={errorId} className="field__error" data-testid="field-error" data-path={path}>
          {error}
        </div>
      )}
    </div>
  );
}

export type PathFilter = readonly string[] | ((path: string) => boolean);

function isShown(filter: PathFilter | undefined, path: string): boolean {
  if (!filter) return false;
  return typeof filter === 'function' ? filter(path) : filter.includes(path);
}

/**
 * What a form says above its buttons: the server's problem, or (after client-side validation)
 * a summary naming any error that has no field on screen.
 */
export function FormAlert({
  form,
  shownPaths,
  testId = 'form-error',
}: {
  form: { problem: ApiError | undefined; errors: FieldErrors };
  shownPaths?: PathFilter;
  testId?: string;
}) {
  const { t } = useI18n();
  if (form.problem) return <ProblemAlert error={form.problem} shownPaths={shownPaths} testId={testId} />;
  const paths = Object.keys(form.errors);
  if (paths.length === 0) return null;
  const rest = paths.filter((p) => !isShown(shownPaths, p));
  return (
    <div className="alert alert--error" role="alert" data-testid={testId}>
      <strong>{t('error.fixFields')}</strong>
      {rest.length > 0 && (
        <ul>
          {rest.map((p) => (
            <li key={p}>
              <code>{p}</code>: {form.errors[p]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The message for a failed call: network trouble, or the problem's detail and any errors not shown at a field. */
export function ProblemAlert({
  error,
  shownPaths,
  testId = 'problem',
}: {
  error: ApiError | undefined;
  /** Paths already displayed next to their fields; the rest are listed here. */
  shownPaths?: PathFilter;
  testId?: string;
}) {
  const { t, tField, tProblem } = useI18n();
  if (!error) return null;
  const rest = error.errors.filter((e) => !isShown(shownPaths, e.path));
  let text: string;
  if (error.isNetwork) text = t('error.network');
  else if (error.status >= 500) text = t('error.server');
  else if (error.code === 'no-route') text = t('error.notAvailable');
  else if (error.status === 403 && !error.detail) text = t('error.forbidden');
  else text = tProblem(error);
  return (
    <div className="alert alert--error" role="alert" data-testid={testId} data-status={error.status}>
      <strong>{text}</strong>
      {error.status > 0 && <span className="alert__code"> ({error.status})</span>}
      {rest.length > 0 && (
        <ul>
          {rest.map((e, i) => (
            <li key={`${e.path}-${i}`}>
              <code>{e.path}</code>: {tField(e)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
  testId,
}: {
  kind?: 'info' | 'success' | 'warning';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div className={`alert alert--${kind}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state--loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state state--empty" data-testid="empty">
      {children ?? t('common.empty')}
    </div>
  );
}

/** Loading, error (with retry) and empty states around a list or a record. */
/** A query's loading, error (with a retry that refetches) and empty states; `children` renders its data. */
export function AsyncBlock<T>({
  state,
  isEmpty,
  empty,
  children,
}: {
  state: Pick<UseQueryResult<T, unknown>, 'data' | 'error' | 'isFetching' | 'refetch'>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (state.error) {
    return (
      <div className="state state--error">
        <ProblemAlert error={asApiError(state.error)} testId="load-error" />
        <button type="button" className="btn btn--secondary" onClick={() => void state.refetch()} data-testid="retry">
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty}</Empty>;
  return (
    <div className={state.isFetching ? 'is-refreshing' : undefined} aria-busy={state.isFetching}>
      {children(state.data)}
    </div>
  );
}

const BADGE_TONE: Record<string, string> = {
  listed: 'ok',
  registered: 'ok',
  active: 'ok',
  paid: 'ok',
  delivered: 'ok',
  approve: 'ok',
  general: 'ok',
  L1: 'ok',
  L2: 'info',
  pending_review: 'warn',
  pending_payment: 'warn',
  draft: 'muted',
  L3: 'warn',
  important: 'warn',
  suspended: 'warn',
  rejected: 'bad',
  reject: 'bad',
  revoked: 'bad',
  refunded: 'bad',
  cancelled: 'muted',
  delisted: 'muted',
  expired: 'muted',
  retired: 'muted',
  core: 'bad',
  L4: 'bad',
};

/** A coloured label for a status, grade or level, named in the current language. */
export function Badge({
  kind,
  value,
  testId = 'status-badge',
}: {
  kind: EnumKind;
  value: string | null | undefined;
  testId?: string;
}) {
  const { tEnum } = useI18n();
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  return (
    <span className={`badge badge--${BADGE_TONE[value] ?? 'info'}`} data-testid={testId} data-value={value}>
      {tEnum(kind, value)}
    </span>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  if (total <= pageSize && page <= 1) return null;
  return (
    <nav className="pager" aria-label={t('pager.label')} data-testid="pager">
      <button type="button" className="btn btn--secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('pager.prev')}
      </button>
      <span>{t('pager.status', { page, pages, total })}</span>
      <button type="button" className="btn btn--secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-header__subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </header>
  );
}

/** A definition list of label/value pairs. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label} className="facts__row">
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
