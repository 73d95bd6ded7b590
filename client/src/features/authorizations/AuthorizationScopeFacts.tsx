import type { ReactNode } from 'react';
import type { DeliveryMode, ProductType } from '@zdec/shared';
import type { ResourceRef } from '../../api/types';
import { useI18n } from '../../i18n/I18nProvider';

/** The scope of an authorization or of an application for one. */
export interface ScopeView {
  purpose?: string;
  validFrom?: string;
  validTo?: string;
  resources?: ResourceRef[];
  resourceIds?: string[];
  allowedProductTypes?: ProductType[];
  allowedDeliveryModes?: DeliveryMode[];
}

/** Purpose, term, resources, product types and delivery modes, then any `extra` rows. */
export function AuthorizationScopeFacts({
  scope: a,
  extra = [],
  withPurpose = true,
}: {
  scope: ScopeView;
  extra?: readonly (readonly [string, ReactNode])[];
  /** Off where the purpose is already the card's title. */
  withPurpose?: boolean;
}) {
  const { t, tEnum, date, locale } = useI18n();
  const sep = locale === 'en' ? ', ' : '、';
  const resources = (a.resources ?? []).map(
    (r) => `${r.name ?? r.id}${r.registrationNumber ? ` (${r.registrationNumber})` : ''}`,
  );
  const rows: (readonly [string, ReactNode])[] = [
    ...(withPurpose ? [[t('authz.purpose'), a.purpose ?? '—'] as const] : []),
    [t('authz.validity'), `${date(a.validFrom)} – ${date(a.validTo)}`],
    [t('authz.resources'), resources.length ? resources.join(sep) : (a.resourceIds ?? []).join(sep) || '—'],
    [t('authz.productTypes'), (a.allowedProductTypes ?? []).map((p) => tEnum('productType', p)).join(sep) || '—'],
    [t('authz.deliveryModes'), (a.allowedDeliveryModes ?? []).map((m) => tEnum('deliveryMode', m)).join(sep) || '—'],
    ...extra,
  ];
  return (
    <dl className="facts facts--compact">
      {rows.map(([label, value]) => (
        <div key={label} className="facts__row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
