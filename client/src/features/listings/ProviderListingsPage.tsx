import { useState } from 'react';
import { Link } from 'react-router';
import { DelistBody, LISTING_STATUSES } from '@zdec/shared';
import { listingsApi } from '../../api/endpoints';
import { asApiError, type ApiError } from '../../api/errors';
import { listingCode } from '../../api/refs';
import type { ListingView, RuleResult } from '../../api/types';
import { FilterBar, enumFilter, useUrlFilters } from '../../components/FilterBar';
import { PriceTag } from '../../components/PriceTag';
import { AsyncBlock, Badge, PageHeader, ProblemAlert } from '../../components/ui';
import { PagedList } from '../../components/PagedList';
import { keys } from '../../api/queryKeys';
import { useChange, useInvalidate } from '../../components/useChange';
import { FileUpload } from '../../components/FileUpload';
import { RuleChecklist } from '../../components/RuleChecklist';
import { ReasonForm } from '../../components/ReasonForm';
import { useAuth } from '../../auth/AuthProvider';
import { usePagedSearch } from '../../components/usePagedSearch';
import { useI18n } from '../../i18n/I18nProvider';
import { BusyButton } from '../../components/FormActions';
import { useListingSearch } from './useListingSearch';
import { ReceiptLink } from '../receipts/ReceiptPage'; // verifiable receipts (issue 15)

const EDITABLE = new Set(['draft', 'rejected']);

/** The provider's products: create, edit while draft or rejected, submit for review, delist. */
export function ProviderListingsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const search = usePagedSearch({ filters: ['status'] });
  const urlFilters = useUrlFilters(search);
  const query = { mine: 'true', ...search.query, sort: 'newest' };
  const state = useListingSearch(query);

  return (
    <div>
      <PageHeader
        title={t('provider.title')}
        subtitle={t('provider.subtitle')}
        actions={
          <>
            <Link className="btn btn--secondary" to="/orders" data-testid="provider-orders-link">
              {t('provider.orders')}
            </Link>
            <Link className="btn btn--primary" to="/provider/listings/new" data-testid="listing-new">
              {t('provider.newListing')}
            </Link>
          </>
        }
      />
      {user && (
        <p className="muted small" data-testid="provider-org-id">
          {t('provider.orgId', { name: user.org.name })} <span className="code">{user.org.id}</span>
        </p>
      )}
      <FilterBar
        layout="toolbar"
        {...urlFilters}
        fields={[
          enumFilter('status', t('listing.status'), LISTING_STATUSES, 'listingStatus', {
            testId: 'provider-status-filter',
          }),
        ]}
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('provider.empty')}>
        {(data) => (
          <PagedList data={data} onPage={search.setPage}>
            {(l) => <ProviderListingRow key={l.id} listing={l} />}
          </PagedList>
        )}
      </AsyncBlock>
    </div>
  );
}

function ProviderListingRow({ listing: l }: { listing: ListingView }) {
  const { t, tEnum, dateTime } = useI18n();
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);
  const [delisting, setDelisting] = useState(false);
  const [checklist, setChecklist] = useState<RuleResult[]>();
  const [showFiles, setShowFiles] = useState(false);
  const status = l.status ?? 'draft';
  const lastReview = (l.reviews ?? []).at(-1);
  const invalidate = useInvalidate();
  const changed = () => invalidate([keys.listings.all]);
  const submitChange = useChange(() => listingsApi.submit(l.id), [keys.listings.all]);

  async function submit() {
    setPending(true);
    setError(undefined);
    try {
      const res = await submitChange.mutateAsync();
      setChecklist(res?.checklist);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="card" data-testid="provider-listing-row" data-id={l.id} data-status={status}>
      <div className="row-head">
        <div>
          <h2 className="row-head__title">
            {status === 'listed' ? <Link to={`/listings/${l.id}`}>{l.title}</Link> : l.title}
          </h2>
          <span className="code">{listingCode(l) ?? t('listing.noCode')}</span>
          {listingCode(l) && <ReceiptLink kind="listing" id={l.id} />}
        </div>
        <Badge kind="listingStatus" value={status} />
      </div>
      <p className="muted small">
        {tEnum('productType', l.productType)} · {tEnum('deliveryMode', l.deliveryMode)} ·{' '}
        <PriceTag pricing={l.pricing} /> · {t('common.updatedAt')} {dateTime(l.updatedAt ?? l.createdAt)}
      </p>
      {l.statusReason && status !== 'listed' && (
        <p className="muted small" data-testid="status-reason">
          {t('provider.statusReason')}: {l.statusReason}
        </p>
      )}
      {status === 'rejected' && lastReview?.reasons && lastReview.reasons.length > 0 && (
        <div className="alert alert--warning" data-testid="rejection-reasons">
          <strong>{t('provider.rejectedBecause')}</strong>
          <ul>
            {lastReview.reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="row-actions">
        {EDITABLE.has(status) && (
          <>
            <Link className="btn btn--secondary" to={`/provider/listings/${l.id}/edit`} data-testid="listing-edit">
              {t('common.edit')}
            </Link>
            <button
              type="button"
              className="btn btn--secondary"
              aria-expanded={showFiles}
              onClick={() => setShowFiles((s) => !s)}
              data-testid="listing-files"
            >
              {t('provider.files')}
            </button>
            <BusyButton label={t('provider.submitForReview')} busy={pending} onClick={submit} testId="listing-submit" />
          </>
        )}
        {status === 'listed' && !delisting && (
          <button
            type="button"
            className="btn btn--danger"
            onClick={() => setDelisting(true)}
            data-testid="listing-delist"
          >
            {t('provider.delist')}
          </button>
        )}
      </div>
      <p className="muted small">
        {t('provider.sampleFile')}: {l.sample?.filename ?? t('provider.noFile')} · {t('provider.dataFile')}:{' '}
        {l.dataFile?.filename ?? (l.deliveryMode === 'sandbox' ? t('provider.notNeeded') : t('provider.noFile'))}
        {l.sampleScan?.proposed && (
          <>
            {' '}
            · {t('provider.sampleLevel')}{' '}
            <Badge kind="level" value={l.sampleScan.proposed.level} testId="sample-level" />
          </>
        )}
      </p>
      {showFiles && EDITABLE.has(status) && (
        <div className="inline-form grid-2">
          <FileUpload
            label={t('provider.sampleFile')}
            hint={t('provider.sampleHint')}
            buttonLabel={t('sample.upload')}
            upload={(file, onProgress) => listingsApi.uploadFile(l.id, 'sample', file, onProgress)}
            onUploaded={changed}
            testId="listing-sample"
          />
          <FileUpload
            label={t('provider.dataFile')}
            hint={t('provider.dataHint')}
            buttonLabel={t('sample.upload')}
            upload={(file, onProgress) => listingsApi.uploadFile(l.id, 'data', file, onProgress)}
            onUploaded={changed}
            testId="listing-data"
          />
        </div>
      )}
      {checklist && (
        <div className="alert alert--info" data-testid="submit-checklist">
          <strong>{t('provider.checklistPreview')}</strong>
          <RuleChecklist results={checklist} />
        </div>
      )}
      <ProblemAlert error={error} testId="listing-action-error" />
      {delisting && <DelistForm id={l.id} onCancel={() => setDelisting(false)} onDone={() => setDelisting(false)} />}
    </li>
  );
}

function DelistForm({ id, onCancel, onDone }: { id: string; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const delist = useChange((why: string) => listingsApi.delist(id, why), [keys.listings.all, keys.dossiers.all]);
  return (
    <ReasonForm
      schema={DelistBody}
      send={(body) => delist.mutateAsync(body.reason)}
      onDone={onDone}
      label={t('authz.reason')}
      submitLabel={t('provider.delist')}
      danger
      showWorking={false}
      onCancel={onCancel}
      testId="delist"
    />
  );
}
