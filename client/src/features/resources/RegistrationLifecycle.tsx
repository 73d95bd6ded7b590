import { useState } from 'react';
import { Link } from 'react-router';
import { AmendmentBody, CancellationBody, UPDATE_FREQUENCIES } from '@zdec/shared';
import { lastMinuteOf, registrationApi } from '../../api/registration';
import type { ResourceView } from '../../api/types';
import { AsyncBlock, Field, Notice } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { ReasonForm } from '../../components/ReasonForm';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';
import { EnumSelectField } from '../../components/EnumSelectField';

/**
 * On a resource's page: its notice while under 公示, its registration record (notices, amendments),
 * and for the owner of a registered resource the change/correction and cancellation steps.
 */
export function RegistrationLifecycle({
  resource: r,
  isOwner,
}: {
  resource: ResourceView & { noticeId?: string; noticeEndsAt?: string };
  isOwner: boolean;
}) {
  const { t, dateTime } = useI18n();
  const state = useQuery({
    queryKey: keys.resources.history(r.id, r.status, r.certificate?.digest),
    queryFn: ({ signal }) => registrationApi.history(r.id, signal),
  });
  return (
    <section className="card" aria-labelledby="resource-lifecycle" data-testid="registration-lifecycle">
      <h2 id="resource-lifecycle">{t('lifecycle.title')}</h2>
      {r.status === 'publicizing' && r.noticeId && (
        <Notice kind="info" testId="under-notice">
          {t('register.underNotice', { date: r.noticeEndsAt ? dateTime(lastMinuteOf(r.noticeEndsAt)) : '—' })}{' '}
          <Link to={`/notices/${encodeURIComponent(r.noticeId)}`} data-testid="view-notice">
            {t('register.viewNotice')}
          </Link>
        </Notice>
      )}
      <AsyncBlock state={state}>
        {(h) => (
          <>
            <h3>{t('lifecycle.history')}</h3>
            <ul className="plain-list" data-testid="lifecycle-history">
              {h.notices.map((n) => (
                <li key={n.id}>
                  <Link to={`/notices/${encodeURIComponent(n.id)}`}>{dateTime(n.publishedAt)}</Link> ·{' '}
                  {t(`notices.status.${n.status}`)}
                </li>
              ))}
              {h.amendments.map((a) => (
                <li key={a.id} data-testid="amendment" data-kind={a.kind}>
                  {dateTime(a.at)} · <strong>{t(`lifecycle.kind.${a.kind}`)}</strong> ·{' '}
                  {t('lifecycle.version', { n: a.version })} · {a.reason}
                  {Object.keys(a.changes ?? {}).length > 0 && (
                    <span className="muted">
                      {' '}
                      ({t('lifecycle.changed')}: {Object.keys(a.changes ?? {}).join(', ')})
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {h.amendments.length === 0 && <p className="muted">{t('lifecycle.noAmendments')}</p>}
          </>
        )}
      </AsyncBlock>
      {isOwner && r.status === 'registered' && (
        <>
          <AmendmentForm resource={r} />
          <CancelForm resourceId={r.id} />
        </>
      )}
    </section>
  );
}

interface AmendmentFields {
  kind: 'change' | 'correction';
  reason: string;
  recordCount: string;
  updateFrequency: string;
  holderDepartment: string;
  description: string;
}

function AmendmentForm({ resource: r }: { resource: ResourceView }) {
  const { t } = useI18n();
  const form = useZodForm({
    schema: AmendmentBody,
    defaultValues: {
      kind: 'change' as 'change' | 'correction',
      reason: '',
      recordCount: String(r.recordCount ?? ''),
      updateFrequency: r.updateFrequency ?? 'daily',
      holderDepartment: r.holderDepartment ?? '',
      description: r.description ?? '',
    },
    // Only what differs from the record is a change.
    toBody: ({ kind, reason, recordCount, updateFrequency, holderDepartment, description }: AmendmentFields) => {
      const changes: Record<string, unknown> = {};
      if (Number(recordCount) !== r.recordCount) changes.recordCount = Number(recordCount);
      if (updateFrequency !== r.updateFrequency) changes.updateFrequency = updateFrequency;
      if (holderDepartment !== r.holderDepartment) changes.holderDepartment = holderDepartment;
      if (description !== (r.description ?? '')) changes.description = description;
      return { kind, reason, changes };
    },
  });
  const [done, setDone] = useState(false);
  const amend = useChange((body: AmendmentBody) => registrationApi.amend(r.id, body), [keys.resources.all]);

  const onSubmit = form.onSubmit(async (body) => {
    if (await form.submit(() => amend.mutateAsync(body))) {
      setDone(true);
      form.setValue('reason', '');
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="amendment-form">
      <h3>
        {t('lifecycle.kind.change')} / {t('lifecycle.kind.correction')}
      </h3>
      {done && <Notice kind="success">{t('lifecycle.amended')}</Notice>}
      <div className="grid-2">
        <Field label={t('lifecycle.kind')} path="body.kind" errors={form.errors}>
          {(p) => (
            <select {...p} {...form.register('kind')} data-testid="amendment-kind">
              <option value="change">{t('lifecycle.kind.change')}</option>
              <option value="correction">{t('lifecycle.kind.correction')}</option>
            </select>
          )}
        </Field>
        <Field label={t('lifecycle.recordCount')} path="body.changes.recordCount" errors={form.errors}>
          {(p) => (
            <input {...p} inputMode="numeric" {...form.register('recordCount')} data-testid="amendment-record-count" />
          )}
        </Field>
        <EnumSelectField
          label={t('lifecycle.updateFrequency')}
          path="body.changes.updateFrequency"
          errors={form.errors}
          field={form.register('updateFrequency')}
          values={UPDATE_FREQUENCIES}
          kind="updateFrequency"
        />
        <Field label={t('lifecycle.holderDepartment')} path="body.changes.holderDepartment" errors={form.errors}>
          {(p) => <input {...p} {...form.register('holderDepartment')} />}
        </Field>
      </div>
      <Field label={t('lifecycle.description')} path="body.changes.description" errors={form.errors}>
        {(p) => <textarea {...p} rows={2} {...form.register('description')} />}
      </Field>
      <Field
        label={t('lifecycle.reason')}
        path="body.reason"
        errors={form.errors}
        hint={t('lifecycle.reasonHint')}
        required
      >
        {(p) => <textarea {...p} rows={2} {...form.register('reason')} data-testid="amendment-reason" />}
      </Field>
      <FormFooter
        form={form}
        shownPaths={(p) => p.startsWith('body.changes.') || p === 'body.reason'}
        label={t('lifecycle.submitAmendment')}
        testId="amendment-submit"
      />
    </form>
  );
}

function CancelForm({ resourceId }: { resourceId: string }) {
  const { t } = useI18n();
  const cancel = useChange((body: CancellationBody) => registrationApi.cancel(resourceId, body), [keys.resources.all]);
  return (
    <ReasonForm
      schema={CancellationBody}
      send={cancel.mutateAsync}
      label={t('lifecycle.reason')}
      submitLabel={t('lifecycle.confirmCancel')}
      danger
      testId="cancel"
      className="form"
    >
      <h3>{t('lifecycle.cancel')}</h3>
      <Notice kind="warning">{t('lifecycle.cancelWarning')}</Notice>
    </ReasonForm>
  );
}
