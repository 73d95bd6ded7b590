import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { TradeFigures } from '@zdec/shared';
import {
  downloadWithProgress,
  supervisionApi,
  type OrgName,
  type SupervisionReport,
  type SupervisionView,
} from '../../api/buyer-regulator';
import type { Query } from '../../api/http';
import { DataTable, type Column } from '../../components/DataTable';
import { ExportButton } from '../../components/ExportButton';
import { usePagedSearch } from '../../components/usePagedSearch';
import { dateRange, FilterBar } from '../../components/FilterBar';
import { orgFilter, resolveTypedOrg, type OrgChoice } from '../../components/OrgPicker';
import { AsyncBlock, Badge, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { formatMoney } from '../../i18n/format';
import { useI18n, type I18n, type MessageKey } from '../../i18n/I18nProvider';
import '../buyer-regulator.css';

/** The API query is the page's URL parameters (dates as typed: a bare date is that day in Asia/Shanghai). */
const FILTERS = ['from', 'to', 'org', 'nearCapRatio', 'minRepeats'] as const;

/** 监管分析: every figure summed from the ledger's trade entries, each view exportable. */
export function SupervisionPage() {
  const { t } = useI18n();
  const search = usePagedSearch({ filters: FILTERS, pageSize: null });
  const query = search.filters;
  const state = useQuery({
    queryKey: keys.supervision.report(query),
    queryFn: ({ signal }) => supervisionApi.report(query, signal),
  });
  const [v, setV] = useState({
    from: query.from ?? '',
    to: query.to ?? '',
    nearCapPercent: query.nearCapRatio ? String(Math.round(Number(query.nearCapRatio) * 100)) : '90',
    minRepeats: query.minRepeats ?? '3',
  });
  const [org, setOrg] = useState<OrgChoice>({ picked: null, typed: '' });
  const [orgError, setOrgError] = useState<string>();
  const basisOrg = state.data?.basis.org;
  useEffect(() => {
    if (basisOrg && org.picked?.id !== basisOrg.id) setOrg({ picked: basisOrg, typed: basisOrg.name });
  }, [basisOrg?.id]);

  async function onSubmit() {
    const chosen = org.typed.trim() ? await resolveTypedOrg(org.picked, org.typed).catch(() => null) : null;
    if (org.typed.trim() && !chosen) {
      setOrgError(t('ledgerx.orgUnknown'));
      return;
    }
    setOrgError(undefined);
    search.replaceFilters({
      from: v.from,
      to: v.to,
      org: chosen?.id,
      nearCapRatio: v.nearCapPercent && v.nearCapPercent !== '90' ? String(Number(v.nearCapPercent) / 100) : undefined,
      minRepeats: v.minRepeats !== '3' ? v.minRepeats : undefined,
    });
  }

  return (
    <div className="supervision">
      <PageHeader title={t('sup.title')} subtitle={t('sup.subtitle')} />
      <FilterBar
        noValidate
        testId="sup-filters"
        submitTestId="sup-apply"
        values={v}
        onChange={(name, value) => setV({ ...v, [name]: value })}
        onSubmit={() => void onSubmit()}
        errors={orgError ? { 'query.org': orgError } : {}}
        fields={[
          ...dateRange(t, 'sup'),
          orgFilter('query.org', 'sup-org', org, setOrg, t),
          {
            kind: 'number',
            name: 'nearCapPercent',
            label: t('sup.nearCapRatio'),
            path: 'query.nearCapRatio',
            input: { min: 50, max: 100 },
            testId: 'sup-near-cap',
          },
          {
            kind: 'number',
            name: 'minRepeats',
            label: t('sup.minRepeats'),
            path: 'query.minRepeats',
            input: { min: 2, max: 1000 },
            testId: 'sup-min-repeats',
          },
        ]}
      />
      <AsyncBlock state={state}>{(r) => <Report r={r} query={query} />}</AsyncBlock>
    </div>
  );
}

type Figure = keyof TradeFigures;
const FIGURE_HEADS: Record<Figure, MessageKey> = {
  settledCount: 'sup.settledCount',
  settledFen: 'sup.settled',
  refundedCount: 'sup.refundedCount',
  refundedFen: 'sup.refunded',
  volumeFen: 'sup.volume',
};

/**
 * Trade figures read from a row by `of`, as right-aligned columns: all five (the summary views, the
 * volume in bold) or the few a view names.
 */
function figureColumns<T>(
  { t, number }: Pick<I18n, 't' | 'number'>,
  of: (row: T) => TradeFigures,
  figures: Figure[] = ['settledCount', 'settledFen', 'refundedCount', 'refundedFen', 'volumeFen'],
  boldVolume = figures.length === 5,
): Column<T>[] {
  return figures.map((f) => ({
    header: t(FIGURE_HEADS[f]),
    headClassName: 'num',
    className: f === 'volumeFen' && boldVolume ? 'num strong' : 'num',
    cell: (r) => (f.endsWith('Fen') ? formatMoney(of(r)[f]) : number(of(r)[f])),
  }));
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
      {rows === 0 ? <p className="muted">{t('sup.noRows')}</p> : children}
      <p className="muted small sup-view__source">{t('sup.derived')}</p>
    </section>
  );
}

/** A view of trade figures summed by one key (month, domain, grade): the key's column, then the five figures. */
function SummaryView<T extends TradeFigures>({
  view,
  rows,
  rowKey,
  query,
  first,
}: {
  view: 'byMonth' | 'byDomain' | 'byGrade';
  rows: T[];
  rowKey: (row: T) => string;
  query: Query;
  /** The key's column. */
  first: Column<T>;
}) {
  const i18n = useI18n();
  return (
    <View view={view} title={`sup.${view}`} rows={rows.length} query={query}>
      <DataTable
        testId={`sup-table-${view}`}
        dense
        rows={rows}
        rowKey={rowKey}
        columns={[first, ...figureColumns<T>(i18n, (row) => row)]}
      />
    </View>
  );
}

type NearCapRow = SupervisionReport['nearCap'][number];
type PairRow = SupervisionReport['repeatedPairs'][number];

function Report({ r, query }: { r: SupervisionReport; query: Query }) {
  const i18n = useI18n();
  const { t, tEnum, dateTime, number } = i18n;
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

      <SummaryView
        view="byMonth"
        rows={r.byMonth}
        rowKey={(m) => m.month}
        query={query}
        first={{ header: t('sup.month'), cell: (m) => m.month }}
      />

      <div className="detail-grid detail-grid--even">
        <SummaryView
          view="byDomain"
          rows={r.byDomain}
          rowKey={(d) => d.domain}
          query={query}
          first={{ header: t('sup.domain'), cell: (d) => tEnum('domain', d.domain) }}
        />
        <SummaryView
          view="byGrade"
          rows={r.byGrade}
          rowKey={(g) => g.grade}
          query={query}
          first={{ header: t('sup.grade'), cell: (g) => <Badge kind="grade" value={g.grade} /> }}
        />
      </div>

      <View view="byOrg" title="sup.byOrg" rows={r.byOrg.length} query={query}>
        <DataTable
          testId="sup-table-byOrg"
          dense
          rows={r.byOrg}
          rowKey={(o) => o.id}
          rowProps={(o) => ({ 'data-testid': 'sup-org-row', 'data-credit-code': o.creditCode ?? '' })}
          head={
            <>
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
                {[1, 2].flatMap((side) =>
                  (['sup.settledCount', 'sup.volume'] as const).map((k) => (
                    <th key={`${side}-${k}`} scope="col" className="num">
                      {t(k)}
                    </th>
                  )),
                )}
              </tr>
            </>
          }
          columns={[
            { header: t('sup.org'), cell: (o) => <Org o={o} /> },
            { key: 'bought.count', header: null, className: 'num', cell: (o) => number(o.bought.settledCount) },
            { key: 'bought.volume', header: null, className: 'num', cell: (o) => formatMoney(o.bought.volumeFen) },
            { key: 'sold.count', header: null, className: 'num', cell: (o) => number(o.sold.settledCount) },
            { key: 'sold.volume', header: null, className: 'num', cell: (o) => formatMoney(o.sold.volumeFen) },
          ]}
        />
      </View>

      <View view="largest" title="sup.largest" rows={r.largest.length} query={query}>
        <DataTable
          testId="sup-table-largest"
          dense
          rows={r.largest}
          rowKey={(x) => x.seq}
          columns={[
            {
              header: t('ledger.seq'),
              className: 'num',
              headClassName: 'num',
              cell: (x) => <Link to={`/ledger/entries/${x.seq}`}>{x.seq}</Link>,
            },
            { header: t('ledger.at'), className: 'nowrap', cell: (x) => dateTime(x.at) },
            {
              header: t('entry.listing'),
              cell: (x) => (
                <>
                  <span className="code">{x.listingCode ?? '—'}</span> {x.listingTitle}
                </>
              ),
            },
            { header: t('sup.buyer'), cell: (x) => <Org o={x.buyer} /> },
            { header: t('sup.provider'), cell: (x) => <Org o={x.provider} /> },
            {
              header: t('orders.amount'),
              className: 'num',
              headClassName: 'num',
              cell: (x) => formatMoney(x.amountFen),
            },
          ]}
        />
      </View>

      <View
        view="nearCap"
        title="sup.nearCap"
        note={t('sup.nearCapNote', { ratio: nearRatio })}
        rows={r.nearCap.length}
        query={query}
      >
        <DataTable
          testId="sup-table-nearCap"
          dense
          rows={r.nearCap}
          rowKey={(x) => x.listingId}
          rowProps={(x) => ({ 'data-testid': 'sup-near-cap-row', 'data-above': String(x.above) })}
          columns={[
            {
              header: t('entry.listing'),
              cell: (x) => (
                <Link to={`/listings/${x.listingId}`}>
                  <span className="code">{x.listingCode ?? '—'}</span> {x.listingTitle}
                </Link>
              ),
            },
            { header: t('sup.provider'), cell: (x) => <Org o={x.provider} /> },
            { header: t('dossier.authNumber'), className: 'code', cell: (x) => x.authorizationNumber },
            { header: t('listing.pricingModel'), cell: (x) => tEnum('pricingModel', x.pricingModel) },
            { header: t('sup.price'), className: 'num', headClassName: 'num', cell: (x) => formatMoney(x.priceFen) },
            { header: t('sup.cap'), className: 'num', headClassName: 'num', cell: (x) => formatMoney(x.capFen) },
            {
              header: t('sup.ratio'),
              className: 'num',
              headClassName: 'num',
              cell: (x) => (
                <span className={`badge badge--${x.above ? 'bad' : 'warn'}`}>
                  {Math.round(x.ratio * 100)}% {x.above ? t('sup.above') : t('sup.near')}
                </span>
              ),
            },
            ...figureColumns<NearCapRow>(i18n, (x) => x.trades, ['settledCount', 'volumeFen']),
          ]}
        />
      </View>

      <View
        view="repeatedPairs"
        title="sup.repeatedPairs"
        note={t('sup.repeatedNote', { n: Number(query.minRepeats ?? 3) })}
        rows={r.repeatedPairs.length}
        query={query}
      >
        <DataTable
          testId="sup-table-repeatedPairs"
          dense
          rows={r.repeatedPairs}
          rowKey={(p) => `${p.buyer.id}>${p.provider.id}`}
          rowProps={() => ({ 'data-testid': 'sup-pair-row' })}
          columns={[
            { header: t('sup.buyer'), cell: (p) => <Org o={p.buyer} /> },
            { header: t('sup.provider'), cell: (p) => <Org o={p.provider} /> },
            ...figureColumns<PairRow>(i18n, (p) => p.trades, ['settledCount', 'refundedCount', 'volumeFen']),
            { header: t('sup.listings'), className: 'num', headClassName: 'num', cell: (p) => number(p.listings) },
            {
              header: t('sup.period'),
              className: 'nowrap small',
              cell: (p) => (
                <>
                  {dateTime(p.firstAt)}
                  <br />
                  {dateTime(p.lastAt)}
                </>
              ),
            },
            { header: t('sup.reciprocal'), cell: (p) => (p.reciprocal ? t('common.yes') : t('common.no')) },
          ]}
        />
      </View>
    </>
  );
}
