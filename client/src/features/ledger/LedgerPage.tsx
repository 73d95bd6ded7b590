import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { LEDGER_TYPES, LedgerFilter, type VerifyResult } from '@zdec/shared';

/** What /ledger/verify adds to the shared result: why the chain broke, and the signed checkpoints checked. */
interface VerifyReport extends VerifyResult {
  reason?: string;
  checkpointsChecked?: number;
}
import { downloadWithProgress, supervisionApi } from '../../api/buyer-regulator';
import { ledgerApi } from '../../api/endpoints';
import { asApiError, type ApiError } from '../../api/errors';
import type { Query } from '../../api/http';
import type { LedgerEntryView } from '../../api/types';
import { ExportButton } from '../../components/ExportButton';
import { validateWith, type FieldErrors } from '../../components/forms';
import { dateRange, enumFilter, FilterBar } from '../../components/FilterBar';
import { orgFilter, resolveTypedOrg, type OrgChoice } from '../../components/OrgPicker';
import { PagedTable, type Column } from '../../components/DataTable';
import { AsyncBlock, Badge, PageHeader, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { fenToYuanInput, formatMoney, parseYuan } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import '../buyer-regulator.css';
import { usePagedSearch, type FilterValues } from '../../components/usePagedSearch';
import { BusyButton } from '../../components/FormActions';

const PAGE_SIZE = 50;
const FILTER_KEYS = ['from', 'to', 'type', 'org', 'listingCode', 'minAmountFen'] as const;

/**
 * A calendar day in Asia/Shanghai as an instant: its start, or for the end of a range the start of
 * the next day (the server's `to` is exclusive, so the day typed is included).
 */
function dayBound(date: string, end: boolean): string {
  if (!end) return `${date}T00:00:00+08:00`;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return `${next}T00:00:00+08:00`;
}

/** The API filters from the page's URL (which keeps dates as typed, yyyy-mm-dd). */
function filtersFrom(url: FilterValues<(typeof FILTER_KEYS)[number]>): Query {
  return {
    ...url,
    from: url.from ? dayBound(url.from, false) : undefined,
    to: url.to ? dayBound(url.to, true) : undefined,
  };
}

type OrgNames = Map<string, { name: string; creditCode: string }>;

/** The entry's organisations by name, each with its unified social credit code. */
function OrgsOf({ e, names }: { e: LedgerEntryView; names: OrgNames | undefined }) {
  if (!e.orgIds?.length) return <>—</>;
  return (
    <ul className="org-names">
      {e.orgIds.map((id) => {
        const o = names?.get(id);
        return (
          <li key={id} data-testid="ledger-org-name" data-org-id={id}>
            {o ? o.name : `…${id.slice(-6)}`} {o && <span className="code muted small">{o.creditCode}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** Regulators (and exchange staff) read, filter, verify and export the hash-chained ledger. */
export function LedgerPage() {
  const i18n = useI18n();
  const { t, tEnum, dateTime } = i18n;
  const search = usePagedSearch({ filters: FILTER_KEYS, pageSize: PAGE_SIZE });
  const url = search.filters;
  const [v, setV] = useState(() => ({
    from: url.from ?? '',
    to: url.to ?? '',
    type: url.type ?? '',
    listingCode: url.listingCode ?? '',
    minAmount: url.minAmountFen ? fenToYuanInput(Number(url.minAmountFen)) : '',
  }));
  const [org, setOrg] = useState<OrgChoice>({ picked: null, typed: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [verify, setVerify] = useState<VerifyReport>();
  const [verifyError, setVerifyError] = useState<ApiError>();
  const [verifying, setVerifying] = useState(false);

  const { page, setPage } = search;
  const filters = filtersFrom(url);
  const state = useQuery({
    queryKey: keys.ledger.list({ ...filters, page }),
    queryFn: ({ signal }) => ledgerApi.list({ ...filters, page, pageSize: PAGE_SIZE }, signal),
  });
  const urlOrg = url.org;
  useEffect(() => {
    // The URL keeps the organisation's id; the filter shows its name.
    if (!urlOrg || org.picked?.id === urlOrg) return;
    supervisionApi
      .orgNames([urlOrg])
      .then((r) => r.items[0] && setOrg({ picked: r.items[0], typed: r.items[0].name }))
      .catch(() => undefined);
  }, [urlOrg]);
  const ids = [...new Set((state.data?.items ?? []).flatMap((e) => e.orgIds ?? []))];
  const names = useQuery({
    queryKey: keys.orgNames(ids),
    queryFn: async ({ signal }) =>
      new Map((await supervisionApi.orgNames(ids, signal)).items.map((o) => [o.id, o] as const)) as OrgNames,
    enabled: ids.length > 0,
  });

  async function onSubmit() {
    const chosen = org.typed.trim() ? await resolveTypedOrg(org.picked, org.typed).catch(() => null) : null;
    const minAmountFen = v.minAmount.trim() ? parseYuan(v.minAmount.replace(/^-/, '')) : undefined;
    const negative = v.minAmount.trim().startsWith('-');
    const typed = {
      from: v.from ? dayBound(v.from, false) : undefined,
      to: v.to ? dayBound(v.to, true) : undefined,
      type: v.type || undefined,
      org: chosen?.id,
      listingCode: v.listingCode.trim().toUpperCase() || undefined,
      minAmountFen:
        minAmountFen === null || minAmountFen === undefined ? undefined : negative ? -minAmountFen : minAmountFen,
    };
    const result = validateWith(LedgerFilter, typed, i18n, 'query');
    const errs: FieldErrors = result.ok ? {} : { ...result.errors };
    if (minAmountFen === null) errs['query.minAmountFen'] = t('validation.yuan');
    if (v.from && v.to && v.to < v.from) errs['query.to'] = t('validation.range');
    if (org.typed.trim() && !chosen) errs['query.org'] = t('ledgerx.orgUnknown');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    search.replaceFilters({
      from: v.from,
      to: v.to,
      type: typed.type,
      org: typed.org,
      listingCode: typed.listingCode,
      minAmountFen: typed.minAmountFen === undefined ? undefined : String(typed.minAmountFen),
    });
  }

  async function runVerify() {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerify(await ledgerApi.verify());
    } catch (err) {
      setVerify(undefined);
      setVerifyError(asApiError(err));
    } finally {
      setVerifying(false);
    }
  }

  const columns: Column<LedgerEntryView>[] = [
    { header: t('ledger.seq'), className: 'num', headClassName: 'num', cell: (e) => e.seq },
    { header: t('ledger.at'), className: 'nowrap', cell: (e) => dateTime(e.at) },
    { header: t('ledger.type'), cell: (e) => tEnum('ledgerType', e.type) },
    { header: t('listing.code'), className: 'code', cell: (e) => e.listingCode ?? '—' },
    { header: t('ledger.orgs'), cell: (e) => <OrgsOf e={e} names={names.data} /> },
    {
      header: t('orders.amount'),
      headClassName: 'num',
      className: (e) => `num${(e.amountFen ?? 0) < 0 ? ' negative' : ''}`,
      cell: (e) => (e.amountFen === null || e.amountFen === undefined ? '—' : formatMoney(e.amountFen)),
    },
    { header: t('listing.grade'), cell: (e) => <Badge kind="grade" value={e.grade} testId="grade-badge" /> },
    {
      header: t('ledger.hash'),
      className: 'code hash',
      cellProps: (e) => ({ title: e.hash }),
      cell: (e) => (e.hash ? `${e.hash.slice(0, 12)}…` : '—'),
    },
    {
      header: t('common.actions'),
      cell: (e) => (
        <Link to={`/ledger/entries/${e.seq}`} data-testid="ledger-entry-link">
          {t('ledgerx.details')}
        </Link>
      ),
    },
  ];

  const hasFilters = FILTER_KEYS.some((k) => url[k]);
  return (
    <div>
      <PageHeader title={t('ledger.title')} subtitle={t('ledger.subtitle')} />

      <section className="card verify" aria-labelledby="verify-title">
        <div className="row-head">
          <h2 id="verify-title">{t('ledger.verifyTitle')}</h2>
          <BusyButton
            label={t('ledger.verify')}
            busy={verifying}
            busyLabel={t('ledger.verifying')}
            onClick={runVerify}
            testId="ledger-verify"
          />
        </div>
        <ProblemAlert error={verifyError} testId="verify-error" />
        {verify && <VerifyPanel result={verify} />}
      </section>

      <FilterBar
        noValidate
        testId="ledger-filters"
        submitTestId="ledger-apply"
        values={v}
        onChange={(name, value) => setV({ ...v, [name]: value })}
        onSubmit={() => void onSubmit()}
        errors={errors}
        fields={[
          ...dateRange(t, 'ledger'),
          enumFilter('type', t('ledger.type'), LEDGER_TYPES, 'ledgerType', {
            path: 'query.type',
            testId: 'ledger-type',
          }),
          orgFilter('query.org', 'ledger-org', org, setOrg, t),
          {
            kind: 'text',
            name: 'listingCode',
            label: t('listing.code'),
            path: 'query.listingCode',
            hint: 'ZDEC-2026-000001',
            input: { spellCheck: false },
            testId: 'ledger-listing-code',
          },
          {
            kind: 'text',
            name: 'minAmount',
            label: t('ledger.minAmount'),
            path: 'query.minAmountFen',
            input: { inputMode: 'decimal' },
            testId: 'ledger-min-amount',
          },
        ]}
        onReset={
          hasFilters
            ? () => {
                setV({ from: '', to: '', type: '', listingCode: '', minAmount: '' });
                setOrg({ picked: null, typed: '' });
                setErrors({});
                search.replaceFilters({});
              }
            : undefined
        }
      />

      <div className="toolbar">
        <span className="muted" data-testid="ledger-total">
          {state.data ? t('ledger.total', { total: state.data.total }) : ''}
        </span>
        <span className="toolbar__actions">
          <Link to="/supervision" className="btn btn--secondary" data-testid="ledger-supervision">
            {t('ledgerx.supervision')}
          </Link>
          <ExportButton
            label={t('ledger.export')}
            testId="ledger-export"
            run={(onProgress) =>
              downloadWithProgress('/ledger/export.csv', filters, 'ledger.csv', onProgress, state.data?.total ?? null)
            }
          />
        </span>
      </div>

      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('ledger.empty')}>
        {(data) => (
          <PagedTable
            testId="ledger-table"
            dense
            columns={columns}
            data={data}
            onPage={setPage}
            rowKey={(e) => e.seq}
            rowProps={(e) => ({ 'data-testid': 'ledger-row', 'data-seq': e.seq, 'data-type': e.type })}
          />
        )}
      </AsyncBlock>
    </div>
  );
}

function VerifyPanel({ result }: { result: VerifyReport }) {
  const { t, tEnum, number } = useI18n();
  return (
    <div
      className={`verify-result verify-result--${result.ok ? 'ok' : 'broken'}`}
      role="status"
      data-testid="verify-result"
      data-ok={String(result.ok)}
      data-first-broken-seq={result.firstBrokenSeq ?? ''}
    >
      <p className="verify-result__headline">
        <span aria-hidden="true">{result.ok ? '✓' : '✗'}</span>{' '}
        {result.ok
          ? t('ledger.verifyOk', { checked: number(result.checked) })
          : t('ledger.verifyBroken', { seq: result.firstBrokenSeq ?? '?' })}
      </p>
      <dl className="facts facts--compact">
        <div className="facts__row">
          <dt>{t('ledger.checked')}</dt>
          <dd>{number(result.checked)}</dd>
        </div>
        {!result.ok && (
          <div className="facts__row">
            <dt>{t('ledger.firstBrokenSeq')}</dt>
            <dd data-testid="verify-first-broken">{result.firstBrokenSeq ?? '—'}</dd>
          </div>
        )}
        {!result.ok && result.reason && (
          <div className="facts__row">
            <dt>{t('ledger.breakReason')}</dt>
            <dd data-testid="verify-reason">{tEnum('breakReason', result.reason)}</dd>
          </div>
        )}
        {result.checkpointsChecked !== undefined && (
          <div className="facts__row">
            <dt>{t('ledger.checkpointsChecked')}</dt>
            <dd>{number(result.checkpointsChecked)}</dd>
          </div>
        )}
        <div className="facts__row">
          <dt>{t('ledger.headSeq')}</dt>
          <dd data-testid="verify-head-seq">{result.headSeq}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('ledger.headHash')}</dt>
          <dd className="code hash">{result.headHash ?? '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
