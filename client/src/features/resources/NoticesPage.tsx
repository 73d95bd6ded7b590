import { Link } from 'react-router';
import { NOTICE_STATUSES, type NoticeStatus } from '@zdec/shared';
import { lastMinuteOf, registrationApi } from '../../api/registration';
import { useAuth } from '../../auth/AuthProvider';
import { FilterTabs } from '../../components/FilterBar';
import { PagedTable, type Column } from '../../components/DataTable';
import { AsyncBlock, Badge, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n } from '../../i18n/I18nProvider';

/** A registration under (or past) public notice, as the list answers it. */
type Notice = Awaited<ReturnType<typeof registrationApi.notices>>['items'][number];

/** 登记公示: public list of registrations under notice (and decided ones); the authority's objections to rule on. */
export function NoticesPage() {
  const { t, tEnum, dateTime } = useI18n();
  const { role } = useAuth();
  const { query, setFilters, setPage } = usePagedSearch({
    filters: ['status'],
    inUrl: false,
    defaults: { status: 'publicizing' },
    pageSize: null,
  });
  const status = query.status as NoticeStatus;
  const state = useQuery({
    queryKey: keys.registration.notices(query),
    queryFn: ({ signal }) => registrationApi.notices(query, signal),
  });
  const columns: Column<Notice>[] = [
    {
      header: t('notices.name'),
      cell: (n) => <Link to={`/notices/${encodeURIComponent(n.id)}`}>{n.snapshot.name}</Link>,
    },
    { header: t('notices.owner'), cell: (n) => n.snapshot.ownerOrgName ?? '—' },
    { header: t('listing.domain'), cell: (n) => tEnum('domain', n.snapshot.domain) },
    {
      header: t('listing.grade'),
      cell: (n) => (
        <>
          <Badge kind="grade" value={n.snapshot.grade} testId="grade-badge" />{' '}
          <Badge kind="level" value={n.snapshot.level} testId="level-badge" />
        </>
      ),
    },
    { header: t('notices.publishedAt'), cell: (n) => dateTime(n.publishedAt) },
    { header: t('notices.endsAt'), cell: (n) => dateTime(lastMinuteOf(n.endsAt)) },
    {
      header: t('notices.objections'),
      className: 'num',
      cell: (n) => t('notices.objectionsCount', { n: n.objections.length }),
    },
    {
      header: t('resources.status'),
      cell: (n) => (
        <span className="badge badge--info" data-testid="notice-status" data-value={n.status}>
          {t(`notices.status.${n.status}`)}
        </span>
      ),
    },
  ];

  return (
    <div data-testid="notices-page">
      <PageHeader title={t('notices.title')} subtitle={t('notices.subtitleShort')} />
      <p className="muted small">{t('notices.calendar')}</p>
      {role === 'authority' && <PendingRulings />}
      <FilterTabs
        tabs={NOTICE_STATUSES}
        current={status}
        onPick={(s) => setFilters({ status: s })}
        label={(s) => t(`notices.tab.${s}`)}
        testId={(s) => `notices-tab-${s}`}
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('notices.empty')}>
        {(data) => (
          <PagedTable
            testId="notices-table"
            columns={columns}
            data={data}
            onPage={setPage}
            rowKey={(n) => n.id}
            rowProps={(n) => ({ 'data-testid': 'notice-row', 'data-id': n.id })}
          />
        )}
      </AsyncBlock>
    </div>
  );
}

/** The authority's queue: objections waiting for a ruling. */
function PendingRulings() {
  const { t, dateTime } = useI18n();
  const state = useQuery({
    queryKey: keys.registration.pendingObjections,
    queryFn: ({ signal }) => registrationApi.objections({ status: 'pending' }, signal),
  });
  return (
    <section className="card" aria-labelledby="pending-rulings" data-testid="pending-rulings">
      <h2 id="pending-rulings">{t('notices.pendingRulings')}</h2>
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('notices.noObjections')}>
        {(data) => (
          <ul className="plain-list">
            {data.items.map((o) => (
              <li key={o.id} data-testid="pending-objection">
                <Link to={`/notices/${encodeURIComponent(o.noticeId)}`}>{o.notice?.name ?? o.noticeId}</Link>
                <span className="muted">
                  {' '}
                  · {dateTime(o.at)} · {o.reason}
                </span>
              </li>
            ))}
          </ul>
        )}
      </AsyncBlock>
    </section>
  );
}
