import { useFieldArray } from 'react-hook-form';
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
import { Field } from '../../components/ui';
import { useChange } from '../../components/useChange';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';
import { EnumSelectField } from '../../components/EnumSelectField';

type FieldType = (typeof FIELD_TYPES)[number];
interface FieldRow {
  name: string;
  type: FieldType;
  description: string;
}
interface ResourceFields {
  name: string;
  description: string;
  holderDepartment: string;
  regionCode: string;
  domain: Domain;
  openness: Openness;
  updateFrequency: (typeof UPDATE_FREQUENCIES)[number];
  recordCount: string;
  fields: FieldRow[];
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

const newRow = (): FieldRow => ({ name: '', type: 'string', description: '' });

const toBody = ({ recordCount, fields, ...v }: ResourceFields) => ({
  ...v,
  recordCount: recordCount.trim() === '' ? undefined : Number(recordCount),
  fields: fields.map((r) => ({ name: r.name, type: r.type, description: r.description })),
});

/** Creates a draft resource (`POST /resources`) with its field schema. */
export function ResourceForm({ onCreated }: { onCreated: (r: ResourceView) => void }) {
  const { t, tEnum } = useI18n();
  const form = useZodForm({
    schema: ResourceCreateBody,
    defaultValues: {
      name: '',
      description: '',
      holderDepartment: '',
      regionCode: '410100',
      domain: 'transport',
      openness: 'conditional',
      updateFrequency: 'daily',
      recordCount: '',
      fields: [newRow()],
    },
    toBody,
  });
  const rows = useFieldArray({ control: form.control, name: 'fields' });
  const create = useChange(resourcesApi.create, [keys.resources.all]);

  const onSubmit = form.onSubmit(async (body) => {
    const done = await form.submit(() => create.mutateAsync(body));
    if (done) onCreated(done.value);
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="resource-form">
      <div className="grid-2">
        <Field label={t('resources.name')} path="body.name" errors={form.errors} required>
          {(p) => <input {...p} {...form.register('name')} data-testid="resource-name" />}
        </Field>
        <Field label={t('resources.holderDepartment')} path="body.holderDepartment" errors={form.errors} required>
          {(p) => <input {...p} {...form.register('holderDepartment')} data-testid="resource-holder" />}
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
              {...form.register('regionCode')}
              data-testid="resource-region"
            />
          )}
        </Field>
        <EnumSelectField
          label={t('listing.domain')}
          path="body.domain"
          errors={form.errors}
          field={form.register('domain')}
          values={DOMAIN_KEYS}
          kind="domain"
          testId="resource-domain"
          required
        />
        <EnumSelectField
          label={t('resources.openness')}
          path="body.openness"
          errors={form.errors}
          field={form.register('openness')}
          values={OPENNESS}
          kind="openness"
          testId="resource-openness"
          required
        />
        <EnumSelectField
          label={t('resources.updateFrequency')}
          path="body.updateFrequency"
          errors={form.errors}
          field={form.register('updateFrequency')}
          values={UPDATE_FREQUENCIES}
          kind="updateFrequency"
          testId="resource-frequency"
          required
        />
        <Field label={t('resources.recordCount')} path="body.recordCount" errors={form.errors} required>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              {...form.register('recordCount')}
              data-testid="resource-record-count"
            />
          )}
        </Field>
      </div>
      <Field label={t('resources.description')} path="body.description" errors={form.errors}>
        {(p) => <textarea {...p} rows={3} {...form.register('description')} data-testid="resource-description" />}
      </Field>

      <fieldset className="fieldset">
        <legend>{t('resources.fields')}</legend>
        {form.errors['body.fields'] && (
          <div className="field__error" data-testid="field-error" data-path="body.fields">
            {form.errors['body.fields']}
          </div>
        )}
        <div className="schema-rows">
          {rows.fields.map((row, i) => (
            <div key={row.id} className="schema-row" data-testid="resource-field-row">
              <Field label={t('resources.fieldName', { n: i + 1 })} path={`body.fields.${i}.name`} errors={form.errors}>
                {(p) => <input {...p} {...form.register(`fields.${i}.name`)} data-testid="resource-field-name" />}
              </Field>
              <Field label={t('resources.fieldType')} path={`body.fields.${i}.type`} errors={form.errors}>
                {(p) => (
                  <select {...p} {...form.register(`fields.${i}.type`)} data-testid="resource-field-type">
                    {FIELD_TYPES.map((ft) => (
                      <option key={ft} value={ft}>
                        {tEnum('fieldType', ft)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('resources.fieldDescription')} path={`body.fields.${i}.description`} errors={form.errors}>
                {(p) => <input {...p} {...form.register(`fields.${i}.description`)} />}
              </Field>
              <button
                type="button"
                className="btn btn--secondary schema-row__remove"
                disabled={rows.fields.length === 1}
                onClick={() => rows.remove(i)}
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
          onClick={() => rows.append(newRow(), { shouldFocus: false })}
          data-testid="resource-add-field"
        >
          {t('resources.addField')}
        </button>
      </fieldset>
      <FormFooter form={form} shownPaths={isShown} label={t('resources.create')} testId="resource-submit" />
    </form>
  );
}
