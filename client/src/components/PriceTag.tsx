import type { Pricing } from '@zdec/shared';
import { formatMoney } from '../i18n/format';
import { useI18n } from '../i18n/I18nProvider';

/** `¥1,200.00 / 30 天`, `¥0.50 / 次`, or a one-time price. */
export function PriceTag({ pricing }: { pricing: Pricing | undefined }) {
  const { t } = useI18n();
  if (!pricing) return <span className="muted">—</span>;
  let suffix = '';
  if (pricing.model === 'subscription') suffix = t('price.perPeriod', { days: pricing.periodDays ?? '?' });
  else if (pricing.model === 'per_call') suffix = t('price.perUnit', { unit: pricing.unit ?? t('price.call') });
  return (
    <span className="price" data-testid="price">
      <span className="price__amount">{formatMoney(pricing.priceFen)}</span>
      {suffix && <span className="price__unit"> {suffix}</span>}
    </span>
  );
}
