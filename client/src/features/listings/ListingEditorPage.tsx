import { Link, useNavigate, useParams } from 'react-router';
import {
  DELIVERY_MODES,
  ListingCreateBody,
  ListingUpdateBody,
  PRICING_MODELS,
  PRODUCT_TYPES,
  type DeliveryMode,
  type PricingModel,
  type ProductType,
} from '@zdec/shared';
import { authorizationsApi, listingsApi, resourcesApi } from '../../api/endpoints';
import type { AuthorizationView, ListingView } from '../../api/types';
import type { FieldErrors } from '../../components/forms';
import { AsyncBlock, Badge, Field, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { useZodForm } from '../../components/useZodForm';
import { fenToYuanInput, parseYuan } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';
import { EnumSelectField } from '../../components/EnumSelectField';

export function ListingEditorPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const state = useQuery({
    queryKey: keys.listings.detail(id ?? ''),
    queryFn: ({ signal }) => listingsApi.get(id ?? '', signal),
    enabled: Boolean(id),
  });
  return (
    <div>
      <p className="breadcrumb">
        <Link to="/provider">{t('provider.title')}</Link> / {id ? t('provider.editListing') : t('provider.newListing')}
      </p>
      <PageHeader title={id ? t('provider.editListing') : t('provider.newListing')} />
      {id ? <AsyncBlock state={state}>{(listing) => <ListingForm listing={listing} />}</AsyncBlock> : <ListingForm />}
    </div>
  );
}

const TOP = [
  'title',
  'summary',
  'productType',
  'sourceResourceIds',
  'authorizationId',
  'deIdentified',
  'deliveryMode',
  'pricing',
  'pricing.model',
  'pricing.priceFen',
  'pricing.unit',
  'pricing.periodDays',
  'tags',
];
const isShown = (p: string) => TOP.some((f) => p === `body.${f}`);

function authorizationResourceIds(a: AuthorizationView | undefined): string[] | null {
  if (!a) return null;
  if (a.resourceIds?.length) return a.resourceIds;
  const fromRefs = (a.resources ?? []).map((r) => r.id);
  return fromRefs.length ? fromRefs : null;
}

interface ListingFields {
  title: string;
  summary: string;
  productType: ProductType;
  authorizationId: string;
  deIdentified: boolean;
  deliveryMode: DeliveryMode;
  model: PricingModel;
  price: string;
  unit: string;
  periodDays: string;
  tags: string;
  sourceIds: string[];
}

/** The body from the fields: the price typed in yuan, a unit or a period only for the models that have one. */
function listingBody(v: ListingFields) {
  const priceFen = v.price.trim() === '' ? undefined : parseYuan(v.price);
  return {
    title: v.title,
    summary: v.summary,
    productType: v.productType,
    sourceResourceIds: v.sourceIds,
    ...(v.authorizationId ? { authorizationId: v.authorizationId } : {}),
    deIdentified: v.deIdentified,
    deliveryMode: v.deliveryMode,
    pricing: {
      model: v.model,
      priceFen: priceFen ?? undefined,
      ...(v.model === 'per_call' && v.unit.trim() ? { unit: v.unit.trim() } : {}),
      ...(v.model === 'subscription' && v.periodDays.trim() ? { periodDays: Number(v.periodDays) } : {}),
    },
    tags: v.tags
      .split(/[,，、]/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

function ListingForm({ listing }: { listing?: ListingView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const form = useZodForm({
    schema: listing ? ListingUpdateBody : ListingCreateBody,
    defaultValues: {
      title: listing?.title ?? '',
      summary: listing?.summary ?? '',
      productType: (listing?.productType ?? 'dataset') as ProductType,
      authorizationId: listing?.authorizationId ?? '',
      deIdentified: listing?.deIdentified ?? false,
      deliveryMode: (listing?.deliveryMode ?? 'download') as DeliveryMode,
      model: (listing?.pricing?.model ?? 'one_time') as PricingModel,
      price: fenToYuanInput(listing?.pricing?.priceFen),
      unit: listing?.pricing?.unit ?? '',
      periodDays: listing?.pricing?.periodDays ? String(listing.pricing.periodDays) : '',
      tags: (listing?.tags ?? []).join(', '),
      sourceIds: listing?.sourceResourceIds ?? [],
    },
    toBody: listingBody,
    refine: ({ price }): FieldErrors =>
      price.trim() !== '' && parseYuan(price) === null ? { 'body.pricing.priceFen': t('validation.yuan') } : {},
  });
  const save = useChange(
    (body: ListingUpdateBody | ListingCreateBody) =>
      listing ? listingsApi.update(listing.id, body) : listingsApi.create(body as ListingCreateBody),
    [keys.listings.all],
  );
  const authorizations = useQuery({
    queryKey: keys.authorizations.active,
    queryFn: ({ signal }) => authorizationsApi.list({ status: 'active', pageSize: 100 }, signal),
  });
  const resources = useQuery({
    queryKey: keys.resources.registered,
    queryFn: ({ signal }) => resourcesApi.list({ status: 'registered', pageSize: 100, sort: 'name' }, signal),
  });

  const [authorizationId, model, sourceIds] = form.watch(['authorizationId', 'model', 'sourceIds']);
  const setSourceIds = (next: string[]) => form.setValue('sourceIds', next);

  const selectedAuthorization = authorizations.data?.items.find((a) => a.id === authorizationId);
  const allowedIds = authorizationResourceIds(selectedAuthorization);

  const onSubmit = form.onSubmit(async (body) => {
    const done = await form.submit(() => save.mutateAsync(body));
    if (done) navigate('/provider');
  });

  const resourceOptions = (resources.data?.items ?? []).filter(
    (r) => allowedIds === null || allowedIds.includes(r.id) || sourceIds.includes(r.id),
  );

  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid="listing-form">
      <div className="grid-2">
        <Field label={t('listing.title')} path="body.title" errors={form.errors} required>
          {(p) => <input {...p} {...form.register('title')} data-testid="listing-title" />}
        </Field>
        <EnumSelectField
          label={t('listing.productType')}
          path="body.productType"
          errors={form.errors}
          field={form.register('productType')}
          values={PRODUCT_TYPES}
          kind="productType"
          testId="listing-product-type"
          required
        />
      </div>
      <Field label={t('listing.summary')} path="body.summary" errors={form.errors}>
        {(p) => <textarea {...p} rows={4} {...form.register('summary')} data-testid="listing-summary" />}
      </Field>

      <fieldset className="fieldset">
        <legend>{t('listing.sources')}</legend>
        <Field
          label={t('listing.authorization')}
          path="body.authorizationId"
          errors={form.errors}
          hint={t('listing.authorizationHint')}
        >
          {(p) => (
            <select {...p} {...form.register('authorizationId')} data-testid="listing-authorization">
              <option value="">{t('listing.ownData')}</option>
              {(authorizations.data?.items ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.number ?? a.id} · {a.purpose ?? ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        {authorizations.error && <p className="muted small">{t('listing.authorizationsUnavailable')}</p>}
        <div
          className="checkbox-group"
          role="group"
          aria-labelledby="listing-sources-label"
          data-testid="listing-sources"
        >
          <p id="listing-sources-label" className="label">
            {t('listing.sourceResources')}
          </p>
          <AsyncBlock state={resources} isEmpty={() => resourceOptions.length === 0} empty={t('listing.noResources')}>
            {() => (
              <div className="checkbox-group__options checkbox-group__options--list">
                {resourceOptions.map((r) => (
                  <label key={r.id} className="checkbox">
                    <input
                      type="checkbox"
                      checked={sourceIds.includes(r.id)}
                      onChange={(e) =>
                        setSourceIds(e.target.checked ? [...sourceIds, r.id] : sourceIds.filter((x) => x !== r.id))
                      }
                      data-testid="listing-source"
                      data-id={r.id}
                    />
                    <span>
                      {r.name} <span className="code small">{r.registrationNumber}</span>{' '}
                      <Badge kind="grade" value={r.grade} testId="grade-badge" />{' '}
                      {r.level && <Badge kind="level" value={r.level} testId="level-badge" />}{' '}
                    </span>
                  </label>
                ))}
              </div>
            )}
          </AsyncBlock>
          {form.errors['body.sourceResourceIds'] && (
            <div className="field__error" data-testid="field-error" data-path="body.sourceResourceIds">
              {form.errors['body.sourceResourceIds']}
            </div>
          )}
        </div>
        <label className="checkbox">
          <input type="checkbox" {...form.register('deIdentified')} data-testid="listing-deidentified" />
          {t('listing.deIdentifiedDeclare')}
        </label>
        {form.errors['body.deIdentified'] && <div className="field__error">{form.errors['body.deIdentified']}</div>}
      </fieldset>

      <fieldset className="fieldset">
        <legend>{t('listing.deliveryAndPrice')}</legend>
        <div className="grid-2">
          <EnumSelectField
            label={t('listing.deliveryMode')}
            path="body.deliveryMode"
            errors={form.errors}
            field={form.register('deliveryMode')}
            values={DELIVERY_MODES}
            kind="deliveryMode"
            testId="listing-delivery-mode"
            hint={t('listing.deliveryHint')}
            required
          />
          <EnumSelectField
            label={t('listing.pricingModel')}
            path="body.pricing.model"
            errors={form.errors}
            field={form.register('model')}
            values={PRICING_MODELS}
            kind="pricingModel"
            testId="listing-pricing-model"
            required
          />
          <Field
            label={t('listing.priceYuan')}
            path="body.pricing.priceFen"
            errors={form.errors}
            hint={t('listing.priceHint')}
            required
          >
            {(p) => <input {...p} inputMode="decimal" {...form.register('price')} data-testid="listing-price" />}
          </Field>
          {model === 'per_call' && (
            <Field label={t('listing.unit')} path="body.pricing.unit" errors={form.errors} hint={t('listing.unitHint')}>
              {(p) => <input {...p} {...form.register('unit')} data-testid="listing-unit" />}
            </Field>
          )}
          {model === 'subscription' && (
            <Field label={t('listing.periodDays')} path="body.pricing.periodDays" errors={form.errors} required>
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min={1}
                  step={1}
                  inputMode="numeric"
                  {...form.register('periodDays')}
                  data-testid="listing-period-days"
                />
              )}
            </Field>
          )}
        </div>
      </fieldset>
      <Field label={t('listing.tags')} path="body.tags" errors={form.errors} hint={t('listing.tagsHint')}>
        {(p) => <input {...p} {...form.register('tags')} data-testid="listing-tags" />}
      </Field>
      <FormFooter
        form={form}
        shownPaths={isShown}
        label={t('common.save')}
        testId="listing-save"
        actions={
          <Link className="btn btn--secondary" to="/provider">
            {t('common.cancel')}
          </Link>
        }
      />
    </form>
  );
}
