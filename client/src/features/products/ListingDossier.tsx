import { useState } from 'react';
import { Link } from 'react-router';
import { dossierApi, watchlistApi, type ProductDossier } from '../../api/buyer-regulator';
import { asApiError, type ApiError } from '../../api/errors';
import { useAuth } from '../../auth/AuthProvider';
import { RuleChecklist } from '../../components/RuleChecklist';
import { AsyncBlock, Badge, Facts, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { DataTable } from '../../components/DataTable';
import { useI18n } from '../../i18n/I18nProvider';
import { useCompare } from '../listings/compare';
import '../buyer-regulator.css';

/** The product dossier under a listing's facts: what a buyer may know before paying. */
export function ListingDossier({ listingId }: { listingId: string }) {
  const state = useQuery({
    queryKey: keys.dossiers.one(listingId),
    queryFn: ({ signal }) => dossierApi.get(listingId, signal),
  });
  return <AsyncBlock state={state}>{(d) => <Dossier d={d} />}</AsyncBlock>;
}

/** Watch and compare buttons of a listed product. */
export function BuyerActions({ listingId }: { listingId: string }) {
  const { t } = useI18n();
  const { role } = useAuth();
  const compare = useCompare();
  const watched = useQuery({
    queryKey: keys.watchlist.has(listingId),
    queryFn: ({ signal }) => watchlistApi.list(signal).then((p) => p.items.some((i) => i.listingId === listingId)),
    enabled: role === 'buyer',
  });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const inCompare = compare.ids.includes(listingId);
  const watchChange = useChange(
    (watch: boolean) => (watch ? watchlistApi.watch(listingId) : watchlistApi.unwatch(listingId)),
    [keys.watchlist.all],
  );

  async function toggleWatch() {
    setBusy(true);
    setError(undefined);
    try {
      await watchChange.mutateAsync(!watched.data);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="buyer-actions" data-testid="buyer-actions">
      {role === 'buyer' && (
        <button
          type="button"
          className={`btn ${watched.data ? 'btn--secondary' : 'btn--primary'}`}
          onClick={toggleWatch}
          disabled={busy || watched.isFetching}
          data-testid="watch-toggle"
          data-watched={String(!!watched.data)}
        >
          {watched.data ? `★ ${t('watch.remove')}` : `☆ ${t('watch.add')}`}
        </button>
      )}
      <button
        type="button"
        className="btn btn--secondary"
        onClick={() => compare.toggle(listingId)}
        disabled={!inCompare && compare.full}
        title={!inCompare && compare.full ? t('compare.full') : undefined}
        data-testid="compare-toggle"
        data-in-compare={String(inCompare)}
      >
        {inCompare ? t('compare.remove') : t('compare.add')}
      </button>
      {compare.ids.length > 0 && (
        <span className="muted" data-testid="compare-bar">
          {t('compare.bar', { n: compare.ids.length })}{' '}
          {compare.ids.length >= 2 && (
            <Link to={`/compare?ids=${compare.ids.join(',')}`} data-testid="compare-open">
              {t('compare.open')}
            </Link>
          )}
        </span>
      )}
      <ProblemAlert error={error} testId="watch-error" />
    </div>
  );
}

function Dossier({ d }: { d: ProductDossier }) {
  const { t, tEnum, date, dateTime, number } = useI18n();
  const a = d.authorization;
  return (
    <div className="dossier" data-testid="dossier">
      <section className="card" aria-labelledby="dossier-title">
        <h2 id="dossier-title">{t('dossier.title')}</h2>
        <p className="muted">{t('dossier.subtitle')}</p>
        <Facts
          items={[
            [
              t('dossier.recordCount'),
              <span data-testid="dossier-records" title={t('dossier.recordCountNote')}>
                {number(d.recordCount)}
              </span>,
            ],
            [
              t('dossier.updateFrequency'),
              <span data-testid="dossier-frequency">
                {d.updateFrequencies.map((f) => tEnum('updateFrequency', f)).join('、') || '—'}
              </span>,
            ],
            [
              t('dossier.coverage'),
              d.coverage ? (
                <span data-testid="dossier-coverage">
                  {d.coverage.from} – {d.coverage.to}{' '}
                  <span className="muted">
                    ({t('dossier.coverageNote', { columns: d.coverage.columns.join('、') })})
                  </span>
                </span>
              ) : (
                <span className="muted" data-testid="dossier-coverage">
                  {t('dossier.noCoverage')}
                </span>
              ),
            ],
          ]}
        />
      </section>

      <section className="card" aria-labelledby="dictionary-title">
        <h2 id="dictionary-title">{t('dossier.dictionary')}</h2>
        <p className="muted">{t('dossier.dictionaryNote')}</p>
        {d.sources.map((s) => (
          <div key={s.id} className="dossier__source">
            <h3>
              {s.name} <span className="code muted">{s.registrationNumber ?? ''}</span>
            </h3>
            {s.fields.length === 0 ? (
              <p className="muted">{t('dossier.noFields')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table table--dense" data-testid="dictionary-table" data-source={s.id}>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.fieldName')}</th>
                      <th scope="col">{t('dossier.fieldType')}</th>
                      <th scope="col">{t('dossier.fieldDescription')}</th>
                      <th scope="col">{t('dossier.fieldLevel')}</th>
                      <th scope="col">{t('dossier.fieldDetected')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.fields.map((f) => (
                      <tr key={f.name} data-testid="dictionary-field" data-field={f.name} data-level={f.level ?? ''}>
                        <td className="code">{f.name}</td>
                        <td>{tEnum('fieldType', f.type)}</td>
                        <td>{f.description || '—'}</td>
                        <td>
                          <Badge kind="level" value={f.level} testId="field-level" />
                        </td>
                        <td>{f.detected.map((x) => tEnum('detector', x)).join('、') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        ))}
      </section>

      <section className="card" aria-labelledby="sample-title">
        <div className="row-head">
          <h2 id="sample-title">{t('dossier.sample')}</h2>
          {d.sample && (
            <a
              className="btn btn--secondary"
              href={dossierApi.sampleUrl(d.listing.id)}
              download={d.sample.filename}
              data-testid="sample-download"
            >
              {t('dossier.downloadSample')}
            </a>
          )}
        </div>
        {!d.sample ? (
          <p className="muted">{t('dossier.noSample')}</p>
        ) : (
          <>
            <p className="muted" data-testid="sample-note">
              {t('dossier.sampleNote', { shown: d.sample.rows.length, total: number(d.sample.rowsInSample) })}{' '}
              {d.sample.maskedCells > 0 && t('dossier.sampleMasked', { masked: d.sample.maskedCells })}
            </p>
            <div className="table-wrap">
              <table className="table table--dense" data-testid="sample-preview">
                <thead>
                  <tr>
                    {d.sample.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.sample.rows.map((r, i) => (
                    <tr key={i} data-testid="sample-row">
                      {r.map((v, j) => (
                        <td key={j}>{v === null ? '' : String(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <div className="detail-grid detail-grid--even">
        <section className="card" aria-labelledby="compliance-title" data-testid="dossier-compliance">
          <h2 id="compliance-title">{t('dossier.compliance')}</h2>
          {d.compliance ? (
            <>
              <Facts
                items={[
                  [t('dossier.reviewedAt'), <span data-testid="reviewed-at">{dateTime(d.compliance.at)}</span>],
                  [
                    t('dossier.rules'),
                    t('dossier.rulesPassed', {
                      passed: d.compliance.rules.filter((r) => r.ok).length,
                      total: d.compliance.rules.length,
                    }),
                  ],
                ]}
              />
              <RuleChecklist results={d.compliance.rules} testId="dossier-rules" />
            </>
          ) : (
            <p className="muted">{t('dossier.noReview')}</p>
          )}
        </section>

        <section className="card" aria-labelledby="basis-title" data-testid="dossier-authorization">
          <h2 id="basis-title">{t('dossier.authorization')}</h2>
          {a ? (
            <Facts
              items={[
                [
                  t('dossier.authNumber'),
                  <span className="code" data-testid="auth-number">
                    {a.number}
                  </span>,
                ],
                [
                  t('dossier.operator'),
                  a.operator ? (
                    <span data-testid="auth-operator">
                      {a.operator.name} <span className="code muted">{a.operator.creditCode}</span>
                    </span>
                  ) : (
                    '—'
                  ),
                ],
                [t('dossier.authority'), a.authority?.name ?? '—'],
                [
                  t('dossier.validity'),
                  <span data-testid="auth-validity">
                    {date(a.validFrom)} – {date(a.validTo)}
                  </span>,
                ],
                [t('dossier.authStatus'), <Badge kind="authorizationStatus" value={a.effectiveStatus} />],
                [t('dossier.purpose'), a.purpose],
              ]}
            />
          ) : (
            <p className="muted">{t('dossier.ownData')}</p>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="certs-title">
        <h2 id="certs-title">{t('dossier.certificates')}</h2>
        <DataTable
          testId="certificates"
          dense
          rows={d.sources}
          rowKey={(s) => s.id}
          rowProps={(s) => ({ 'data-testid': 'certificate', 'data-number': s.certificate?.number ?? '' })}
          columns={[
            { header: t('entry.resource'), cell: (s) => s.name },
            {
              header: t('dossier.certNumber'),
              className: 'code',
              cell: (s) => s.certificate?.number ?? t('dossier.noCertificate'),
            },
            {
              header: t('dossier.certIssuedAt'),
              cell: (s) => (s.certificate ? dateTime(s.certificate.issuedAt) : '—'),
            },
            { header: t('dossier.registrant'), cell: (s) => s.registrant?.name ?? '—' },
            { header: t('dossier.holder'), cell: (s) => s.holderDepartment },
            {
              header: t('listing.grade'),
              cell: (s) => (
                <>
                  <Badge kind="grade" value={s.grade} testId="source-grade" />{' '}
                  <Badge kind="level" value={s.level} testId="source-level" />
                </>
              ),
            },
          ]}
        />
      </section>
    </div>
  );
}
