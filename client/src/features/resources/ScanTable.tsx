import type { ScanResult } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Badge, Facts } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { COLUMN_NAMES } from '@zdec/shared';

/** The scan of a sample, field by field: what each detector found and the level it implies. */
export function ScanTable({ scan }: { scan: ScanResult }) {
  const { t, tEnum, number, percent } = useI18n();
  return (
    <div data-testid="scan-result">
      <Facts
        items={[
          [t('scan.rowsScanned'), <span data-testid="scan-rows">{number(scan.rowsScanned)}</span>],
          [
            t('scan.proposed'),
            <span data-testid="scan-proposed" data-grade={scan.proposed?.grade} data-level={scan.proposed?.level ?? ''}>
              <Badge kind="grade" value={scan.proposed?.grade} testId="scan-proposed-grade" />{' '}
              {scan.proposed?.level && <Badge kind="level" value={scan.proposed.level} testId="scan-proposed-level" />}
            </span>,
          ],
        ]}
      />
      <DataTable
        testId="scan-table"
        caption={<caption className="sr-only">{t('scan.caption')}</caption>}
        rows={scan.fields ?? []}
        rowKey={(f) => f.field}
        rowProps={(f) => ({ 'data-testid': 'scan-field-row', 'data-field': f.field, 'data-level': f.level ?? '' })}
        columns={[
          {
            header: t('scan.field'),
            rowHeader: true,
            className: 'code',
            cell: (f) => (f.field === COLUMN_NAMES ? t('scan.columnNames') : f.field),
          },
          { header: t('scan.nonEmpty'), className: 'num', cell: (f) => number(f.nonEmpty) },
          {
            header: t('scan.findings'),
            cell: (f) =>
              f.findings.length === 0 ? (
                <span className="muted">{t('scan.none')}</span>
              ) : (
                <ul className="findings">
                  {f.findings.map((finding) => (
                    <li key={finding.detector} data-testid="scan-finding" data-detector={finding.detector}>
                      <strong>{tEnum('detector', finding.detector)}</strong>{' '}
                      {t('scan.matches', { n: number(finding.matches), share: percent(finding.share) })}{' '}
                      <Badge kind="level" value={finding.level} testId="finding-level" />
                      {finding.examples && finding.examples.length > 0 && (
                        <div className="muted small">
                          {t('scan.examples')}: <span className="code">{finding.examples.join(', ')}</span>
                        </div>
                      )}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            header: t('scan.level'),
            cell: (f) => <Badge kind="level" value={f.level} testId="field-level" />,
          },
        ]}
      />
    </div>
  );
}
