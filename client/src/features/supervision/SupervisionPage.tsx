import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { TradeFigures } from '@zdec/shared';
import {
  downloadWithProgress,
  supervisionApi,
  type OrgName,
  type SupervisionReport,
  type SupervisionView,
} from '../../api/buyer-regulator';
import type { Query } from '../../api/http';
import { ExportButton } from '../../components/ExportButton';
import { OrgPicker, resolveTypedOrg, type PickedOrg } from '../../components/OrgPicker';
import { AsyncBlock, Badge, Field, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';
import '../buyer-regulator.css';

/** The API query from the page's URL (dates as typed: a bare date is that day in Asia/Shanghai). */
function queryFrom(params: URLSearchParams): Query {
  return {
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    org: params.get('org') ?? undefined,
    nearCapRatio: params.get('nearCapRatio') ?? undefined,
    minRepeats: params.get('minRepeats') ?? undefined,
  };
}

/** 监管分析: every figure summed from the ledger's trade entries, each view exportable. */
export function SupervisionPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const query = queryFrom(params);
  const state = useQuery({
    queryKey: keys.supervision.report(query),
    queryFn: ({ signal }) => supervisionApi.report(query, signal),
  });
  const [v, setV] = useState({
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    nearCapPercent: params.get('nearCapRatio') ? String(Math.round(Number(params.get('nearCapRatio')) * 100)) : '90',
    minRepeats: params.get('minRepeats') ?? '3',
  });
  const [org, setOrg] = useState<{ picked: PickedOrg | null; typed: string }>({ picked: null, typed: '' });
  const [orgError, setOrgError] = useState<string>();
  const basisOrg = state.data?.basis.org;
  useEffect(() => {
    if (basisOrg && org.picked?.id !== basisOrg.id) setOrg({ picked: basisOrg, typed: basisOrg.name });
  }, [basisOrg?.id]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const chosen = org.typed.trim() ? await resolveTypedOrg(org.picked, org.typed).catch(() => null) : null;
    if (org.typed.trim() && !chosen) {
      setOrgError(t('ledgerx.orgUnknown'));
      return;
    }
    setOrgError(undefined);
    const next = new URLSearchParams();
    if (v.from) next.set('from', v.from);
    if (v.to) next.set('to', v.to);
    if (chosen) next.set('org', chosen.id);
    if (v.nearCapPercent && v.nearCapPercent !== '90') next.set('nearCapRatio', String(Number(v.nearCapPercent) / 100));
    if (v.minRepeats && v.minRepeats !== '3') next.set('minRepeats', v.minRepeats);
    setParams(next);
  }

  return (
    <div className="supervision">
      <PageHeader title={t('sup.title')} subtitle={t('sup.subtitle')} />
      <form className="card filters" onSubmit={onSubmit} noValidate data-testid="sup-filters">
        <Field label={t('ledger.from')} path="query.from" errors={{}}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={v.from}
              onChange={(e) => setV({ ...v, from: e.target.value })}
              data-testid="sup-from"
            />
          )}
        </Field>
        <Field label={t('ledger.to')} path="query.to" errors={{}}>
          {(p) => (
            <input
              {...p}
              type="date"
              value={v.to}
              onChange={(e) => setV({ ...v, to: e.target.value })}
              data-testid="sup-to"
            />
          )}
        </Field>
        <Field
          label={t('ledgerx.orgFilter')}
          path="query.org"
          errors={orgError ? { 'query.org': orgError } : {}}
          hint={t('ledgerx.orgFilterHint')}
        >
          {(p) => (
            <OrgPicker
              {...p}
              value={org.picked}
              onChange={(picked, typed) => setOrg({ picked, typed })}
              testId="sup-org"
            />
          )}
        </Field>
        <Field label={t('sup.nearCapRatio')} path="query.nearCapRatio" errors={{}}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={50}
              max={100}
              value={v.nearCapPercent}
              onChange={(e) => setV({ ...v, nearCapPercent: e.target.value })}
              data-testid="sup-near-cap"
            />
          )}
        </Field>
        <Field label={t('sup.minRepeats')} path="query.minRepeats" errors={{}}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={2}
              max={1000}
              value={v.minRepeats}
              onChange={(e) => setV({ ...v, minRepeats: e.target.value })}
              data-testid="sup-min-repeats"
            />
          )}
        </Field>
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary" data-testid="sup-apply">
            {t('common.search')}
          </button>
        </div>
      </form>
      <AsyncBlock state={state}>{(r) => <Report r={r} query={query} />}</AsyncBlock>
    </div>
  );
}

function Figures({ f }: { f: TradeFigures }) {
  const { number } = useI18n();
  return (
    <>
      <td className="num">{number(f.settledCount)}</td>
      <td className="num">{formatMoney(f.settledFen)}</td>
      <td className="num">{number(f.refundedCount)}</td>
      <td className="num">{formatMoney(f.refundedFen)}</td>
      <td className="num strong">{formatMoney(f.volumeFen)}</td>
    </>
  );
}

function FigureHeads() {
  const { t } = useI18n();
  return (
    <>
      {(['sup.settledCount', 'sup.settled', 'sup.refundedCount', 'sup.refunded', 'sup.volume'] as const).map((k) => (
        <th key={k} scope="col" className="num">
          {t(k)}
        </th>
      ))}
    </>
  );
}

function Org({ o }: { o: OrgName | null }) {
  if (!o) return <>—</>;
  return (
    <span data-testid="sup-org-name" data-org-id={o.id}>
      <Link to={`/ledger?org=${o.id}`}>{o.name ?? o.id}</Link>
      <br />
      <span className="code muted small">{o.creditCode}</span>
    </span>
  );
}

function View({
  view,
  title,
  note,
  rows,
  query,
  children,
}: {
  view: SupervisionView;
  title: MessageKey;
  note?: string;
  rows: number;
  query: Query;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section
      className="card sup-view"
      aria-labelledby={`sup-${view}`}
      data-testid={`sup-view-${view}`}
      data-rows={rows}
    >
      <div className="row-head">
        <h2 id={`sup-${view}`}>{t(title)}</h2>
        <span className="sup-view__exports">
          {(['csv', 'xlsx'] as const).map((format) => (
            <ExportButton
              key={format}
              label={t(format === 'csv' ? 'ledgerx.exportCsv' : 'ledgerx.exportXlsx')}
              testId={`sup-export-${view}-${format}`}
              run={(onProgress) =>
                downloadWithProgress(
                  '/supervision/export',
                  { ...query, view, format },
                  `zdec-supervision-${view}.${format}`,
                  onProgress,
                  rows,
                )
              }
            />
          ))}
        </span>
      </div>
      {note && <p className="muted">{note}</p>}
      {rows === 0 ? <p className="muted">{t('sup.noRows')}</p> : <div className="table-wrap">{children}</div>}
      <p className="muted small sup-view__source">{t('sup.derived')}</p>
    </section>
  );
}

function Report({ r, query }: { r: SupervisionReport; query: Query }) {
  const { t, tEnum, dateTime, number } = useI18n();
  const b = r.basis;
  const nearRatio = Math.round(Number(query.nearCapRatio ?? 0.9) * 100);
  return (
    <>
      <Notice testId="sup-basis">
        <span data-head-seq={b.headSeq}>
          {t('sup.basis', {
            seq: b.headSeq,
            hash: b.headHash ? `${b.headHash.slice(0, 16)}…` : '—',
            n: number(b.tradeEntries),
          })}{' '}
          {b.org && t('sup.basisOrg', { name: b.org.name, code: b.org.creditCode })}
        </span>
      </Notice>
      <section className="kpis" data-testid="sup-totals">
        {(
          [
            ['sup.settledCount', number(r.totals.settledCount)],
            ['sup.settled', formatMoney(r.totals.settledFen)],
            ['sup.refunded', formatMoney(r.totals.refundedFen)],
            ['sup.volume', formatMoney(r.totals.volumeFen)],
          ] as const
        ).map(([k, value]) => (
          <div key={k} className="card kpi">
            <p className="kpi__title">{t(k)}</p>
            <p className="kpi__value" data-testid={`sup-total-${k.slice(4)}`}>
              {value}
            </p>
          </div>
        ))}
      </section>

      <View view="byMonth" title="sup.byMonth" rows={r.byMonth.length} query={query}>
        <table className="table table--dense" data-testid="sup-table-byMonth">
          <thead>
            <tr>
              <th scope="col">{t('sup.month')}</th>
              <FigureHeads />
            </tr>
          </thead>
          <tbody>
            {r.byMonth.map((m) => (
              <tr key={m.month}>
                <td>{m.month}</td>
                <Figures f={m} />
              </tr>
            ))}
          </tbody>
        </table>
      </View>

      <div className="detail-grid detail-grid--even">
        <View view="byDomain" title="sup.byDomain" rows={r.byDomain.length} query={query}>
          <table className="table table--dense" data-testid="sup-table-byDomain">
            <thead>
              <tr>
                <th scope="col">{t('sup.domain')}</th>
                <FigureHeads />
              </tr>
            </thead>
            <tbody>
              {r.byDomain.map((d) => (
                <tr key={d.domain}>
                  <td>{tEnum('domain', d.domain)}</td>
                  <Figures f={d} />
                </tr>
              ))}
            </tbody>
          </table>
        </View>
        <View view="byGrade" title="sup.byGrade" rows={r.byGrade.length} query={query}>
          <table className="table table--dense" data-testid="sup-table-byGrade">
            <thead>
              <tr>
                <th scope="col">{t('sup.grade')}</th>
                <FigureHeads />
              </tr>
            </thead>
            <tbody>
              {r.byGrade.map((g) => (
                <tr key={g.grade}>
                  <td>
                    <Badge kind="grade" value={g.grade} />
                  </td>
                  <Figures f={g} />
                </tr>
              ))}
            </tbody>
          </table>
        </View>
      </div>

      <View view="byOrg" title="sup.byOrg" rows={r.byOrg.length} query={query}>
        <table className="table table--dense" data-testid="sup-table-byOrg">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                {t('sup.org')}
              </th>
              <th scope="colgroup" colSpan={2} className="num">
                {t('sup.bought')}
              </th>
              <th scope="colgroup" colSpan={2} className="num">
                {t('sup.sold')}
              </th>
            </tr>
            <tr>
              <th scope="col" className="num">
                {t('sup.settledCount')}
              </th>
              <th scope="col" className="num">
                {t('sup.volume')}
              </th>
              <th scope="col" className="num">
                {t('sup.settledCount')}
              </th>
              <th scope="col" className="num">
                {t('sup.volume')}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.byOrg.map((o) => (
              <tr key={o.id} data-testid="sup-org-row" data-credit-code={o.creditCode ?? ''}>
                <td>
                  <Org o={o} />
                </td>
                <td className="num">{number(o.bought.settledCount)}</td>
                <td className="num">{formatMoney(o.bought.volumeFen)}</td>
                <td className="num">{number(o.sold.settledCount)}</td>
                <td className="num">{formatMoney(o.sold.volumeFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </View>

      <View view="largest" title="sup.largest" rows={r.largest.length} query={query}>
        <table className="table table--dense" data-testid="sup-table-largest">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('ledger.seq')}
              </th>
              <th scope="col">{t('ledger.at')}</th>
              <th scope="col">{t('entry.listing')}</th>
              <th scope="col">{t('sup.buyer')}</th>
              <th scope="col">{t('sup.provider')}</th>
              <th scope="col" className="num">
                {t('orders.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.largest.map((x) => (
              <tr key={x.seq}>
                <td className="num">
                  <Link to={`/ledger/entries/${x.seq}`}>{x.seq}</Link>
                </td>
                <td className="nowrap">{dateTime(x.at)}</td>
                <td>
                  <span className="code">{x.listingCode ?? '—'}</span> {x.listingTitle}
                </td>
                <td>
                  <Org o={x.buyer} />
                </td>
                <td>
                  <Org o={x.provider} />
                </td>
                <td className="num">{formatMoney(x.amountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </View>

      <View
        view="nearCap"
        title="sup.nearCap"
        note={t('sup.nearCapNote', { ratio: nearRatio })}
        rows={r.nearCap.length}
        query={query}
      >
        <table className="table table--dense" data-testid="sup-table-nearCap">
          <thead>
            <tr>
              <th scope="col">{t('entry.listing')}</th>
              <th scope="col">{t('sup.provider')}</th>
              <th scope="col">{t('dossier.authNumber')}</th>
              <th scope="col">{t('listing.pricingModel')}</th>
              <th scope="col" className="num">
                {t('sup.price')}
              </th>
              <th scope="col" className="num">
                {t('sup.cap')}
              </th>
              <th scope="col" className="num">
                {t('sup.ratio')}
              </th>
              <th scope="col" className="num">
                {t('sup.settledCount')}
              </th>
              <th scope="col" className="num">
                {t('sup.volume')}
              </th>
            </tr>
          </thead>
          <tbody>
            {r.nearCap.map((x) => (
              <tr key={x.listingId} data-testid="sup-near-cap-row" data-above={String(x.above)}>
                <td>
                  <Link to={`/listings/${x.listingId}`}>
                    <span className="code">{x.listingCode ?? '—'}</span> {x.listingTitle}
                  </Link>
                </td>
                <td>
                  <Org o={x.provider} />
                </td>
                <td className="code">{x.authorizationNumber}</td>
                <td>{tEnum('pricingModel', x.pricingModel)}</td>
                <td className="num">{formatMoney(x.priceFen)}</td>
                <td className="num">{formatMoney(x.capFen)}</td>
                <td className="num">
                  <span className={`badge badge--${x.above ? 'bad' : 'warn'}`}>
                    {Math.round(x.ratio * 100)}% {x.above ? t('sup.above') : t('sup.near')}
                  </span>
                </td>
                <td className="num">{number(x.trades.settledCount)}</td>
                <td className="num">{formatMoney(x.trades.volumeFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </View>

      <View
        view="repeatedPairs"
        title="sup.repeatedPairs"
        note={t('sup.repeatedNote', { n: Number(query.minRepeats ?? 3) })}
        rows={r.repeatedPairs.length}
        query={query}
      >
        <table className="table table--dense" data-testid="sup-table-repeatedPairs">
          <thead>
            <tr>
              <th scope="col">{t('sup.buyer')}</th>
              <th scope="col">{t('sup.provider')}</th>
              <th scope="col" className="num">
                {t('sup.settledCount')}
              </th>
              <th scope="col" className="num">
                {t('sup.refundedCount')}
              </th>
              <th scope="col" className="num">
                {t('sup.volume')}
              </th>
              <th scope="col" className="num">
                {t('sup.listings')}
              </th>
              <th scope="col">{t('sup.period')}</th>
              <th scope="col">{t('sup.reciprocal')}</th>
            </tr>
          </thead>
          <tbody>
            {r.repeatedPairs.map((p) => (
              <tr key={`${p.buyer.id}>${p.provider.id}`} data-testid="sup-pair-row">
                <td>
                  <Org o={p.buyer} />
                </td>
                <td>
                  <Org o={p.provider} />
                </td>
                <td className="num">{number(p.trades.settledCount)}</td>
                <td className="num">{number(p.trades.refundedCount)}</td>
                <td className="num">{formatMoney(p.trades.volumeFen)}</td>
                <td className="num">{number(p.listings)}</td>
                <td className="nowrap small">
                  {dateTime(p.firstAt)}
                  <br />
                  {dateTime(p.lastAt)}
                </td>
                <td>{p.reciprocal ? t('common.yes') : t('common.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </View>
    </>
  );
}
