import { useRef } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { OrderCreateBody, PAYMENT_METHODS, type PaymentMethod } from '@zdec/shared';
import { listingsApi, ordersApi } from '../../api/endpoints';
import { newIdempotencyKey } from '../../api/http';
import { listingCode, listingProvider, orderOf } from '../../api/refs';
import type { ListingView, ReviewEntry } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { PriceTag } from '../../components/PriceTag';
import { AsyncBlock, Badge, Facts, Field, FormAlert, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useZodForm } from '../../components/useZodForm';
import { formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { BuyerActions, ListingDossier } from '../products/ListingDossier';

export function ListingDetailPage() {
  const { id = '' } = useParams();
  const state = useQuery({ queryKey: keys.listings.detail(id), queryFn: ({ signal }) => listingsApi.get(id, signal) });
  return <AsyncBlock state={state}>{(listing) => <ListingDetail listing={listing} />}</AsyncBlock>;
}

function ListingDetail({ listing: l }: { listing: ListingView }) {
  const { t, tEnum, dateTime } = useI18n();
  const reviews: ReviewEntry[] = l.reviews ?? [];
  return (
    <div data-testid="listing-detail" data-id={l.id}>
      <p className="breadcrumb">
        <Link to="/">{t('nav.catalog')}</Link> / {listingCode(l) ?? t('listing.noCode')}
      </p>
      <PageHeader title={l.title} subtitle={listingProvider(l)} />
      <div className="detail-grid">
        <section className="card" aria-labelledby="listing-facts">
          <h2 id="listing-facts">{t('listing.facts')}</h2>
          {l.summary && <p className="prewrap">{l.summary}</p>}
          <Facts
            items={[
              [
                t('listing.code'),
                <span className="code" data-testid="listing-code">
                  {listingCode(l) ?? '—'}
                </span>,
              ],
              [t('listing.status'), <Badge kind="listingStatus" value={l.status} />],
              [t('listing.productType'), tEnum('productType', l.productType)],
              [t('listing.domain'), (l.domains ?? []).map((d) => tEnum('domain', d)).join('、') || '—'],
              [
                t('listing.sourceResources'),
                l.sources?.length
                  ? l.sources
                      .map((s) => `${s.name ?? s.id}${s.registrationNumber ? ` (${s.registrationNumber})` : ''}`)
                      .join('、')
                  : '—',
              ],
              [
                t('listing.grade'),
                <>
                  <Badge kind="grade" value={l.grade} testId="grade-badge" />{' '}
                  {l.level && <Badge kind="level" value={l.level} testId="level-badge" />}
                </>,
              ],
              [t('listing.deliveryMode'), tEnum('deliveryMode', l.deliveryMode)],
              [t('listing.deIdentified'), l.deIdentified ? t('common.yes') : t('common.no')],
              [t('listing.pricingModel'), tEnum('pricingModel', l.pricing?.model)],
              [t('listing.price'), <PriceTag pricing={l.pricing} />],
              [t('listing.listedAt'), dateTime(l.listedAt ?? undefined)],
              [
                t('listing.tags'),
                l.tags?.length ? (
                  <span className="tags">
                    {l.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                ) : (
                  '—'
                ),
              ],
            ]}
          />
        </section>
        <BuyPanel listing={l} />
      </div>
      {l.status === 'listed' && <BuyerActions listingId={l.id} />}
      <ListingDossier listingId={l.id} />
      {reviews.length > 0 && (
        <section className="card" aria-labelledby="listing-reviews">
          <h2 id="listing-reviews">{t('listing.reviewHistory')}</h2>
          <ul className="timeline">
            {reviews.map((r, i) => (
              <li key={i}>
                <Badge kind="listingStatus" value={r.decision === 'approve' ? 'listed' : 'rejected'} /> {dateTime(r.at)}{' '}
                {r.reasons && r.reasons.length > 0 && (
                  <ul>
                    {r.reasons.map((reason, j) => (
                      <li key={j}>{reason}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

const BUY_SHOWN = ['body.quantity', 'body.paymentMethod', 'body.listingId'];

function BuyPanel({ listing }: { listing: ListingView }) {
  const { t, tEnum } = useI18n();
  const { role } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const form = useZodForm({
    schema: OrderCreateBody,
    defaultValues: { quantity: '1', paymentMethod: 'bank_transfer' as PaymentMethod },
    toBody: ({ quantity, paymentMethod }: { quantity: string; paymentMethod: PaymentMethod }) => ({
      listingId: listing.id,
      quantity: quantity.trim() === '' ? undefined : Number(quantity),
      paymentMethod,
    }),
  });
  // One key per purchase attempt: kept for a retry after a network failure (so the server can
  // answer with the same order), replaced once the server has given a definite answer.
  const attempt = useRef<{ key: string; body: string } | null>(null);

  if (listing.status && listing.status !== 'listed') {
    return (
      <aside className="card buy-panel">
        <Notice kind="warning">{t('buy.notListed')}</Notice>
      </aside>
    );
  }

  const q = Number(form.watch('quantity'));
  const estimate = listing.pricing && Number.isSafeInteger(q) && q > 0 ? listing.pricing.priceFen * q : undefined;

  const onSubmit = form.onSubmit(async (body) => {
    const serialized = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== serialized) {
      attempt.current = { key: newIdempotencyKey(), body: serialized };
    }
    const key = attempt.current.key;
    let definite = true;
    const res = await form.submit(() =>
      ordersApi.create(body, key).catch((err: unknown) => {
        const status = (err as { status?: number }).status ?? 0;
        definite = status >= 400 && status < 500;
        throw err;
      }),
    );
    if (definite) attempt.current = null;
    const order = orderOf(res?.value);
    if (order) navigate(`/orders/${order.id}`, { state: { created: res?.value } });
  });

  return (
    <aside className="card buy-panel" aria-labelledby="buy-title">
      <h2 id="buy-title">{t('buy.title')}</h2>
      <div className="buy-panel__price">
        <PriceTag pricing={listing.pricing} />
      </div>
      {!role && (
        <p>
          <Link
            className="btn btn--primary"
            to={`/signin?next=${encodeURIComponent(location.pathname)}`}
            data-testid="buy-signin"
          >
            {t('buy.signInToBuy')}
          </Link>
        </p>
      )}
      {role && role !== 'buyer' && <Notice>{t('buy.buyersOnly')}</Notice>}
      {role === 'buyer' && (
        <form onSubmit={onSubmit} noValidate className="form" data-testid="buy-form">
          <Field label={t('buy.quantity')} path="body.quantity" errors={form.errors} required>
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={10000}
                step={1}
                inputMode="numeric"
                {...form.register('quantity')}
                data-testid="buy-quantity"
              />
            )}
          </Field>
          <fieldset className="radio-group">
            <legend>{t('buy.paymentMethod')}</legend>
            {PAYMENT_METHODS.map((m) => (
              <label key={m} className="radio">
                <input type="radio" value={m} {...form.register('paymentMethod')} data-testid={`buy-method-${m}`} />
                {tEnum('paymentMethod', m)}
              </label>
            ))}
          </fieldset>
          {estimate !== undefined && (
            <p className="muted" data-testid="buy-estimate">
              {t('buy.estimate', { amount: formatMoney(estimate) })}
            </p>
          )}
          <FormAlert form={form} shownPaths={BUY_SHOWN} testId="buy-error" />
          <button
            type="submit"
            className="btn btn--primary btn--block"
            disabled={form.pending}
            data-testid="buy-button"
          >
            {form.pending ? t('common.working') : t('buy.submit')}
          </button>
        </form>
      )}
    </aside>
  );
}
