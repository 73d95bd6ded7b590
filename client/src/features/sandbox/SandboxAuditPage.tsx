import { useState } from 'react';
import { AsyncBlock, PageHeader, Pager } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { sandboxApi } from './api';
import { useSandboxText } from './messages';
import { QueryTable } from './SandboxPage';

const OUTCOMES = ['ran', 'suppressed', 'refused', 'failed'] as const;

/** The sandbox audit: the regulator sees every query, a provider its products', a buyer its own. */
export default function SandboxAuditPage() {
  const { s } = useSandboxText();
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState('');
  const state = useQuery({
    queryKey: keys.sandbox.audit({ page, outcome }),
    queryFn: ({ signal }) => sandboxApi.audit({ page, outcome: outcome || undefined }, signal),
  });
  return (
    <div data-testid="sandbox-audit-page">
      <PageHeader title={s('auditTitle')} subtitle={s('auditSubtitle')} />
      <section className="card">
        <label className="small">
          {s('outcome')}{' '}
          <select
            value={outcome}
            onChange={(e) => {
              setOutcome(e.target.value);
              setPage(1);
            }}
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
          {(p) => (
            <>
              <QueryTable items={p.items} testId="sandbox-audit" showOrder />
              <Pager page={p.page} pageSize={p.pageSize} total={p.total} onPage={setPage} />
            </>
          )}
        </AsyncBlock>
      </section>
    </div>
  );
}
