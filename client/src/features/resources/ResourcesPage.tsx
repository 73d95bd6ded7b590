import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DOMAIN_KEYS, RESOURCE_STATUSES } from '@zdec/shared';
import { resourcesApi } from '../../api/endpoints';
import type { ResourceView } from '../../api/types';
import { DataTable, type Column } from '../../components/DataTable';
import { AsyncBlock, Badge, Field, PageHeader, Pager } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/I18nProvider';
import { usePagedSearch } from '../../components/usePagedSearch';
import { ResourceForm } from './ResourceForm';

/** The authority's (and a provider's) resource register: list, filter, and create a draft. */
export function ResourcesPage() {
  const { t, tEnum, date, number } = useI18n();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const { query, setFilters: update, setPage } = usePagedSearch({ filters: ['q', 'status', 'domain', 'mine'] });
  const [q, setQ] = useState(query.q ?? '');
  const state = useQuery({
    queryKey: keys.resources.list(query),
    queryFn: ({ signal }) => resourcesApi.list(query, signal),
  });

  const columns: Column<ResourceView>[] = [
    { header: t('resources.registrationNumber'), className: 'code', cell: (r) => r.registrationNumber ?? '—' },
    { header: t('resources.name'), cell: (r) => <Link to={`/resources/${r.id}`}>{r.name}</Link> },
    { header: t('listing.domain'), cell: (r) => tEnum('domain', r.domain) },
    { header: t('resources.openness'), cell: (r) => tEnum('openness', r.openness) },
    {
      header: t('listing.grade'),
      cell: (r) => (
        <>
          <Badge kind="grade" value={r.grade} testId="grade-badge" />{' '}
          {r.level && <Badge kind="level" value={r.level} testId="level-badge" />}
        </>
      ),
    },
    { header: t('resources.recordCount'), className: 'num', cell: (r) => number(r.recordCount) },
    { header: t('resources.status'), cell: (r) => <Badge kind="resourceStatus" value={r.status} /> },
    { header: t('common.createdAt'), cell: (r) => date(r.createdAt) },
  ];

  return (
    <div>
      <PageHeader
        title={t('resources.title')}
        subtitle={t('resources.subtitle')}
        actions={
          <button
            type="button"
            className="btn btn--primary"
            aria-expanded={creating}
            onClick={() => setCreating((c) => !c)}
            data-testid="resource-new"
          >
            {creating ? t('common.cancel') : t('resources.new')}
          </button>
        }
      />
      {creating && (
        <section className="card" aria-labelledby="resource-new-title">
          <h2 id="resource-new-title">{t('resources.new')}</h2>
          <ResourceForm onCreated={(r) => navigate(`/resources/${r.id}`)} />
        </section>
      )}
      <form
        className="card filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: q.trim() });
        }}
      >
        <Field label={t('catalog.q')} className="filters__q">
          {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <Field label={t('resources.status')}>
          {(p) => (
            <select {...p} value={query.status ?? ''} onChange={(e) => update({ status: e.target.value })}>
              <option value="">{t('common.all')}</option>
              {RESOURCE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {tEnum('resourceStatus', s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('listing.domain')}>
          {(p) => (
            <select {...p} value={query.domain ?? ''} onChange={(e) => update({ domain: e.target.value })}>
              <option value="">{t('common.all')}</option>
              {DOMAIN_KEYS.map((d) => (
                <option key={d} value={d}>
                  {tEnum('domain', d)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox filters__check">
          <input
            type="checkbox"
            checked={query.mine === 'true'}
            onChange={(e) => update({ mine: e.target.checked ? 'true' : undefined })}
            data-testid="resources-mine"
          />
          {t('resources.mineOnly')}
        </label>
        <div className="filters__actions">
          <button type="submit" className="btn btn--primary">
            {t('common.search')}
          </button>
        </div>
      </form>
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('resources.empty')}>
        {(data) => (
          <>
            <DataTable
              testId="resources-table"
              columns={columns}
              rows={data.items}
              rowKey={(r) => r.id}
              rowProps={(r) => ({ 'data-testid': 'resource-row', 'data-id': r.id })}
            />
            <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
          </>
        )}
      </AsyncBlock>
    </div>
  );
}
