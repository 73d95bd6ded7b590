import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { asApiError, type ApiError } from '../../api/errors';
import type { Page } from '@zdec/shared';
import { PagedTable, type Column } from '../../components/DataTable';
import { usePagedSearch } from '../../components/usePagedSearch';
import { AsyncBlock, Badge, Facts, PageHeader, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { useI18n } from '../../i18n/I18nProvider';
import { Chart } from '../stats/Chart';
import type { ChartOption } from '../stats/charts';
import { sandboxApi, type SandboxQueryView, type SandboxResult, type SandboxWorkspace } from './api';
import { useSandboxText } from './messages';

/** The buyer's sandbox for one sandbox entitlement: schema, SQL editor, results and history. */
export default function SandboxPage() {
  const { id = '' } = useParams();
  const state = useQuery({
    queryKey: keys.sandbox.workspace(id),
    queryFn: ({ signal }) => sandboxApi.workspace(id, signal),
  });
  return <AsyncBlock state={state}>{(ws) => <Sandbox ws={ws} />}</AsyncBlock>;
}

function Sandbox({ ws }: { ws: SandboxWorkspace }) {
  const { s } = useSandboxText();
  const { t, number } = useI18n();
  const [sql, setSql] = useState(ws.examples[0]?.sql ?? '');
  const [running, setRunning] = useState(false);
  const [last, setLast] = useState<{ query: SandboxQueryView; result: SandboxResult | null } | null>(null);
  const [error, setError] = useState<ApiError>();
  const { page, setPage } = usePagedSearch({ inUrl: false, pageSize: null });
  const history = useQuery({
    queryKey: keys.sandbox.history(ws.orderId, page),
    queryFn: ({ signal }) => sandboxApi.history(ws.orderId, page, signal),
  });
  // A refused query is recorded and spends quota too: the workspace and its history change either way.
  const runQuery = useChange((text: string) => sandboxApi.run(ws.orderId, text), [keys.sandbox.all], {
    whenSettled: true,
  });

  async function run() {
    setRunning(true);
    setError(undefined);
    setLast(null);
    try {
      const res = await runQuery.mutateAsync(sql);
      setLast({ query: res.query, result: res.result });
    } catch (err) {
      const e = asApiError(err);
      const query = (e.body as { query?: SandboxQueryView }).query;
      if (query) setLast({ query, result: null });
      else setError(e);
    } finally {
      setRunning(false);
    }
  }

  return (
    <div data-testid="sandbox-page" data-order={ws.orderId}>
      <p className="breadcrumb">
        <Link to="/orders">{t('nav.orders')}</Link> / <Link to={`/orders/${ws.orderId}`}>{ws.orderNumber}</Link> /{' '}
        {s('workspace')}
      </p>
      <PageHeader title={s('title')} subtitle={s('subtitle')} />
      <section className="card">
        <Facts
          items={[
            [s('product'), `${ws.listing.title} · ${ws.listing.code}`],
            [s('workspace'), <span className="code">{ws.workspaceId ?? '—'}</span>],
            [s('k'), <strong data-testid="sandbox-k">{ws.limits.k}</strong>],
            [s('maxRows'), number(ws.limits.maxRows)],
            [s('timeLimit'), `${number(ws.limits.timeoutMs / 1000)} s`],
            [s('memory'), `${number(ws.limits.memoryMb)} MB`],
            [
              s('quota'),
              <span data-testid="sandbox-quota">{`${number(ws.quota.left)} / ${number(ws.quota.queries)}`}</span>,
            ],
          ]}
        />
      </section>
      <SchemaCard ws={ws} />
      <section className="card" aria-labelledby="sandbox-editor">
        <h2 id="sandbox-editor">{s('editor')}</h2>
        <p className="small muted">{s('editorHint')}</p>
        <div className="sandbox-examples" data-testid="sandbox-examples">
          <span className="small">{s('examples')}：</span>
          {ws.examples.map((ex, i) => (
            <ExampleButton key={i} example={ex} onPick={setSql} />
          ))}
        </div>
        <textarea
          className="sandbox-sql"
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          rows={7}
          spellCheck={false}
          aria-label={s('editor')}
          data-testid="sandbox-sql"
        />
        <div>
          <button
            type="button"
            className="btn btn--primary"
            disabled={running || !sql.trim()}
            onClick={() => void run()}
            data-testid="sandbox-run"
          >
            {running ? s('running') : s('run')}
          </button>
        </div>
        <ProblemAlert error={error} testId="sandbox-error" />
      </section>
      {last && <ResultCard query={last.query} result={last.result} />}
      <section className="card" aria-labelledby="sandbox-history">
        <h2 id="sandbox-history">{s('history')}</h2>
        <p className="small muted">{s('historyHint')}</p>
        <AsyncBlock state={history} isEmpty={(p) => p.items.length === 0} empty={s('noQueries')}>
          {(p) => <QueryTable data={p} onPage={setPage} testId="sandbox-history" />}
        </AsyncBlock>
      </section>
    </div>
  );
}

function ExampleButton({
  example,
  onPick,
}: {
  example: SandboxWorkspace['examples'][number];
  onPick: (sql: string) => void;
}) {
  const { s, locale } = useSandboxText();
  return (
    <button
      type="button"
      className="btn btn--secondary btn--small"
      onClick={() => onPick(example.sql)}
      data-testid={example.refused ? 'sandbox-example-refused' : 'sandbox-example'}
    >
      {locale === 'en' ? example.title.en : example.title.zh}
      {example.refused ? ` ${s('refusedExample')}` : ''}
    </button>
  );
}

function SchemaCard({ ws }: { ws: SandboxWorkspace }) {
  const { s } = useSandboxText();
  return (
    <section className="card" aria-labelledby="sandbox-tables">
      <h2 id="sandbox-tables">{s('tables')}</h2>
      {ws.tables.map((table) => (
        <div key={table.name} className="table-wrap">
          <p>
            <code data-testid="sandbox-table">{table.name}</code>
          </p>
          <table className="table" data-testid="sandbox-fields">
            <thead>
              <tr>
                <th>{s('field')}</th>
                <th>{s('type')}</th>
                <th>{s('description')}</th>
                <th>{s('level')}</th>
                <th>{s('usage')}</th>
              </tr>
            </thead>
            <tbody>
              {table.fields.map((f) => (
                <tr key={f.name} data-sensitive={f.sensitive ? 'true' : 'false'}>
                  <td>
                    <code>{f.name}</code>
                  </td>
                  <td>
                    <code>{f.sqlType}</code>
                  </td>
                  <td>{f.description || '—'}</td>
                  <td>
                    <Badge kind="level" value={f.level} testId="field-level" />
                  </td>
                  <td className="small">
                    {!f.sensitive ? (
                      s('raw')
                    ) : f.coarsenings.length ? (
                      <>
                        {s('onlyVia')}
                        {f.coarsenings.map((c) => (
                          <code key={c} className="sandbox-coarsening">{`${c}(${f.name})`}</code>
                        ))}
                      </>
                    ) : (
                      s('countOnly')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** A bar chart of the result: the first non-numeric column(s) as categories, numeric columns as series. */
function chartOption(result: SandboxResult): ChartOption | null {
  if (result.rows.length === 0) return null;
  const numeric = result.columns.map((_, i) => result.rows.every((r) => r[i] === null || isNumber(r[i])));
  const series = result.columns.map((c, i) => ({ c, i })).filter(({ i }) => numeric[i]);
  const categories = result.columns.map((_, i) => i).filter((i) => !numeric[i]);
  if (series.length === 0) return null;
  const label = (r: unknown[]) => (categories.length ? categories.map((i) => String(r[i] ?? '∅')).join(' · ') : '');
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: series.slice(0, 3).map((x) => x.c) },
    grid: { left: 60, right: 60, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: result.rows.map(label), axisLabel: { rotate: result.rows.length > 8 ? 30 : 0 } },
    yAxis: series.slice(0, 2).map(() => ({ type: 'value' })),
    series: series.slice(0, 3).map((x, j) => ({
      name: x.c,
      type: 'bar',
      yAxisIndex: Math.min(j, 1),
      data: result.rows.map((r) => r[x.i] as number | null),
    })),
  };
}

function ResultCard({ query, result }: { query: SandboxQueryView; result: SandboxResult | null }) {
  const { s, rule } = useSandboxText();
  const option = useMemo(() => (result ? chartOption(result) : null), [result]);
  const refused = query.outcome === 'refused' || query.outcome === 'failed';
  return (
    <section
      className="card"
      aria-labelledby="sandbox-result"
      data-testid="sandbox-result"
      data-outcome={query.outcome}
    >
      <h2 id="sandbox-result">{refused ? s(query.outcome === 'failed' ? 'failed' : 'refused') : s('result')}</h2>
      {refused ? (
        <div className="alert alert--error" role="alert" data-testid="sandbox-refusal" data-rule={query.rule ?? ''}>
          <strong>
            {s('rule')} <code>{query.rule}</code>：{rule(query.rule)}
          </strong>
          <p>{query.reason}</p>
        </div>
      ) : (
        <>
          {query.suppressedGroups > 0 && (
            <div className="alert alert--warning" role="status" data-testid="sandbox-suppressed">
              {s('suppressed', { n: query.suppressedGroups, k: query.k })}
            </div>
          )}
          {option && <Chart option={option} label={s('chart')} testId="sandbox-chart" />}
          {result && <ResultTable result={result} />}
          <p className="small muted">
            {s('resultHash')} <code>{query.resultSha256}</code> · {s('cost')} {query.costMs} ms
          </p>
        </>
      )}
    </section>
  );
}

function ResultTable({ result }: { result: SandboxResult }) {
  const { number } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="sandbox-result-table">
        <thead>
          <tr>
            {result.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (
                <td key={j}>{isNumber(v) ? number(v as number) : v === null ? '∅' : String(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A list of audited queries (the buyer's history, the audit page). */
export function QueryTable({
  data,
  onPage,
  testId,
  showOrder,
}: {
  data: Page<SandboxQueryView>;
  onPage: (page: number) => void;
  testId: string;
  showOrder?: boolean;
}) {
  const { s, rule } = useSandboxText();
  const { dateTime } = useI18n();
  const columns: Column<SandboxQueryView>[] = [
    { header: s('at'), className: 'small', cell: (q) => dateTime(q.at) },
    {
      header: s('order'),
      shown: Boolean(showOrder),
      className: 'small',
      cell: (q) => (
        <>
          {q.orderNumber}
          <br />
          <span className="muted">{q.listingCode}</span>
        </>
      ),
    },
    { header: 'SQL', cell: (q) => <code className="sandbox-sql-cell">{q.sql}</code> },
    {
      header: s('outcome'),
      cell: (q) => (
        <>
          <span className={`badge badge--${OUTCOME_TONE[q.outcome]}`}>{s(`outcome.${q.outcome}`)}</span>
          {q.outcome !== 'refused' && q.outcome !== 'failed' && (
            <span className="small muted"> {`${q.rows} ${s('rowsOut')}`}</span>
          )}
        </>
      ),
    },
    {
      header: s('rule'),
      className: 'small',
      cell: (q) =>
        q.rule ? (
          <>
            <code>{q.rule}</code> {rule(q.rule)}
            {q.reason && <div className="muted">{q.reason}</div>}
            {q.suppressedRecords !== undefined && q.suppressedGroups > 0 && (
              <div className="muted">{`${s('suppressedRecords')}: ${q.suppressedRecords}`}</div>
            )}
          </>
        ) : (
          '—'
        ),
    },
    { header: s('cost'), className: 'small', cell: (q) => `${q.costMs} ms` },
    {
      header: s('resultHash'),
      className: 'small',
      cell: (q) => <code>{q.resultSha256 ? `${q.resultSha256.slice(0, 12)}…` : '—'}</code>,
    },
  ];
  return (
    <PagedTable
      testId={testId}
      headScope={false}
      columns={columns}
      data={data}
      onPage={onPage}
      rowKey={(q) => q.id}
      rowProps={(q) => ({ 'data-outcome': q.outcome, 'data-rule': q.rule ?? '' })}
    />
  );
}

const OUTCOME_TONE: Record<SandboxQueryView['outcome'], string> = {
  ran: 'ok',
  suppressed: 'warn',
  refused: 'bad',
  failed: 'muted',
};
