import { useState } from 'react';
import { AUTHORIZATION_STATUSES, AuthorizationActionBody } from '@zdec/shared';
import { authorizationsApi } from '../../api/endpoints';
import type { AuthorizationView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { PagedList } from '../../components/PagedList';
import { ReasonForm } from '../../components/ReasonForm';
import { AsyncBlock, Badge, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { GrantForm } from './GrantForm';
import { AuthorizationScopeFacts } from './AuthorizationScopeFacts';
import { ExpiryBanner, RenewalAction, usePendingRenewals } from './ExpiryBanner';
import { FilterBar, enumFilter, useUrlFilters } from '../../components/FilterBar';
import { usePagedSearch } from '../../components/usePagedSearch';

/** Authorizations (授权运营): the authority grants and revokes; others read their own or all. */
export function AuthorizationsPage() {
  const { t } = useI18n();
  const { role } = useAuth();
  const [granting, setGranting] = useState(false);
  const search = usePagedSearch({ filters: ['status'] });
  const urlFilters = useUrlFilters(search);
  const { query, setPage } = search;
  const state = useQuery({
    queryKey: keys.authorizations.list(query),
    queryFn: ({ signal }) => authorizationsApi.list(query, signal),
  });
  const isAuthority = role === 'authority';
  // Expiry banners and renewals (issue 16 item 4): the operator's and the granting authority's consoles.
  const isParty = isAuthority || role === 'provider';
  const pendingRenewals = usePendingRenewals(isParty);

  const knownOperators = new Map<string, string>();
  for (const a of state.data?.items ?? []) {
    const id = a.operator?.id ?? a.operatorOrgId;
    if (id) knownOperators.set(id, a.operator?.name ?? id);
  }

  return (
    <div>
      <PageHeader
        title={t('authz.title')}
        subtitle={t('authz.subtitle')}
        actions={
          isAuthority && (
            <button
              type="button"
              className="btn btn--primary"
              aria-expanded={granting}
              onClick={() => setGranting((g) => !g)}
              data-testid="authz-new"
            >
              {granting ? t('common.cancel') : t('authz.grant')}
            </button>
          )
        }
      />
      {isAuthority && granting && (
        <section className="card" aria-labelledby="grant-title">
          <h2 id="grant-title">{t('authz.grant')}</h2>
          <GrantForm knownOperators={knownOperators} onGranted={() => setGranting(false)} />
        </section>
      )}
      {isParty && <ExpiryBanner canRenew={role === 'provider'} pendingRenewals={pendingRenewals} />}
      <FilterBar
        layout="toolbar"
        {...urlFilters}
        fields={[enumFilter('status', t('authz.status'), AUTHORIZATION_STATUSES, 'authorizationStatus')]}
      />
      <AsyncBlock state={state} isEmpty={(d) => d.items.length === 0} empty={t('authz.empty')}>
        {(data) => (
          <>
            <PagedList data={data} onPage={setPage}>
              {(a) => (
                <AuthorizationCard
                  key={a.id}
                  authorization={a}
                  canAct={isAuthority}
                  canRenew={role === 'provider'}
                  pendingRenewal={pendingRenewals.get(a.id)}
                />
              )}
            </PagedList>
          </>
        )}
      </AsyncBlock>
    </div>
  );
}

type AuthorizationAction = 'suspend' | 'resume' | 'revoke';

/** What the authority may do in each status: suspend or revoke an active grant, resume or revoke a suspended one. */
function actionsFor(status: string | undefined): AuthorizationAction[] {
  if (status === 'active') return ['suspend', 'revoke'];
  if (status === 'suspended') return ['resume', 'revoke'];
  return [];
}

function AuthorizationCard({
  authorization: a,
  canAct,
  canRenew,
  pendingRenewal,
}: {
  authorization: AuthorizationView;
  canAct: boolean;
  canRenew: boolean;
  pendingRenewal: string | undefined;
}) {
  const { t, tEnum, locale } = useI18n();
  const [action, setAction] = useState<AuthorizationAction | null>(null);
  const status = a.effectiveStatus ?? a.status;
  const caps = Object.entries(a.feeCaps ?? {}).filter(([, v]) => typeof v === 'number');
  return (
    <li className="card" data-testid="authz-row" data-id={a.id} data-status={status}>
      <div className="row-head">
        <div>
          <h2 className="row-head__title">{a.operator?.name ?? a.operatorOrgId ?? '—'}</h2>
          <span className="code">{a.number ?? a.id}</span>
        </div>
        <Badge kind="authorizationStatus" value={status} />
      </div>
      <AuthorizationScopeFacts
        scope={a}
        extra={[
          [
            t('authz.feeCaps'),
            caps.length
              ? caps
                  .map(([model, fen]) => `${tEnum('pricingModel', model)} ≤ ${formatMoney(fen as number)}`)
                  .join(locale === 'en' ? '; ' : '；')
              : t('authz.noCaps'),
          ],
          ...(a.operator?.id
            ? [[t('authz.operatorOrgId'), <span className="code small">{a.operator.id}</span>] as const]
            : []),
          ...(a.statusReason ? [[t('authz.statusReason'), a.statusReason] as const] : []),
        ]}
      />
      <div className="row-actions">
        {canAct &&
          !action &&
          actionsFor(a.status).map((act) => (
            <button
              key={act}
              type="button"
              className={act === 'revoke' ? 'btn btn--danger' : 'btn btn--secondary'}
              onClick={() => setAction(act)}
              data-testid={`authz-${act}`}
            >
              {t(`authz.${act}`)}
            </button>
          ))}
        {status === 'active' && <RenewalAction authorization={a} pendingRenewal={pendingRenewal} canRenew={canRenew} />}
      </div>
      {action && (
        <ActionForm id={a.id} action={action} onCancel={() => setAction(null)} onDone={() => setAction(null)} />
      )}
    </li>
  );
}

/** Suspend, resume or revoke, each with the reason the server records. */
function ActionForm({
  id,
  action,
  onCancel,
  onDone,
}: {
  id: string;
  action: AuthorizationAction;
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const act = useChange((why: string) => authorizationsApi.act(id, action, why), [keys.authorizations.all]);
  return (
    <ReasonForm
      schema={AuthorizationActionBody}
      send={(body) => act.mutateAsync(body.reason)}
      onDone={onDone}
      label={t('authz.reason')}
      submitLabel={t(`authz.confirm.${action}`)}
      danger={action === 'revoke'}
      onCancel={onCancel}
      testId={action}
    >
      <p className="muted">{t(`authz.${action}Warning`)}</p>
    </ReasonForm>
  );
}
