import { useState } from 'react';
import { Link } from 'react-router';
import { watchlistApi } from '../../api/buyer-regulator';
import { asApiError, type ApiError } from '../../api/errors';
import { listingCode, listingProvider } from '../../api/refs';
import { DataTable } from '../../components/DataTable';
import { PriceTag } from '../../components/PriceTag';
import { AsyncBlock, PageHeader, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { useI18n } from '../../i18n/I18nProvider';
import { useCompare } from '../listings/compare';
import '../buyer-regulator.css';

/** The buyer's watch list, kept on the server: each product as it is now, or that it went. */
export function WatchlistPage() {
  const { t, dateTime } = useI18n();
  const state = useQuery({ queryKey: keys.watchlist.list, queryFn: ({ signal }) => watchlistApi.list(signal) });
  const compare = useCompare();
  const [error, setError] = useState<ApiError>();
  const unwatchChange = useChange((id: string) => watchlistApi.unwatch(id), [keys.watchlist.all]);

  async function unwatch(id: string) {
    setError(undefined);
    try {
      await unwatchChange.mutateAsync(id);
    } catch (err) {
      setError(asApiError(err));
    }
  }

  return (
    <div>
      <PageHeader title={t('watch.title')} subtitle={t('watch.subtitle')} />
      <ProblemAlert error={error} testId="watchlist-error" />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('watch.empty')}>
        {(data) => (
          <DataTable
            testId="watchlist"
            rows={data.items}
            rowKey={(w) => w.listingId}
            rowProps={(w) => ({
              'data-testid': 'watch-row',
              'data-id': w.listingId,
              'data-available': String(w.available),
            })}
            columns={[
              {
                header: t('listing.code'),
                className: 'code',
                cell: (w) => (w.listing ? (listingCode(w.listing) ?? '—') : '—'),
              },
              {
                header: t('entry.listing'),
                cell: (w) =>
                  w.listing ? (
                    <Link to={`/listings/${w.listingId}`}>{w.listing.title}</Link>
                  ) : (
                    <span className="muted">{t('watch.gone')}</span>
                  ),
              },
              { header: t('compare.provider'), cell: (w) => (w.listing ? listingProvider(w.listing) : '—') },
              { header: t('listing.price'), cell: (w) => (w.listing ? <PriceTag pricing={w.listing.pricing} /> : '—') },
              { header: t('watch.at'), className: 'nowrap', cell: (w) => dateTime(w.at) },
              {
                header: t('common.actions'),
                className: 'nowrap',
                cell: (w) => (
                  <>
                    {w.available && (
                      <button
                        type="button"
                        className="btn btn--small btn--ghost"
                        onClick={() => compare.toggle(w.listingId)}
                        disabled={!compare.ids.includes(w.listingId) && compare.full}
                        data-testid="watch-compare"
                      >
                        {compare.ids.includes(w.listingId) ? t('compare.remove') : t('compare.add')}
                      </button>
                    )}{' '}
                    <button
                      type="button"
                      className="btn btn--small btn--ghost"
                      onClick={() => unwatch(w.listingId)}
                      data-testid="watch-remove"
                    >
                      {t('watch.remove')}
                    </button>
                  </>
                ),
              },
            ]}
            footer={
              compare.ids.length >= 2 && (
                <p>
                  <Link
                    className="btn btn--primary"
                    to={`/compare?ids=${compare.ids.join(',')}`}
                    data-testid="compare-open"
                  >
                    {t('compare.open')} ({compare.ids.length})
                  </Link>
                </p>
              )
            }
          />
        )}
      </AsyncBlock>
    </div>
  );
}
