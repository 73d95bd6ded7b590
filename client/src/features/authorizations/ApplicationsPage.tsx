import { useState } from 'react';
import { Link } from 'react-router';
import {
  APPLICATION_STATUSES,
  ApplicationBody,
  ApplicationDecisionBody,
  shanghaiDate,
  shanghaiDayStartAfter,
  type ApplicationStatus,
} from '@zdec/shared';
import { applicationsApi, type ApplicationView } from '../../api/applications';
import type { AuthorizationView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { FilterTabs } from '../../components/FilterBar';
import { FormActions } from '../../components/FormActions';
import { PagedList } from '../../components/PagedList';
import { ReasonField } from '../../components/ReasonField';
import { AsyncBlock, FormAlert, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { DEFAULT_PAGE_SIZE, usePagedSearch } from '../../components/usePagedSearch';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import {
  capsInput,
  defaultScope,
  FEE_CAP_PATHS,
  FeeCapsFields,
  isResourcePath,
  parseCaps,
  plusOneYear,
  ResourcePicker,
  SCOPE_PATHS,
  scopeBody,
  ScopeFields,
  type CapsInput,
  type Scope,
} from './ScopeFields';
import { AuthorizationScopeFacts } from './AuthorizationScopeFacts';
import './authorizations.css';

/** The status tabs: every application, or those of one status. */
const TABS = ['all', ...APPLICATION_STATUSES] as const;

/**
 * 授权运营申请. An operator applies for an authorization (or the renewal of one it holds) and follows
 * its own applications; the authority decides them, pending first: approval grants with the fee caps
 * it sets, rejection gives reasons.
 */
export function ApplicationsPage() {
  const { t } = useI18n();
  const { role } = useAuth();
  const search = usePagedSearch({ filters: ['status', 'renewalOf'] });
  const isOperator = role === 'provider';
  const renewalOf = search.filters.renewalOf;
  const [applying, setApplying] = useState(false);
  const [submitted, setSubmitted] = useState<ApplicationView>();
  const status = (APPLICATION_STATUSES as readonly string[]).includes(search.filters.status ?? '')
    ? (search.filters.status as ApplicationStatus)
    : undefined;
  const query = { status, page: search.page, pageSize: DEFAULT_PAGE_SIZE };
  const state = useQuery({
    queryKey: keys.applications.list(query),
    queryFn: ({ signal }) => applicationsApi.list(query, signal),
  });

  const closeForm = () => {
    setApplying(false);
    if (renewalOf) search.setFilters({ renewalOf: undefined });
  };
  const formOpen = isOperator && (applying || Boolean(renewalOf));

  return (
    <div data-testid="applications-page">
      <PageHeader
        title={t(isOperator ? 'apps.title.operator' : 'apps.title.authority')}
        subtitle={t(isOperator ? 'apps.subtitle.operator' : 'apps.subtitle.authority')}
        actions={
          isOperator && (
            <button
              type="button"
              className="btn btn--primary"
              aria-expanded={formOpen}
              onClick={() => (formOpen ? closeForm() : (setApplying(true), setSubmitted(undefined)))}
              data-testid="apply-new"
            >
              {formOpen ? t('common.cancel') : t('apps.new')}
            </button>
          )
        }
      />
      {submitted && (
        <Notice kind="success" testId="apply-submitted">
          {t('apps.submitted')}
        </Notice>
      )}
      {formOpen && (
        <section className="card" aria-labelledby="apply-title">
          <h2 id="apply-title">{t(renewalOf ? 'apps.renewTitle' : 'apps.new')}</h2>
          {renewalOf ? (
            <RenewalForm
              key={renewalOf}
              authorizationId={renewalOf}
              onCancel={closeForm}
              onApplied={(a) => {
                closeForm();
                setSubmitted(a);
              }}
            />
          ) : (
            <ApplyForm
              onCancel={closeForm}
              onApplied={(a) => {
                closeForm();
                setSubmitted(a);
              }}
            />
          )}
        </section>
      )}
      <FilterTabs
        tabs={TABS}
        current={status ?? 'all'}
        onPick={(tab) => search.setFilters({ status: tab === 'all' ? undefined : tab })}
        label={(tab) => (tab === 'all' ? t('apps.tab.all') : t(`applicationStatus.${tab}`))}
        testId={(tab) => `apps-tab-${tab}`}
        ariaLabel={t('apps.status')}
      />
      <AsyncBlock
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={t(isOperator ? 'apps.empty.operator' : 'apps.empty.authority')}
      >
        {(data) => (
          <>
            <PagedList data={data} onPage={search.setPage} testId="applications">
              {(a) => <ApplicationCard key={a.id} application={a} canDecide={role === 'authority'} />}
            </PagedList>
          </>
        )}
      </AsyncBlock>
    </div>
  );
}

/** A renewal continues the authorization's scope from the day after it ends, for another year. */
function renewalScope(a: AuthorizationView): Scope {
  const from = a.validTo ? shanghaiDate(shanghaiDayStartAfter(new Date(a.validTo), 1)) : defaultScope().validFrom;
  return {
    resourceIds: a.resourceIds ?? (a.resources ?? []).map((r) => r.id),
    purpose: a.purpose ?? '',
    productTypes: a.allowedProductTypes ?? [],
    deliveryModes: a.allowedDeliveryModes ?? [],
    validFrom: from,
    validTo: a.validTo ? plusOneYear(shanghaiDate(new Date(a.validTo))) : plusOneYear(from),
  };
}

function RenewalForm({
  authorizationId,
  onCancel,
  onApplied,
}: {
  authorizationId: string;
  onCancel: () => void;
  onApplied: (a: ApplicationView) => void;
}) {
  const { t, date } = useI18n();
  const held = useQuery({
    queryKey: keys.authorizations.detail(authorizationId),
    queryFn: ({ signal }) => applicationsApi.authorization(authorizationId, signal),
  });
  return (
    <AsyncBlock state={held}>
      {(a) => (
        <>
          <Notice testId="renewal-of">
            {t('apps.renewalOf', { number: a.number ?? a.id, validTo: date(a.validTo) })}
          </Notice>
          <ApplyForm
            initial={renewalScope(a)}
            known={a.resources}
            renewalOf={a.id}
            onCancel={onCancel}
            onApplied={onApplied}
          />
        </>
      )}
    </AsyncBlock>
  );
}

const SHOWN = [...SCOPE_PATHS, 'body.renewalOf'];
const isShown = (path: string) => isResourcePath(path) || SHOWN.includes(path);

/** The operator's application: resources it may see, purpose, product types, delivery modes and term. */
function ApplyForm({
  initial,
  known,
  renewalOf,
  onCancel,
  onApplied,
}: {
  initial?: Scope;
  known?: AuthorizationView['resources'];
  renewalOf?: string;
  onCancel: () => void;
  onApplied: (a: ApplicationView) => void;
}) {
  const { t } = useI18n();
  const form = useZodForm({
    schema: ApplicationBody,
    defaultValues: { scope: initial ?? defaultScope() },
    toBody: ({ scope }: { scope: Scope }) => ({ ...scopeBody(scope), ...(renewalOf ? { renewalOf } : {}) }),
  });
  const scope = form.watch('scope');
  const setScope = (next: Scope) => form.setValue('scope', next);
  const apply = useChange(applicationsApi.apply, [keys.applications.all]);

  // The call takes the scope as typed (its dates as text), not the parsed body.
  const onSubmit = form.onSubmit(async (_, body) => {
    const done = await form.submit(() => apply.mutateAsync(body));
    if (done) onApplied(done.value);
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="apply-form" data-renewal={renewalOf ?? ''}>
      <ResourcePicker
        value={scope.resourceIds}
        onChange={(resourceIds) => setScope({ ...scope, resourceIds })}
        errors={form.errors}
        testId="apply"
        known={known}
      />
      <ScopeFields value={scope} onChange={setScope} errors={form.errors} testId="apply" />
      <FormAlert form={form} shownPaths={isShown} />
      <FormActions
        label={t(renewalOf ? 'apps.submitRenewal' : 'apps.submit')}
        pending={form.pending}
        testId="apply-submit"
        onCancel={onCancel}
      />
    </form>
  );
}

function ApplicationCard({ application: a, canDecide }: { application: ApplicationView; canDecide: boolean }) {
  const { t, date, dateTime } = useI18n();
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null);
  return (
    <li className="card" data-testid="application" data-id={a.id} data-status={a.status}>
      <div className="row-head">
        <div>
          <h2 className="row-head__title">{canDecide ? (a.operator?.name ?? a.operatorOrgId) : a.purpose}</h2>
          <span className="muted small">
            {t('apps.appliedAt', { at: dateTime(a.at) })}
            {a.renewal && (
              <>
                {' · '}
                <span data-testid="application-renewal">{t('apps.renewalOfShort', { number: a.renewal.number })}</span>
              </>
            )}
          </span>
        </div>
        <span
          className={`badge badge--${STATUS_TONE[a.status]}`}
          data-testid="application-status"
          data-value={a.status}
        >
          {t(`applicationStatus.${a.status}`)}
        </span>
      </div>
      <AuthorizationScopeFacts
        scope={a}
        withPurpose={canDecide}
        extra={[
          ...(canDecide && a.operator?.creditCode ? [[t('apps.creditCode'), a.operator.creditCode] as const] : []),
          ...(a.renewal ? [[t('apps.renewalCurrentTerm'), date(a.renewal.validTo)] as const] : []),
        ]}
      />
      {a.status === 'approved' && a.decision && (
        <Notice kind="success" testId="application-approved">
          {t('apps.approvedAs', { at: dateTime(a.decision.at) })}{' '}
          <Link to="/authorizations" className="code" data-testid="application-number">
            {a.decision.number ?? a.decision.authorizationId}
          </Link>
        </Notice>
      )}
      {a.status === 'rejected' && a.decision && (
        <div className="alert alert--error" data-testid="application-rejected">
          <strong>{t('apps.rejectedAt', { at: dateTime(a.decision.at) })}</strong>
          <p className="prewrap application__reasons" data-testid="application-reasons">
            {a.decision.reasons}
          </p>
        </div>
      )}
      {canDecide && a.status === 'pending' && !deciding && (
        <div className="row-actions">
          {DECISIONS.map((d) => (
            <button
              key={d}
              type="button"
              className={d === 'approve' ? 'btn btn--primary' : 'btn btn--danger'}
              onClick={() => setDeciding(d)}
              data-testid={`application-${d}`}
            >
              {t(`apps.${d}`)}
            </button>
          ))}
        </div>
      )}
      {deciding && (
        <DecisionForm
          application={a}
          decision={deciding}
          onCancel={() => setDeciding(null)}
          onDone={() => setDeciding(null)}
        />
      )}
    </li>
  );
}

const DECISIONS = ['approve', 'reject'] as const;
const STATUS_TONE: Record<ApplicationStatus, string> = { pending: 'warn', approved: 'ok', rejected: 'bad' };

/** Approve with the fee caps the grant sets (a renewal starts from the caps it had), or reject with reasons. */
function DecisionForm({
  application: a,
  decision,
  onCancel,
  onDone,
}: {
  application: ApplicationView;
  decision: 'approve' | 'reject';
  onCancel: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const yuan = t('validation.yuan');
  const form = useZodForm({
    schema: ApplicationDecisionBody,
    defaultValues: { caps: capsInput(a.renewal?.feeCaps), reasons: '' },
    toBody: ({ caps, reasons }: { caps: CapsInput; reasons: string }): ApplicationDecisionBody =>
      decision === 'approve'
        ? { decision, feeCaps: parseCaps(caps, yuan).feeCaps, reasons: '' }
        : { decision, reasons, feeCaps: {} },
    refine: ({ caps }) => (decision === 'approve' ? parseCaps(caps, yuan).errors : {}),
  });
  const caps = form.watch('caps');
  const setCaps = (next: CapsInput) => form.setValue('caps', next);
  // An approval grants an authorization: the authorizations change with the application.
  const decide = useChange(
    (body: ApplicationDecisionBody) => applicationsApi.decide(a.id, body),
    [keys.applications.all, keys.authorizations.all],
  );

  // An approval sends its caps as read; a rejection its reasons as the schema parsed them.
  const onSubmit = form.onSubmit(async (parsed, built) => {
    const body = decision === 'approve' ? built : parsed;
    if (await form.submit(() => decide.mutateAsync(body))) onDone();
  });

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate data-testid={`${decision}-application-form`}>
      {decision === 'approve' ? (
        <>
          <p className="muted">{t('apps.approveHint')}</p>
          <FeeCapsFields value={caps} onChange={setCaps} errors={form.errors} testId="approve" />
        </>
      ) : (
        <ReasonField
          label={t('apps.reasons')}
          hint={t('apps.reasonsHint')}
          field={form.register('reasons')}
          errors={form.errors}
          path="body.reasons"
          testId="application-reasons-input"
        />
      )}
      <FormAlert form={form} shownPaths={[...FEE_CAP_PATHS, 'body.reasons']} />
      <FormActions
        label={t(`apps.confirm.${decision}`)}
        pending={form.pending}
        danger={decision === 'reject'}
        testId={`${decision}-application-submit`}
        onCancel={onCancel}
      />
    </form>
  );
}
