import { useState } from 'react';
import { Link } from 'react-router';
import { ReviewBody } from '@zdec/shared';
import { listingsApi } from '../../api/endpoints';
import { asApiError, type ApiError } from '../../api/errors';
import { listingProvider } from '../../api/refs';
import type { ListingView } from '../../api/types';
import { PriceTag } from '../../components/PriceTag';
import { AsyncBlock, Badge, Notice, PageHeader, ProblemAlert } from '../../components/ui';
import { PagedList } from '../../components/PagedList';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { RuleChecklist, rulesFromProblem } from '../../components/RuleChecklist';
import { ReasonForm } from '../../components/ReasonForm';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n } from '../../i18n/I18nProvider';
import { BusyButton } from '../../components/FormActions';
import { useListingSearch } from './useListingSearch';

/** Exchange staff: listings waiting for compliance review. */
export function ReviewQueuePage() {
  const { t } = useI18n();
  const search = usePagedSearch();
  const query = { status: 'pending_review', sort: 'newest', ...search.query };
  const state = useListingSearch(query);
  const [decided, setDecided] = useState<Record<string, 'approve' | 'reject'>>({});

  return (
    <div>
      <PageHeader
        title={t('review.title')}
        subtitle={t('review.subtitle')}
        actions={
          <Link className="btn btn--secondary" to="/orders?status=pending_payment" data-testid="exchange-orders-link">
            {t('review.toOrders')}
          </Link>
        }
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('review.empty')}>
        {(data) => (
          <PagedList data={data} onPage={(p) => search.replaceFilters({ page: String(p) })} testId="review-queue">
            {(l) => (
              <ReviewItem
                key={l.id}
                listing={l}
                decided={decided[l.id]}
                onDecided={(d) => setDecided((prev) => ({ ...prev, [l.id]: d }))}
              />
            )}
          </PagedList>
        )}
      </AsyncBlock>
    </div>
  );
}

function ReviewItem({
  listing: l,
  decided,
  onDecided,
}: {
  listing: ListingView;
  decided: 'approve' | 'reject' | undefined;
  onDecided: (d: 'approve' | 'reject') => void;
}) {
  const { t, tEnum, dateTime } = useI18n();
  const [approveError, setApproveError] = useState<ApiError>();
  const [approving, setApproving] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [result, setResult] = useState<ListingView>();
  const review = useReview(l.id);

  async function approve() {
    setApproving(true);
    setApproveError(undefined);
    try {
      const res = await review.mutateAsync({ decision: 'approve', reasons: [] });
      setResult(res);
      onDecided('approve');
    } catch (err) {
      setApproveError(asApiError(err));
    } finally {
      setApproving(false);
    }
  }

  const sources = l.sources?.map((r) => r.name ?? r.id) ?? l.sourceResourceIds ?? [];
  return (
    <li className="card" data-testid="review-item" data-id={l.id} data-decision={decided ?? ''}>
      <div className="row-head">
        <div>
          <h2 className="row-head__title">{l.title}</h2>
          <span className="muted">{listingProvider(l) ?? '—'}</span>
        </div>
        <Badge
          kind="listingStatus"
          value={decided === 'approve' ? 'listed' : decided === 'reject' ? 'rejected' : l.status}
        />
      </div>
      {l.summary && <p className="prewrap">{l.summary}</p>}
      <dl className="facts facts--compact">
        <div className="facts__row">
          <dt>{t('listing.productType')}</dt>
          <dd>{tEnum('productType', l.productType)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.grade')}</dt>
          <dd>
            <Badge kind="grade" value={l.grade} testId="grade-badge" />{' '}
            {l.level && <Badge kind="level" value={l.level} testId="level-badge" />}
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.deliveryMode')}</dt>
          <dd>{tEnum('deliveryMode', l.deliveryMode)}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.deIdentified')}</dt>
          <dd>{l.deIdentified ? t('common.yes') : t('common.no')}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.price')}</dt>
          <dd>
            <PriceTag pricing={l.pricing} />
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.sourceResources')}</dt>
          <dd>{sources.length ? sources.join('、') : '—'}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('listing.authorization')}</dt>
          <dd className="code">{l.authorizationId ?? t('listing.ownData')}</dd>
        </div>
        <div className="facts__row">
          <dt>{t('review.submittedAt')}</dt>
          <dd>{dateTime(l.updatedAt ?? l.createdAt)}</dd>
        </div>
      </dl>

      {decided === 'approve' && (
        <Notice kind="success" testId="review-approved">
          {t('review.approved', { code: result?.code ?? '—' })}
        </Notice>
      )}
      {decided === 'reject' && <Notice testId="review-rejected">{t('review.rejected')}</Notice>}

      {!decided && (
        <>
          <RefusedApproval error={approveError} />
          <div className="row-actions">
            <BusyButton label={t('review.approve')} busy={approving} onClick={approve} testId="review-approve" />
            {!rejecting && (
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => setRejecting(true)}
                data-testid="review-reject"
              >
                {t('review.reject')}
              </button>
            )}
          </div>
          {rejecting && (
            <RejectForm
              id={l.id}
              suggested={approveError?.status === 422 ? approveError.errors.map((e) => e.message) : []}
              onCancel={() => setRejecting(false)}
              onDone={() => onDecided('reject')}
            />
          )}
        </>
      )}
    </li>
  );
}

/**
 * When approval is refused the server answers 422 naming each failed rule (and the whole checklist);
 * they are shown as a checklist so the reviewer sees what to reject for.
 */
function RefusedApproval({ error }: { error: ApiError | undefined }) {
  const { t, tMessage } = useI18n();
  if (!error) return null;
  if (error.status !== 422 || error.errors.length === 0) return <ProblemAlert error={error} testId="review-error" />;
  return (
    <div className="alert alert--error" role="alert" data-testid="review-rules">
      <strong>{error.detail ? tMessage(error.detail) : t('review.rulesFailed')}</strong>
      <RuleChecklist results={rulesFromProblem(error.body, error.errors)} />
    </div>
  );
}

/**
 * A review decides the listing and its dossier. The queue on screen is not refetched: a decided listing
 * stays in place, marked, until the reviewer moves on (the next visit loads the queue afresh).
 */
function useReview(id: string) {
  return useChange(
    (body: ReviewBody) => listingsApi.review(id, body),
    [keys.listings.detail(id), keys.dossiers.one(id)],
  );
}

function RejectForm({
  id,
  suggested,
  onCancel,
  onDone,
}: {
  id: string;
  suggested: string[];
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const review = useReview(id);
  return (
    <ReasonForm
      schema={ReviewBody}
      toBody={(reasons) => ({
        decision: 'reject',
        reasons: reasons
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      })}
      send={review.mutateAsync}
      onDone={onDone}
      initial={suggested.join('\n')}
      path="body.reasons"
      shownPaths={(p) => p.startsWith('body.reasons')}
      label={t('review.reasons')}
      hint={t('review.reasonsHint')}
      rows={3}
      submitLabel={t('review.confirmReject')}
      danger
      onCancel={onCancel}
      testId="reject"
      reasonTestId="reject-reasons"
    />
  );
}
