import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DOMAIN_KEYS, RESOURCE_STATUSES } from '@zdec/shared';
import { resourcesApi } from '../../api/endpoints';
import type { ResourceView } from '../../api/types';
import { PagedTable, type Column } from '../../components/DataTable';
import { enumFilter, FilterBar, useUrlFilters } from '../../components/FilterBar';
import { AsyncBlock, Badge, PageHeader } from '../../components/ui';
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
  const search = usePagedSearch({ filters: ['q', 'status', 'domain', 'mine'] });
  const urlFilters = useUrlFilters(search, ['q']);
  const { query, setPage } = search;
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
      <FilterBar
        role="search"
        {...urlFilters}
        fields={[
          { kind: 'search', name: 'q', label: t('catalog.q'), className: 'filters__q' },
          enumFilter('status', t('resources.status'), RESOURCE_STATUSES, 'resourceStatus'),
          enumFilter('domain', t('listing.domain'), DOMAIN_KEYS, 'domain'),
          { kind: 'checkbox', name: 'mine', label: t('resources.mineOnly'), testId: 'resources-mine' },
        ]}
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('resources.empty')}>
        {(data) => (
          <PagedTable
            testId="resources-table"
            columns={columns}
            data={data}
            onPage={setPage}
            rowKey={(r) => r.id}
            rowProps={(r) => ({ 'data-testid': 'resource-row', 'data-id': r.id })}
          />
        )}
      </AsyncBlock>
    </div>
  );
}
