import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { supervisionApi, type LedgerEntryDetail } from '../../api/buyer-regulator';
import { AsyncBlock, Badge, Facts, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import '../buyer-regulator.css';

/** One ledger entry and what it names: its organisations, order, product, resource and authorization. */
export function LedgerEntryPage() {
  const { seq = '' } = useParams();
  const state = useQuery({
    queryKey: keys.ledger.entry(seq),
    queryFn: ({ signal }) => supervisionApi.entry(Number(seq), signal),
  });
  return <AsyncBlock state={state}>{(d) => <EntryDetail d={d} />}</AsyncBlock>;
}

function Linked({
  title,
  testId,
  present,
  to,
  children,
}: {
  title: string;
  testId: string;
  present: boolean;
  to?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid={testId}>
      <div className="row-head">
        <h2>{title}</h2>
        {present && to && (
          <Link to={to} className="btn btn--secondary btn--small" data-testid={`${testId}-open`}>
            {t('entry.open')}
          </Link>
        )}
      </div>
      {present ? children : <p className="muted">{t('entry.notReadable')}</p>}
    </section>
  );
}

function EntryDetail({ d }: { d: LedgerEntryDetail }) {
  const { t, tEnum, date, dateTime } = useI18n();
  const e = d.entry;
  const orgName = (id?: string) => d.orgs.find((o) => o.id === id)?.name ?? id ?? '—';
  return (
    <div data-testid="ledger-entry" data-seq={e.seq}>
      <p className="breadcrumb">
        <Link to="/ledger">{t('entry.back')}</Link>
      </p>
      <PageHeader title={t('entry.title', { seq: e.seq })} subtitle={tEnum('ledgerType', e.type)} />
      <div className="detail-grid detail-grid--even">
        <section className="card">
          <h2>{t('entry.record')}</h2>
          <Facts
            items={[
              [t('ledger.seq'), e.seq],
              [t('ledger.at'), dateTime(e.at)],
              [t('ledger.type'), tEnum('ledgerType', e.type)],
              [t('entry.ref'), <span className="code">{e.ref ?? '—'}</span>],
              [t('listing.code'), <span className="code">{e.listingCode ?? '—'}</span>],
              [t('orders.amount'), e.amountFen === undefined || e.amountFen === null ? '—' : formatMoney(e.amountFen)],
              [t('listing.grade'), <Badge kind="grade" value={e.grade} />],
              [t('entry.prevHash'), <span className="code hash">{e.prevHash}</span>],
              [t('ledger.hash'), <span className="code hash">{e.hash}</span>],
            ]}
          />
        </section>
        <section className="card">
          <h2>{t('entry.orgs')}</h2>
          <ul className="org-names org-names--large" data-testid="entry-orgs">
            {d.orgs.map((o) => (
              <li key={o.id} data-testid="entry-org" data-credit-code={o.creditCode}>
                <strong>{o.name}</strong>
                <br />
                <span className="muted small">
                  {t('entry.creditCode')} <span className="code">{o.creditCode}</span>
                </span>{' '}
                <Link to={`/ledger?org=${o.id}`} className="small">
                  {t('nav.ledger')}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {e.orderId && (
        <Linked title={t('entry.order')} testId="entry-order" present={!!d.order} to={`/orders/${e.orderId}`}>
          {d.order && (
            <Facts
              items={[
                [t('entry.buyer'), orgName(d.order.buyerOrgId)],
                [t('sup.provider'), orgName(d.order.providerOrgId)],
                [t('entry.quantity'), d.order.quantity ?? '—'],
                [t('orders.amount'), formatMoney(d.order.amountFen)],
                [t('listing.status'), <Badge kind="orderStatus" value={d.order.status} />],
              ]}
            />
          )}
        </Linked>
      )}
      {e.listingId && (
        <Linked title={t('entry.listing')} testId="entry-listing" present={!!d.listing} to={`/listings/${e.listingId}`}>
          {d.listing && (
            <Facts
              items={[
                [t('listing.title'), d.listing.title],
                [t('listing.code'), <span className="code">{d.listing.code ?? '—'}</span>],
                [t('compare.provider'), d.listing.providerName ?? '—'],
                [t('listing.status'), <Badge kind="listingStatus" value={d.listing.status} />],
              ]}
            />
          )}
        </Linked>
      )}
      {e.resourceId && (
        <Linked title={t('entry.resource')} testId="entry-resource" present={!!d.resource}>
          {d.resource && (
            <Facts
              items={[
                [t('dossier.certNumber'), <span className="code">{d.resource.registrationNumber ?? '—'}</span>],
                [t('listing.title'), d.resource.name],
                [t('dossier.holder'), d.resource.holderDepartment ?? '—'],
                [t('listing.domain'), tEnum('domain', d.resource.domain)],
              ]}
            />
          )}
        </Linked>
      )}
      {e.authorizationId && (
        <Linked
          title={t('entry.authorization')}
          testId="entry-authorization"
          present={!!d.authorization}
          to="/authorizations"
        >
          {d.authorization && (
            <Facts
              items={[
                [t('dossier.authNumber'), <span className="code">{d.authorization.number ?? '—'}</span>],
                [t('dossier.operator'), d.authorization.operator?.name ?? '—'],
                [t('dossier.authority'), d.authorization.authority?.name ?? '—'],
                [t('dossier.validity'), `${date(d.authorization.validFrom)} – ${date(d.authorization.validTo)}`],
                [t('dossier.authStatus'), <Badge kind="authorizationStatus" value={d.authorization.effectiveStatus} />],
              ]}
            />
          )}
        </Linked>
      )}
    </div>
  );
}
