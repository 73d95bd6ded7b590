import type { ReactNode } from 'react';
import type { ApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import type { FieldErrors } from './forms';
import { FormAlert, type PathFilter } from './ui';

/**
 * A form's submit button (showing that it works while `pending`) and, with `onCancel`, its cancel
 * button; `children` are further actions after them (a cancel link).
 */
export function FormActions({
  label,
  pending,
  danger = false,
  testId,
  onCancel,
  showWorking = true,
  children,
}: {
  label: string;
  pending: boolean;
  danger?: boolean;
  testId: string;
  onCancel?: () => void;
  /** The submit button says it is working while pending (else it keeps its label). */
  showWorking?: boolean;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="form__actions">
      <button
        type="submit"
        className={danger ? 'btn btn--danger' : 'btn btn--primary'}
        disabled={pending}
        data-testid={testId}
      >
        {pending && showWorking ? t('common.working') : label}
      </button>
      {onCancel && (
        <button type="button" className="btn btn--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
      {children}
    </div>
  );
}

/**
 * The end of a form run by `useZodForm`: its alert (the errors not shown next to a field, or the
 * server's problem), `children` (a success notice), and its submit button; `actions` go after it.
 */
export function FormFooter({
  form,
  shownPaths,
  alertTestId,
  label,
  testId,
  danger,
  actions,
  children,
}: {
  form: { problem: ApiError | undefined; errors: FieldErrors; pending: boolean };
  shownPaths?: PathFilter;
  alertTestId?: string;
  label: string;
  testId: string;
  danger?: boolean;
  actions?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <>
      <FormAlert form={form} shownPaths={shownPaths} testId={alertTestId} />
      {children}
      <FormActions label={label} pending={form.pending} danger={danger} testId={testId}>
        {actions}
      </FormActions>
    </>
  );
}

/** A button that runs an action (not a form's submit) and is disabled, saying it works, while `busy`. */
export function BusyButton({
  label,
  busy,
  busyLabel,
  onClick,
  tone = 'primary',
  testId,
}: {
  label: string;
  busy: boolean;
  /** What it says while busy (else that it works). */
  busyLabel?: string;
  onClick: () => void;
  tone?: 'primary' | 'secondary';
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <button type="button" className={`btn btn--${tone}`} disabled={busy} onClick={onClick} data-testid={testId}>
      {busy ? (busyLabel ?? t('common.working')) : label}
    </button>
  );
}
