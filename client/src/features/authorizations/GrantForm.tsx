import { useState, type FormEvent } from 'react';
import {
  AuthorizationCreateBody,
  DELIVERY_MODES,
  PRICING_MODELS,
  PRODUCT_TYPES,
  type DeliveryMode,
  type PricingModel,
  type ProductType,
} from '@zdec/shared';
import { authorizationsApi, resourcesApi } from '../../api/endpoints';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { validateWith } from '../../components/forms';
import { AsyncBlock, Badge, Field, FormAlert } from '../../components/ui';
import { useAsync } from '../../components/useAsync';
import { useForm } from '../../components/useForm';
import { parseYuan, todayInShanghai } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';

const SHOWN = [
  'body.operatorOrgId',
  'body.resourceIds',
  'body.purpose',
  'body.allowedProductTypes',
  'body.allowedDeliveryModes',
  'body.validFrom',
  'body.validTo',
  ...PRICING_MODELS.map((m) => `body.feeCaps.${m}`),
];
const isShown = (path: string) => path.startsWith('body.resourceIds') || SHOWN.includes(path);

function plusOneYear(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(y) + 1}-${m}-${d}`;
}

/** Grants an operator a scoped, time-limited authorization over registered resources. */
export function GrantForm({
  knownOperators,
  onGranted,
}: {
  knownOperators: Map<string, string>;
  onGranted: () => void;
}) {
  const i18n = useI18n();
  const { t, tEnum } = i18n;
  const form = useForm();
  const resources = useAsync(
    (signal) => resourcesApi.list({ status: 'registered', pageSize: 100, sort: 'name' }, signal),
    [],
  );
  const today = todayInShanghai();
  const [operatorOrgId, setOperator] = useState('');
  const [resourceIds, setResourceIds] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [productTypes, setProductTypes] = useState<ProductType[]>(['dataset', 'api']);
  const [deliveryModes, setDeliveryModes] = useState<DeliveryMode[]>(['download', 'api']);
  const [validFrom, setValidFrom] = useState(today);
  const [validTo, setValidTo] = useState(plusOneYear(today));
  const [caps, setCaps] = useState<Record<PricingModel, string>>({ one_time: '', subscription: '', per_call: '' });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const feeCaps: Partial<Record<PricingModel, number>> = {};
    const capErrors: Record<string, string> = {};
    for (const m of PRICING_MODELS) {
      const text = caps[m].trim();
      if (!text) continue;
      const fen = parseYuan(text);
      if (fen === null) capErrors[`body.feeCaps.${m}`] = t('validation.yuan');
      else feeCaps[m] = fen;
    }
    const result = validateWith(
      AuthorizationCreateBody,
      {
        operatorOrgId: operatorOrgId.trim(),
        resourceIds,
        purpose,
        allowedProductTypes: productTypes,
        allowedDeliveryModes: deliveryModes,
        validFrom,
        validTo,
        feeCaps,
      },
      i18n,
    );
    if (!result.ok || Object.keys(capErrors).length) {
      form.setErrors({ ...(result.ok ? {} : result.errors), ...capErrors });
      return;
    }
    const body = result.data;
    // The days typed are Asia/Shanghai calendar days: the term runs from the start of the first to
    // the end of the last. A bare yyyy-mm-dd would be read as midnight UTC (08:00 in Shanghai), so a
    // grant starting "today" made before 08:00 would not be in force yet.
    const done = await form.submit(() =>
      authorizationsApi.create({
        operatorOrgId: body.operatorOrgId,
        resourceIds: body.resourceIds,
        purpose: body.purpose,
        allowedProductTypes: body.allowedProductTypes,
        allowedDeliveryModes: body.allowedDeliveryModes,
        validFrom: `${validFrom}T00:00:00+08:00`,
        validTo: `${validTo}T23:59:59.999+08:00`,
        feeCaps: body.feeCaps,
      }),
    );
    if (done) onGranted();
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="grant-form">
      <Field
        label={t('authz.operatorOrgId')}
        path="body.operatorOrgId"
        errors={form.errors}
        hint={t('authz.operatorOrgIdHint')}
        required
      >
        {(p) => (
          <>
            <input
              {...p}
              list="known-operators"
              spellCheck={false}
              value={operatorOrgId}
              onChange={(e) => setOperator(e.target.value)}
              data-testid="grant-operator"
            />
            <datalist id="known-operators">
              {[...knownOperators].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </datalist>
          </>
        )}
      </Field>

      <fieldset className="checkbox-group" data-testid="grant-resources">
        <legend>{t('authz.resources')}</legend>
        <AsyncBlock state={resources} isEmpty={(d) => d.items.length === 0} empty={t('authz.noRegisteredResources')}>
          {(data) => (
            <div className="checkbox-group__options checkbox-group__options--list">
              {data.items.map((r) => {
                const blocked = r.openness === 'closed' || r.grade === 'core';
                return (
                  <label key={r.id} className="checkbox">
                    <input
                      type="checkbox"
                      checked={resourceIds.includes(r.id)}
                      disabled={blocked}
                      onChange={(e) =>
                        setResourceIds(
                          e.target.checked ? [...resourceIds, r.id] : resourceIds.filter((x) => x !== r.id),
                        )
                      }
                      data-testid="grant-resource"
                      data-id={r.id}
                    />
                    <span>
                      {r.name} <span className="code small">{r.registrationNumber}</span>{' '}
                      <Badge kind="grade" value={r.grade} testId="grade-badge" /> {tEnum('openness', r.openness)}
                      {blocked && <span className="muted small"> — {t('authz.notAuthorizable')}</span>}
                    </span>
                  </label>
                );
              })}
            </div>
          )}
        </AsyncBlock>
        {Object.entries(form.errors)
          .filter(([path]) => path.startsWith('body.resourceIds'))
          .map(([path, message]) => (
            <div key={path} className="field__error" data-testid="field-error" data-path={path}>
              {message}
            </div>
          ))}
      </fieldset>

      <Field label={t('authz.purpose')} path="body.purpose" errors={form.errors} required>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            data-testid="grant-purpose"
          />
        )}
      </Field>
      <CheckboxGroup
        legend={t('authz.productTypes')}
        options={PRODUCT_TYPES}
        value={productTypes}
        onChange={setProductTypes}
        label={(o) => tEnum('productType', o)}
        error={form.errors['body.allowedProductTypes']}
        errorPath="body.allowedProductTypes"
        testId="grant-product-types"
      />
      <CheckboxGroup
        legend={t('authz.deliveryModes')}
        options={DELIVERY_MODES}
        value={deliveryModes}
        onChange={setDeliveryModes}
        label={(o) => tEnum('deliveryMode', o)}
        error={form.errors['body.allowedDeliveryModes']}
        errorPath="body.allowedDeliveryModes"
        testId="grant-delivery-modes"
      />
      <div className="grid-2">
        <Field label={t('authz.validFrom')} path="body.validFrom" errors={form.errors} required>
          {(p) => (
            <input
              {...p}
              type="date"
              value={validFrom}
              onChange={(e) => setValidFrom(e.target.value)}
              data-testid="grant-valid-from"
            />
          )}
        </Field>
        <Field label={t('authz.validTo')} path="body.validTo" errors={form.errors} required>
          {(p) => (
            <input
              {...p}
              type="date"
              value={validTo}
              onChange={(e) => setValidTo(e.target.value)}
              data-testid="grant-valid-to"
            />
          )}
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>{t('authz.feeCaps')}</legend>
        <p className="muted small">{t('authz.feeCapsHint')}</p>
        <div className="grid-3">
          {PRICING_MODELS.map((m) => (
            <Field
              key={m}
              label={t('authz.capFor', { model: tEnum('pricingModel', m) })}
              path={`body.feeCaps.${m}`}
              errors={form.errors}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  value={caps[m]}
                  onChange={(e) => setCaps({ ...caps, [m]: e.target.value })}
                  data-testid={`grant-cap-${m}`}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <FormAlert form={form} shownPaths={isShown} />
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="grant-submit">
          {form.pending ? t('common.working') : t('authz.grantSubmit')}
        </button>
      </div>
    </form>
  );
}
