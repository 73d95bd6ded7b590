import { useState } from 'react';
import { Link } from 'react-router';
import { watchlistApi } from '../../api/buyer-regulator';
import { asApiError, type ApiError } from '../../api/errors';
import { listingCode, listingProvider } from '../../api/refs';
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
          <div className="table-wrap">
            <table className="table" data-testid="watchlist">
              <thead>
                <tr>
                  <th scope="col">{t('listing.code')}</th>
                  <th scope="col">{t('entry.listing')}</th>
                  <th scope="col">{t('compare.provider')}</th>
                  <th scope="col">{t('listing.price')}</th>
                  <th scope="col">{t('watch.at')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((w) => (
                  <tr
                    key={w.listingId}
                    data-testid="watch-row"
                    data-id={w.listingId}
                    data-available={String(w.available)}
                  >
                    <td className="code">{w.listing ? (listingCode(w.listing) ?? '—') : '—'}</td>
                    <td>
                      {w.listing ? (
                        <Link to={`/listings/${w.listingId}`}>{w.listing.title}</Link>
                      ) : (
                        <span className="muted">{t('watch.gone')}</span>
                      )}
                    </td>
                    <td>{w.listing ? listingProvider(w.listing) : '—'}</td>
                    <td>{w.listing ? <PriceTag pricing={w.listing.pricing} /> : '—'}</td>
                    <td className="nowrap">{dateTime(w.at)}</td>
                    <td className="nowrap">
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
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {compare.ids.length >= 2 && (
              <p>
                <Link
                  className="btn btn--primary"
                  to={`/compare?ids=${compare.ids.join(',')}`}
                  data-testid="compare-open"
                >
                  {t('compare.open')} ({compare.ids.length})
                </Link>
              </p>
            )}
          </div>
        )}
      </AsyncBlock>
    </div>
  );
}
