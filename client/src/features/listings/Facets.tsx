import { useI18n, type MessageKey } from '../../i18n/I18nProvider';
import './facets.css';

/** Facet counts of GET /listings (server: modules/listings/catalog/engine.ts). */
export interface CatalogFacets {
  domain: { value: string; count: number }[];
  type: { value: string; count: number }[];
  grade: { value: string; count: number }[];
  price: { band: string; minPriceFen: number; maxPriceFen: number | null; count: number }[];
}

interface Props {
  facets: CatalogFacets;
  /** The filters in force (URL parameters). */
  current: { type?: string; domain?: string; grade?: string; minPriceFen?: string; maxPriceFen?: string };
  onChange: (next: Record<string, string | undefined>) => void;
}

/**
 * The catalog's facets: how many products each domain, type, grade and price band has among the
 * current results (a facet counts with every other filter applied). Choosing a value filters by it;
 * choosing it again clears it.
 */
export function Facets({ facets, current, onChange }: Props) {
  const { t, tEnum } = useI18n();
  const group = (name: 'domain' | 'type' | 'grade', label: MessageKey, kind: 'domain' | 'productType' | 'grade') => (
    <div className="facets__group" data-testid={`facet-${name}`}>
      <h3 className="facets__title">{t(label)}</h3>
      <ul>
        {facets[name].map((f) => {
          const on = current[name] === f.value;
          return (
            <FacetValue
              key={f.value}
              value={f.value}
              label={tEnum(kind, f.value)}
              count={f.count}
              on={on}
              onClick={() => onChange({ [name]: on ? undefined : f.value, page: undefined })}
            />
          );
        })}
      </ul>
    </div>
  );
  return (
    <aside className="card facets" aria-label={t('catalog.facets')} data-testid="catalog-facets">
      {group('domain', 'listing.domain', 'domain')}
      {group('type', 'listing.productType', 'productType')}
      {group('grade', 'listing.grade', 'grade')}
      <div className="facets__group" data-testid="facet-price">
        <h3 className="facets__title">{t('catalog.facet.price')}</h3>
        <ul>
          {facets.price
            .filter((b) => b.count > 0)
            .map((b) => {
              const min = String(b.minPriceFen);
              const max = b.maxPriceFen === null ? undefined : String(b.maxPriceFen);
              const on = current.minPriceFen === min && current.maxPriceFen === max;
              return (
                <FacetValue
                  key={b.band}
                  value={b.band}
                  label={t(`catalog.band.${b.band}` as MessageKey)}
                  count={b.count}
                  on={on}
                  onClick={() =>
                    onChange(
                      on
                        ? { minPriceFen: undefined, maxPriceFen: undefined, page: undefined }
                        : { minPriceFen: min, maxPriceFen: max, page: undefined },
                    )
                  }
                />
              );
            })}
        </ul>
      </div>
    </aside>
  );
}

/** One value of a facet: pressed while it filters the list; a click toggles it. */
function FacetValue({
  value,
  label,
  count,
  on,
  onClick,
}: {
  value: string;
  label: string;
  count: number;
  on: boolean;
  onClick: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={`facets__value${on ? ' facets__value--on' : ''}`}
        aria-pressed={on}
        onClick={onClick}
        data-testid="facet-value"
        data-value={value}
      >
        <span>{label}</span>
        <span className="facets__count">{count}</span>
      </button>
    </li>
  );
}
