import { AsyncBlock, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { usePagedSearch } from '../../components/usePagedSearch';
import { sandboxApi } from './api';
import { useSandboxText } from './messages';
import { QueryTable } from './SandboxPage';

const OUTCOMES = ['ran', 'suppressed', 'refused', 'failed'] as const;

/** The sandbox audit: the regulator sees every query, a provider its products', a buyer its own. */
export default function SandboxAuditPage() {
  const { s } = useSandboxText();
  const { query, setFilters, setPage } = usePagedSearch({ filters: ['outcome'], inUrl: false, pageSize: null });
  const state = useQuery({
    queryKey: keys.sandbox.audit(query),
    queryFn: ({ signal }) => sandboxApi.audit(query, signal),
  });
  return (
    <div data-testid="sandbox-audit-page">
      <PageHeader title={s('auditTitle')} subtitle={s('auditSubtitle')} />
      <section className="card">
        <label className="small">
          {s('outcome')}{' '}
          <select
            value={query.outcome ?? ''}
            onChange={(e) => setFilters({ outcome: e.target.value })}
            data-testid="sandbox-audit-outcome"
          >
            <option value="">{s('allOutcomes')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {s(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <AsyncBlock state={state} isEmpty={(p) => p.items.length === 0} empty={s('noQueries')}>
          {(p) => <QueryTable data={p} onPage={setPage} testId="sandbox-audit" showOrder />}
        </AsyncBlock>
      </section>
    </div>
  );
}
