import { useState, type FormEvent } from 'react';
import { asApiError, type ApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { Field, ProblemAlert } from './ui';

const MAX_BYTES = 10 * 1024 * 1024;
const EXTENSIONS = ['.csv', '.json', '.xlsx'];
const ACCEPT =
  '.csv,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * One CSV/JSON/XLSX file (≤ 10 MB) sent as multipart field `file`, with a progress bar; the type
 * and size are checked here first so an obviously wrong file never travels.
 */
export function FileUpload<T>({
  label,
  hint,
  buttonLabel,
  upload,
  onUploaded,
  testId,
}: {
  label: string;
  hint?: string;
  buttonLabel: string;
  upload: (file: File, onProgress: (f: number) => void) => { promise: Promise<T> };
  onUploaded: (result: T) => void;
  testId: string;
}) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError>();
  const [localError, setLocalError] = useState<string>();
  const [done, setDone] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    if (!file) return setLocalError(t('sample.chooseFile'));
    const lower = file.name.toLowerCase();
    if (!EXTENSIONS.some((ext) => lower.endsWith(ext))) return setLocalError(t('sample.badType'));
    if (file.size > MAX_BYTES) return setLocalError(t('sample.tooLarge'));
    setLocalError(undefined);
    setProgress(0);
    try {
      const result = await upload(file, setProgress).promise;
      setDone(true);
      onUploaded(result);
    } catch (err) {
      setError(asApiError(err));
      setProgress(null);
    }
  }

  const uploading = progress !== null && !error && !done;
  return (
    <form className="form upload" onSubmit={onSubmit} noValidate data-testid={`${testId}-form`}>
      <Field label={label} hint={hint ?? t('sample.hint')}>
        {(p) => (
          <input
            {...p}
            type="file"
            accept={ACCEPT}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setProgress(null);
              setDone(false);
              setLocalError(undefined);
            }}
            data-testid={`${testId}-file`}
          />
        )}
      </Field>
      {localError && (
        <div className="field__error" role="alert" data-testid={`${testId}-local-error`}>
          {localError}
        </div>
      )}
      {progress !== null && (
        <div className="progress">
          <progress max={1} value={progress} aria-label={t('sample.progress')} data-testid="upload-progress" />
          <span aria-live="polite">
            {progress < 1 ? `${Math.round(progress * 100)}%` : done ? t('sample.scanned') : t('sample.scanning')}
          </span>
        </div>
      )}
      <ProblemAlert error={error} testId={`${testId}-error`} />
      <div className="form__actions">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={uploading || !file}
          data-testid={`${testId}-upload`}
        >
          {uploading ? t('sample.uploading') : buttonLabel}
        </button>
      </div>
    </form>
  );
}
