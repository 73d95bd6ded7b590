import { useState, type FormEvent } from 'react';
import {
  DOMAIN_KEYS,
  FIELD_TYPES,
  OPENNESS,
  ResourceCreateBody,
  UPDATE_FREQUENCIES,
  type Domain,
  type Openness,
} from '@zdec/shared';
import { resourcesApi } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import type { ResourceView } from '../../api/types';
import { Field, FormAlert } from '../../components/ui';
import { useChange } from '../../components/useChange';
import { useForm } from '../../components/useForm';
import { useI18n } from '../../i18n/I18nProvider';

type FieldType = (typeof FIELD_TYPES)[number];
interface FieldRow {
  key: number;
  name: string;
  type: FieldType;
  description: string;
}

const TOP_FIELDS = [
  'name',
  'description',
  'holderDepartment',
  'regionCode',
  'domain',
  'openness',
  'updateFrequency',
  'recordCount',
  'fields',
];
const isShown = (path: string) =>
  TOP_FIELDS.some((f) => path === `body.${f}`) || /^body\.fields\.\d+\.(name|type|description)$/.test(path);

let rowKey = 0;
const newRow = (): FieldRow => ({ key: ++rowKey, name: '', type: 'string', description: '' });

/** Creates a draft resource (`POST /resources`) with its field schema. */
export function ResourceForm({ onCreated }: { onCreated: (r: ResourceView) => void }) {
  const { t, tEnum } = useI18n();
  const form = useForm();
  const create = useChange(resourcesApi.create, [keys.resources.all]);
  const [v, setV] = useState({
    name: '',
    description: '',
    holderDepartment: '',
    regionCode: '410100',
    domain: 'transport' as Domain,
    openness: 'conditional' as Openness,
    updateFrequency: 'daily' as (typeof UPDATE_FREQUENCIES)[number],
    recordCount: '',
  });
  const [rows, setRows] = useState<FieldRow[]>(() => [newRow()]);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const setRow = (key: number, patch: Partial<FieldRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = form.check(ResourceCreateBody, {
      ...v,
      recordCount: v.recordCount.trim() === '' ? undefined : Number(v.recordCount),
      fields: rows.map((r) => ({ name: r.name, type: r.type, description: r.description })),
    });
    if (!body) return;
    const done = await form.submit(() => create.mutateAsync(body));
    if (done) onCreated(done.value);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="resource-form">
      <div className="grid-2">
        <Field label={t('resources.name')} path="body.name" errors={form.errors} required>
          {(p) => <input {...p} value={v.name} onChange={set('name')} data-testid="resource-name" />}
        </Field>
        <Field label={t('resources.holderDepartment')} path="body.holderDepartment" errors={form.errors} required>
          {(p) => (
            <input {...p} value={v.holderDepartment} onChange={set('holderDepartment')} data-testid="resource-holder" />
          )}
        </Field>
        <Field
          label={t('resources.regionCode')}
          path="body.regionCode"
          errors={form.errors}
          hint={t('resources.regionCodeHint')}
          required
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              maxLength={6}
              value={v.regionCode}
              onChange={set('regionCode')}
              data-testid="resource-region"
            />
          )}
        </Field>
        <Field label={t('listing.domain')} path="body.domain" errors={form.errors} required>
          {(p) => (
            <select {...p} value={v.domain} onChange={set('domain')} data-testid="resource-domain">
              {DOMAIN_KEYS.map((d) => (
                <option key={d} value={d}>
                  {tEnum('domain', d)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('resources.openness')} path="body.openness" errors={form.errors} required>
          {(p) => (
            <select {...p} value={v.openness} onChange={set('openness')} data-testid="resource-openness">
              {OPENNESS.map((o) => (
                <option key={o} value={o}>
                  {tEnum('openness', o)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('resources.updateFrequency')} path="body.updateFrequency" errors={form.errors} required>
          {(p) => (
            <select {...p} value={v.updateFrequency} onChange={set('updateFrequency')} data-testid="resource-frequency">
              {UPDATE_FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {tEnum('updateFrequency', f)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('resources.recordCount')} path="body.recordCount" errors={form.errors} required>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={v.recordCount}
              onChange={set('recordCount')}
              data-testid="resource-record-count"
            />
          )}
        </Field>
      </div>
      <Field label={t('resources.description')} path="body.description" errors={form.errors}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            value={v.description}
            onChange={set('description')}
            data-testid="resource-description"
          />
        )}
      </Field>

      <fieldset className="fieldset">
        <legend>{t('resources.fields')}</legend>
        {form.errors['body.fields'] && (
          <div className="field__error" data-testid="field-error" data-path="body.fields">
            {form.errors['body.fields']}
          </div>
        )}
        <div className="schema-rows">
          {rows.map((row, i) => (
            <div key={row.key} className="schema-row" data-testid="resource-field-row">
              <Field label={t('resources.fieldName', { n: i + 1 })} path={`body.fields.${i}.name`} errors={form.errors}>
                {(p) => (
                  <input
                    {...p}
                    value={row.name}
                    onChange={(e) => setRow(row.key, { name: e.target.value })}
                    data-testid="resource-field-name"
                  />
                )}
              </Field>
              <Field label={t('resources.fieldType')} path={`body.fields.${i}.type`} errors={form.errors}>
                {(p) => (
                  <select
                    {...p}
                    value={row.type}
                    onChange={(e) => setRow(row.key, { type: e.target.value as FieldType })}
                    data-testid="resource-field-type"
                  >
                    {FIELD_TYPES.map((ft) => (
                      <option key={ft} value={ft}>
                        {tEnum('fieldType', ft)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('resources.fieldDescription')} path={`body.fields.${i}.description`} errors={form.errors}>
                {(p) => (
                  <input
                    {...p}
                    value={row.description}
                    onChange={(e) => setRow(row.key, { description: e.target.value })}
                  />
                )}
              </Field>
              <button
                type="button"
                className="btn btn--secondary schema-row__remove"
                disabled={rows.length === 1}
                onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                aria-label={t('resources.removeField', { n: i + 1 })}
              >
                {t('common.remove')}
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          className="btn btn--secondary"
          onClick={() => setRows((rs) => [...rs, newRow()])}
          data-testid="resource-add-field"
        >
          {t('resources.addField')}
        </button>
      </fieldset>
      <FormAlert form={form} shownPaths={isShown} />
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="resource-submit">
          {form.pending ? t('common.working') : t('resources.create')}
        </button>
      </div>
    </form>
  );
}
