import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { dossierApi, type ProductDossier } from '../../api/buyer-regulator';
import { listingCode, listingProvider } from '../../api/refs';
import { PriceTag } from '../../components/PriceTag';
import { AsyncBlock, Badge, Empty, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/I18nProvider';
import { COMPARE_MAX, useCompare } from './compare';
import '../buyer-regulator.css';

/** Two or three products side by side: one column per product, one row per public fact. */
export function ComparePage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const compare = useCompare();
  const fromUrl = (params.get('ids') ?? '').split(',').filter((id) => /^[a-f0-9]{24}$/i.test(id));
  const ids = (fromUrl.length ? fromUrl : compare.ids).slice(0, COMPARE_MAX);
  const state = useQuery({
    queryKey: keys.dossiers.compare(ids),
    queryFn: ({ signal }) => Promise.all(ids.map((id) => dossierApi.get(id, signal))),
  });
  return (
    <div>
      <PageHeader
        title={t('compare.title')}
        subtitle={t('compare.subtitle')}
        actions={
          compare.ids.length > 0 && (
            <button type="button" className="btn btn--secondary" onClick={compare.clear} data-testid="compare-clear">
              {t('compare.clear')}
            </button>
          )
        }
      />
      {ids.length < 2 ? (
        <Empty>{t('compare.empty')}</Empty>
      ) : (
        <AsyncBlock state={state}>{(ds) => <CompareTable dossiers={ds} />}</AsyncBlock>
      )}
    </div>
  );
}

function CompareTable({ dossiers }: { dossiers: ProductDossier[] }) {
  const { t, tEnum, date, dateTime, number } = useI18n();
  const rows: [string, (d: ProductDossier) => ReactNode][] = [
    [t('listing.code'), (d) => <span className="code">{listingCode(d.listing) ?? '—'}</span>],
    [t('compare.provider'), (d) => listingProvider(d.listing) ?? '—'],
    [t('listing.productType'), (d) => tEnum('productType', d.listing.productType)],
    [t('listing.domain'), (d) => (d.listing.domains ?? []).map((x) => tEnum('domain', x)).join('、') || '—'],
    [
      t('listing.grade'),
      (d) => (
        <>
          <Badge kind="grade" value={d.listing.grade} /> <Badge kind="level" value={d.listing.level} />
        </>
      ),
    ],
    [t('listing.deliveryMode'), (d) => tEnum('deliveryMode', d.listing.deliveryMode)],
    [t('listing.price'), (d) => <PriceTag pricing={d.listing.pricing} />],
    [t('dossier.recordCount'), (d) => number(d.recordCount)],
    [t('dossier.updateFrequency'), (d) => d.updateFrequencies.map((f) => tEnum('updateFrequency', f)).join('、')],
    [t('dossier.coverage'), (d) => (d.coverage ? `${d.coverage.from} – ${d.coverage.to}` : '—')],
    [
      t('compare.fields'),
      (d) => {
        const fields = d.sources.flatMap((s) => s.fields.map((f) => f.name));
        return fields.length ? `${fields.length} · ${fields.join('、')}` : '—';
      },
    ],
    [
      t('compare.rules'),
      (d) =>
        d.compliance
          ? `${dateTime(d.compliance.at)} · ${t('dossier.rulesPassed', {
              passed: d.compliance.rules.filter((r) => r.ok).length,
              total: d.compliance.rules.length,
            })}`
          : t('dossier.noReview'),
    ],
    [
      t('dossier.authorization'),
      (d) =>
        d.authorization
          ? `${d.authorization.number} · ${d.authorization.operator?.name ?? ''} · ${date(d.authorization.validFrom)} – ${date(d.authorization.validTo)}`
          : t('dossier.ownData'),
    ],
    [
      t('dossier.certificates'),
      (d) => d.sources.map((s) => s.certificate?.number ?? t('dossier.noCertificate')).join('、'),
    ],
  ];
  return (
    <div className="table-wrap">
      <table className="table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col" />
            {dossiers.map((d) => (
              <th key={d.listing.id} scope="col" data-testid="compare-column" data-id={d.listing.id}>
                <Link to={`/listings/${d.listing.id}`}>{d.listing.title}</Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, cell]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {dossiers.map((d) => (
                <td key={d.listing.id}>{cell(d)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
