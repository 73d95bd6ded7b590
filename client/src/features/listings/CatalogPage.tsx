import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DOMAIN_KEYS, GRADES, LISTING_SORTS, PRODUCT_TYPES } from '@zdec/shared';
import { listingCode, listingProvider } from '../../api/refs';
import type { ListingView } from '../../api/types';
import type { FieldErrors } from '../../components/forms';
import { enumFilter, FilterBar } from '../../components/FilterBar';
import { PriceTag } from '../../components/PriceTag';
import { PagedList } from '../../components/PagedList';
import { AsyncBlock, Badge, Field, PageHeader } from '../../components/ui';
import { fenToYuanInput, parseYuan } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { usePagedSearch } from '../../components/usePagedSearch';
import { Facets, type CatalogFacets } from './Facets';
import { useListingSearch } from './useListingSearch';

const PAGE_SIZE = 12;
const FILTERS = ['q', 'type', 'domain', 'grade', 'minPriceFen', 'maxPriceFen', 'sort'] as const;

interface Filters {
  q: string;
  type: string;
  domain: string;
  grade: string;
  minPrice: string;
  maxPrice: string;
}

function filtersFrom(params: URLSearchParams): Filters {
  const min = params.get('minPriceFen');
  const max = params.get('maxPriceFen');
  return {
    q: params.get('q') ?? '',
    type: params.get('type') ?? '',
    domain: params.get('domain') ?? '',
    grade: params.get('grade') ?? '',
    minPrice: min ? fenToYuanInput(Number(min)) : '',
    maxPrice: max ? fenToYuanInput(Number(max)) : '',
  };
}

export function CatalogPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const search = usePagedSearch({ filters: FILTERS, pageSize: PAGE_SIZE });
  const { query, setFilters: update } = search;
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(params));
  const [errors, setErrors] = useState<FieldErrors>({});
  // With keywords the server ranks by relevance unless another order is asked for.
  const sort = query.sort ?? (query.q ? 'relevance' : 'newest');

  useEffect(() => setFilters(filtersFrom(params)), [params]);

  const state = useListingSearch(query);
  // Kept while the next page loads, so the facet column does not jump.
  const [facets, setFacets] = useState<CatalogFacets | undefined>(undefined);
  const loaded = (state.data as { facets?: CatalogFacets } | undefined)?.facets;
  useEffect(() => {
    if (loaded) setFacets(loaded);
  }, [loaded]);

  function onSubmit() {
    const errs: FieldErrors = {};
    const min = filters.minPrice.trim() ? parseYuan(filters.minPrice) : undefined;
    const max = filters.maxPrice.trim() ? parseYuan(filters.maxPrice) : undefined;
    if (min === null) errs['query.minPriceFen'] = t('validation.yuan');
    if (max === null) errs['query.maxPriceFen'] = t('validation.yuan');
    if (typeof min === 'number' && typeof max === 'number' && max < min)
      errs['query.maxPriceFen'] = t('validation.range');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    update({
      q: filters.q.trim(),
      type: filters.type,
      domain: filters.domain,
      grade: filters.grade,
      minPriceFen: min === undefined || min === null ? undefined : String(min),
      maxPriceFen: max === undefined || max === null ? undefined : String(max),
    });
  }

  return (
    <div>
      <PageHeader title={t('catalog.title')} subtitle={t('catalog.subtitle')} />
      <FilterBar
        role="search"
        testId="catalog-filters"
        submitTestId="catalog-search"
        values={{ ...filters }}
        onChange={(name, value) => setFilters({ ...filters, [name]: value })}
        onSubmit={onSubmit}
        errors={errors}
        fields={[
          {
            kind: 'search',
            name: 'q',
            label: t('catalog.q'),
            className: 'filters__q',
            input: { placeholder: t('catalog.qPlaceholder') },
            testId: 'catalog-q',
          },
          enumFilter('type', t('listing.productType'), PRODUCT_TYPES, 'productType', { testId: 'catalog-type' }),
          enumFilter('domain', t('listing.domain'), DOMAIN_KEYS, 'domain', { testId: 'catalog-domain' }),
          enumFilter(
            'grade',
            t('listing.grade'),
            GRADES.filter((g) => g !== 'core'),
            'grade',
            { testId: 'catalog-grade' },
          ),
          {
            kind: 'text',
            name: 'minPrice',
            label: t('catalog.minPrice'),
            path: 'query.minPriceFen',
            input: { inputMode: 'decimal' },
            testId: 'catalog-min-price',
          },
          {
            kind: 'text',
            name: 'maxPrice',
            label: t('catalog.maxPrice'),
            path: 'query.maxPriceFen',
            input: { inputMode: 'decimal' },
            testId: 'catalog-max-price',
          },
        ]}
        onReset={() => {
          setErrors({});
          search.replaceFilters({});
        }}
      />

      <div className="toolbar">
        <span className="muted" aria-live="polite" data-testid="catalog-total">
          {state.data ? t('catalog.total', { total: state.data.total }) : ''}
        </span>
        <Field label={t('catalog.sort')} className="field--inline">
          {(p) => (
            <select {...p} value={sort} onChange={(e) => update({ sort: e.target.value })} data-testid="catalog-sort">
              {LISTING_SORTS.filter((s) => s !== 'relevance' || query.q).map((s) => (
                <option key={s} value={s}>
                  {t(`catalog.sort.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <div className="catalog-body">
        {facets ? (
          <Facets
            facets={facets}
            current={{
              type: query.type,
              domain: query.domain,
              grade: query.grade,
              minPriceFen: query.minPriceFen,
              maxPriceFen: query.maxPriceFen,
            }}
            onChange={update}
          />
        ) : (
          <div />
        )}
        <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('catalog.empty')}>
          {(data) => (
            <PagedList data={data} onPage={search.setPage} className="cards" testId="catalog-results">
              {(l) => <ListingCard key={l.id} listing={l} />}
            </PagedList>
          )}
        </AsyncBlock>
      </div>
    </div>
  );
}

function ListingCard({ listing: l }: { listing: ListingView }) {
  const { t, tEnum } = useI18n();
  const code = listingCode(l);
  return (
    <li className="card listing-card" data-testid="listing-card" data-id={l.id} data-code={code}>
      <div className="listing-card__head">
        <h2 className="listing-card__title">
          <Link to={`/listings/${l.id}`} data-testid="listing-link">
            {l.title}
          </Link>
        </h2>
        {code && <span className="code">{code}</span>}
      </div>
      <div className="listing-card__meta">
        {l.productType && <span className="tag">{tEnum('productType', l.productType)}</span>}
        {(l.domains ?? []).map((d) => (
          <span key={d} className="tag">
            {tEnum('domain', d)}
          </span>
        ))}
        {l.deliveryMode && <span className="tag">{tEnum('deliveryMode', l.deliveryMode)}</span>}
        <Badge kind="grade" value={l.grade} testId="grade-badge" />
      </div>
      {l.summary && <p className="listing-card__summary">{l.summary}</p>}
      <div className="listing-card__foot">
        <span className="muted">{listingProvider(l) ?? t('listing.providerUnknown')}</span>
        <PriceTag pricing={l.pricing} />
      </div>
    </li>
  );
}
