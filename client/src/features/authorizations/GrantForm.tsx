import { useState, type FormEvent } from 'react';
import { AuthorizationCreateBody } from '@zdec/shared';
import { authorizationsApi } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import { validateWith } from '../../components/forms';
import { Field, FormAlert } from '../../components/ui';
import { useForm } from '../../components/useForm';
import { useChange } from '../../components/useChange';
import { useI18n } from '../../i18n/I18nProvider';
import {
  defaultScope,
  FEE_CAP_PATHS,
  FeeCapsFields,
  isResourcePath,
  parseCaps,
  ResourcePicker,
  SCOPE_PATHS,
  scopeBody,
  ScopeFields,
  useCaps,
} from './ScopeFields';

const SHOWN = ['body.operatorOrgId', ...SCOPE_PATHS, ...FEE_CAP_PATHS];
const isShown = (path: string) => isResourcePath(path) || SHOWN.includes(path);

/** Grants an operator a scoped, time-limited authorization over registered resources. */
export function GrantForm({
  knownOperators,
  onGranted,
}: {
  knownOperators: Map<string, string>;
  onGranted: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const form = useForm();
  const [operatorOrgId, setOperator] = useState('');
  const [scope, setScope] = useState(defaultScope);
  const [caps, setCaps] = useCaps();
  const grant = useChange(authorizationsApi.create, [keys.authorizations.all]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const { feeCaps, errors: capErrors } = parseCaps(caps, t('validation.yuan'));
    const body = { operatorOrgId: operatorOrgId.trim(), ...scopeBody(scope), feeCaps };
    const result = validateWith(AuthorizationCreateBody, body, i18n);
    if (!result.ok || Object.keys(capErrors).length) {
      form.setErrors({ ...(result.ok ? {} : result.errors), ...capErrors });
      return;
    }
    const done = await form.submit(() => grant.mutateAsync(body));
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
      <ResourcePicker
        value={scope.resourceIds}
        onChange={(resourceIds) => setScope({ ...scope, resourceIds })}
        errors={form.errors}
        testId="grant"
      />
      <ScopeFields value={scope} onChange={setScope} errors={form.errors} testId="grant" />
      <FeeCapsFields value={caps} onChange={setCaps} errors={form.errors} testId="grant" />
      <FormAlert form={form} shownPaths={isShown} />
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="grant-submit">
          {form.pending ? t('common.working') : t('authz.grantSubmit')}
        </button>
      </div>
    </form>
  );
}
