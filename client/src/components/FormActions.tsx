import { useI18n } from '../i18n/I18nProvider';

/** A form's submit button (showing that it works while `pending`) and, with `onCancel`, its cancel button. */
export function FormActions({
  label,
  pending,
  danger = false,
  testId,
  onCancel,
  showWorking = true,
}: {
  label: string;
  pending: boolean;
  danger?: boolean;
  testId: string;
  onCancel?: () => void;
  /** The submit button says it is working while pending (else it keeps its label). */
  showWorking?: boolean;
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
    </div>
  );
}
