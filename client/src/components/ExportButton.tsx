import { useState } from 'react';
import type { DownloadProgress } from '../api/buyer-regulator';
import { asApiError, type ApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { ProblemAlert } from './ui';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A button that streams an export and shows how far it has come: rows received against the rows
 * expected (CSV), or bytes received (XLSX, whose rows cannot be counted while it streams).
 */
export function ExportButton({
  label,
  testId,
  run,
}: {
  label: string;
  testId: string;
  run: (onProgress: (p: DownloadProgress) => void) => Promise<void>;
}) {
  const { t, number } = useI18n();
  const [progress, setProgress] = useState<DownloadProgress>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  async function onClick() {
    setBusy(true);
    setError(undefined);
    setProgress(undefined);
    try {
      await run(setProgress);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const text = !progress
    ? ''
    : progress.done
      ? t('ledgerx.exportDone', { size: size(progress.bytes) })
      : progress.expectedRows !== null && progress.rows > 0
        ? t('ledgerx.exportProgress', {
            rows: number(progress.rows),
            total: number(progress.expectedRows),
            size: size(progress.bytes),
          })
        : t('ledgerx.exportBytes', { size: size(progress.bytes) });
  return (
    <span className="export">
      <button type="button" className="btn btn--secondary" onClick={onClick} disabled={busy} data-testid={testId}>
        {busy ? t('common.working') : label}
      </button>
      {progress && (
        <span
          className="progress export__progress"
          data-testid={`${testId}-progress`}
          data-done={String(progress.done)}
        >
          <progress max={1} value={progress.fraction ?? undefined} aria-label={label} />
          <span aria-live="polite">{text}</span>
        </span>
      )}
      <ProblemAlert error={error} testId={`${testId}-error`} />
    </span>
  );
}
