import { AuthorizationCreateBody } from '@zdec/shared';
import { authorizationsApi } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import { Field } from '../../components/ui';
import { useZodForm } from '../../components/useZodForm';
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
  capsInput,
  type CapsInput,
  type Scope,
} from './ScopeFields';
import { FormFooter } from '../../components/FormActions';

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
  const { t } = useI18n();
  const yuan = t('validation.yuan');
  const form = useZodForm({
    schema: AuthorizationCreateBody,
    defaultValues: { operatorOrgId: '', scope: defaultScope(), caps: capsInput() },
    toBody: ({ operatorOrgId, scope, caps }: { operatorOrgId: string; scope: Scope; caps: CapsInput }) => ({
      operatorOrgId: operatorOrgId.trim(),
      ...scopeBody(scope),
      feeCaps: parseCaps(caps, yuan).feeCaps,
    }),
    refine: ({ caps }) => parseCaps(caps, yuan).errors,
  });
  const scope = form.watch('scope');
  const setScope = (next: Scope) => form.setValue('scope', next);
  const grant = useChange(authorizationsApi.create, [keys.authorizations.all]);

  // The call takes the scope as typed (its dates as text), not the parsed body.
  const onSubmit = form.onSubmit(async (_, body) => {
    const done = await form.submit(() => grant.mutateAsync(body));
    if (done) onGranted();
  });

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
              {...form.register('operatorOrgId')}
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
      <FeeCapsFields
        value={form.watch('caps')}
        onChange={(next) => form.setValue('caps', next)}
        errors={form.errors}
        testId="grant"
      />
      <FormFooter form={form} shownPaths={isShown} label={t('authz.grantSubmit')} testId="grant-submit" />
    </form>
  );
}
