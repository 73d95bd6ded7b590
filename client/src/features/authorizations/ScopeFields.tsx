import {
  DELIVERY_MODES,
  PRICING_MODELS,
  PRODUCT_TYPES,
  type DeliveryMode,
  type FeeCaps,
  type PricingModel,
  type ProductType,
} from '@zdec/shared';
import { resourcesApi } from '../../api/endpoints';
import type { ResourceRef } from '../../api/types';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import type { FieldErrors } from '../../components/forms';
import { AsyncBlock, Badge, Field } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { fenToYuanInput, parseYuan, todayInShanghai } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';

/*
 * The pieces of an authorization's scope that the authority's grant, the operator's application
 * (and renewal) and the authority's approval share: the resources, purpose, product types,
 * delivery modes and term, and the fee caps (政府指导价).
 */

/** What an authorization covers, as the forms hold it (the term as Shanghai calendar dates). */
export interface Scope {
  resourceIds: string[];
  purpose: string;
  productTypes: ProductType[];
  deliveryModes: DeliveryMode[];
  validFrom: string;
  validTo: string;
}

export function plusOneYear(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(y) + 1}-${m}-${d}`;
}

export function defaultScope(): Scope {
  const today = todayInShanghai();
  return {
    resourceIds: [],
    purpose: '',
    productTypes: ['dataset', 'api'],
    deliveryModes: ['download', 'api'],
    validFrom: today,
    validTo: plusOneYear(today),
  };
}

/** The paths of the scope fields, for the alert that lists only the errors without a field on screen. */
export const SCOPE_PATHS = [
  'body.purpose',
  'body.allowedProductTypes',
  'body.allowedDeliveryModes',
  'body.validFrom',
  'body.validTo',
];
export const FEE_CAP_PATHS = PRICING_MODELS.map((m) => `body.feeCaps.${m}`);
export const isResourcePath = (path: string) => path.startsWith('body.resourceIds');

/**
 * The request fields of a scope. The days typed are Asia/Shanghai calendar days: the term runs from
 * the start of the first to the end of the last, whatever the time zone of the browser.
 */
export function scopeBody(s: Scope) {
  return {
    resourceIds: s.resourceIds,
    purpose: s.purpose,
    allowedProductTypes: s.productTypes,
    allowedDeliveryModes: s.deliveryModes,
    validFrom: s.validFrom && `${s.validFrom}T00:00:00+08:00`,
    validTo: s.validTo && `${s.validTo}T23:59:59.999+08:00`,
  };
}

const TERM = [
  ['validFrom', 'body.validFrom', 'valid-from'],
  ['validTo', 'body.validTo', 'valid-to'],
] as const;

/** Purpose, product types, delivery modes and the term, with their errors; `testId` prefixes the controls. */
export function ScopeFields({
  value,
  onChange,
  errors,
  testId,
}: {
  value: Scope;
  onChange: (next: Scope) => void;
  errors: FieldErrors;
  testId: string;
}) {
  const { t, tEnum } = useI18n();
  const set = <K extends keyof Scope>(key: K, v: Scope[K]) => onChange({ ...value, [key]: v });
  return (
    <>
      <Field label={t('authz.purpose')} path="body.purpose" errors={errors} required>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={value.purpose}
            onChange={(e) => set('purpose', e.target.value)}
            data-testid={`${testId}-purpose`}
          />
        )}
      </Field>
      <CheckboxGroup
        legend={t('authz.productTypes')}
        options={PRODUCT_TYPES}
        value={value.productTypes}
        onChange={(v) => set('productTypes', v)}
        label={(o) => tEnum('productType', o)}
        error={errors['body.allowedProductTypes']}
        errorPath="body.allowedProductTypes"
        testId={`${testId}-product-types`}
      />
      <CheckboxGroup
        legend={t('authz.deliveryModes')}
        options={DELIVERY_MODES}
        value={value.deliveryModes}
        onChange={(v) => set('deliveryModes', v)}
        label={(o) => tEnum('deliveryMode', o)}
        error={errors['body.allowedDeliveryModes']}
        errorPath="body.allowedDeliveryModes"
        testId={`${testId}-delivery-modes`}
      />
      <div className="grid-2">
        {TERM.map(([key, path, testSuffix]) => (
          <Field key={key} label={t(`authz.${key}`)} path={path} errors={errors} required>
            {(p) => (
              <input
                {...p}
                type="date"
                value={value[key]}
                onChange={(e) => set(key, e.target.value)}
                data-testid={`${testId}-${testSuffix}`}
              />
            )}
          </Field>
        ))}
      </div>
    </>
  );
}

/**
 * The registered resources the caller may see, to tick; closed, core and enterprise resources are
 * shown but cannot be authorized. Ticked resources beyond the loaded page (a renewal's) stay listed
 * under the names in `known`.
 */
export function ResourcePicker({
  value,
  onChange,
  errors,
  testId,
  known = [],
}: {
  value: string[];
  onChange: (next: string[]) => void;
  errors: FieldErrors;
  testId: string;
  known?: ResourceRef[];
}) {
  const { t, tEnum } = useI18n();
  const resources = useQuery({
    queryKey: keys.resources.registered,
    queryFn: ({ signal }) => resourcesApi.list({ status: 'registered', pageSize: 100, sort: 'name' }, signal),
  });
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((x) => x !== id));
  const checkbox = (id: string, disabled = false) => (
    <input
      type="checkbox"
      checked={value.includes(id)}
      disabled={disabled}
      onChange={(e) => toggle(id, e.target.checked)}
      data-testid={`${testId}-resource`}
      data-id={id}
    />
  );
  return (
    <fieldset className="checkbox-group" data-testid={`${testId}-resources`}>
      <legend>
        {t('authz.resources')}
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      </legend>
      <AsyncBlock state={resources} isEmpty={(d) => d.items.length === 0} empty={t('authz.noRegisteredResources')}>
        {(data) => {
          const loaded = new Set(data.items.map((r) => r.id));
          const extra = known.filter((r) => value.includes(r.id) && !loaded.has(r.id));
          return (
            <div className="checkbox-group__options checkbox-group__options--list">
              {extra.map((r) => (
                <label key={r.id} className="checkbox">
                  {checkbox(r.id)}
                  <span>
                    {r.name ?? r.id} <span className="code small">{r.registrationNumber}</span>
                  </span>
                </label>
              ))}
              {data.items.map((r) => {
                const why =
                  r.kind === 'enterprise'
                    ? t('apps.enterpriseResource')
                    : r.openness === 'closed' || r.grade === 'core'
                      ? t('authz.notAuthorizable')
                      : null;
                return (
                  <label key={r.id} className="checkbox">
                    {checkbox(r.id, why !== null && !value.includes(r.id))}
                    <span>
                      {r.name} <span className="code small">{r.registrationNumber}</span>{' '}
                      <Badge kind="grade" value={r.grade} testId="grade-badge" /> {tEnum('openness', r.openness)}
                      {why && <span className="muted small"> — {why}</span>}
                    </span>
                  </label>
                );
              })}
            </div>
          );
        }}
      </AsyncBlock>
      {Object.entries(errors)
        .filter(([path]) => isResourcePath(path))
        .map(([path, message]) => (
          <div key={path} className="field__error" data-testid="field-error" data-path={path}>
            {message}
          </div>
        ))}
    </fieldset>
  );
}

/** Fee caps as typed (yuan text per pricing model). */
export type CapsInput = Record<PricingModel, string>;

export function capsInput(caps: FeeCaps = {}): CapsInput {
  return {
    one_time: fenToYuanInput(caps.one_time),
    subscription: fenToYuanInput(caps.subscription),
    per_call: fenToYuanInput(caps.per_call),
  };
}

/** The typed caps in integer fen (blank: no cap), or the field errors of those that are not amounts. */
export function parseCaps(caps: CapsInput, message: string): { feeCaps: FeeCaps; errors: FieldErrors } {
  const feeCaps: FeeCaps = {};
  const errors: FieldErrors = {};
  for (const m of PRICING_MODELS) {
    const text = caps[m].trim();
    if (!text) continue;
    const fen = parseYuan(text);
    if (fen === null) errors[`body.feeCaps.${m}`] = message;
    else feeCaps[m] = fen;
  }
  return { feeCaps, errors };
}

/** One input per pricing model, in yuan; `testId` prefixes the inputs (`grant-cap-one_time`). */
export function FeeCapsFields({
  value,
  onChange,
  errors,
  testId,
}: {
  value: CapsInput;
  onChange: (next: CapsInput) => void;
  errors: FieldErrors;
  testId: string;
}) {
  const { t, tEnum } = useI18n();
  return (
    <fieldset className="fieldset">
      <legend>{t('authz.feeCaps')}</legend>
      <p className="muted small">{t('authz.feeCapsHint')}</p>
      <div className="grid-3">
        {PRICING_MODELS.map((m) => (
          <Field
            key={m}
            label={t('authz.capFor', { model: tEnum('pricingModel', m) })}
            path={`body.feeCaps.${m}`}
            errors={errors}
          >
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={value[m]}
                onChange={(e) => onChange({ ...value, [m]: e.target.value })}
                data-testid={`${testId}-cap-${m}`}
              />
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
