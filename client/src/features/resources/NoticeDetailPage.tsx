import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ObjectionBody, ObjectionRulingBody } from '@zdec/shared';
import { lastMinuteOf, registrationApi, type NoticeView, type ObjectionView } from '../../api/registration';
import { useAuth } from '../../auth/AuthProvider';
import { AsyncBlock, Badge, Facts, Field, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange } from '../../components/useChange';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';
import { SchemaFieldList } from './SchemaFieldList';

export function NoticeDetailPage() {
  const { id = '' } = useParams();
  const state = useQuery({
    queryKey: keys.registration.notice(id),
    queryFn: ({ signal }) => registrationApi.notice(id, signal),
  });
  return <AsyncBlock state={state}>{(n) => <NoticeDetail notice={n} />}</AsyncBlock>;
}

function NoticeDetail({ notice: n }: { notice: NoticeView }) {
  const { t, tEnum, dateTime, number } = useI18n();
  const { user, role } = useAuth();
  const s = n.snapshot;
  const open = n.status === 'publicizing' && new Date(n.endsAt).getTime() > Date.now();
  const ownOrg = user?.org.id === n.ownerOrgId;

  return (
    <div data-testid="notice-detail" data-id={n.id} data-status={n.status}>
      <p className="breadcrumb">
        <Link to="/notices">{t('notices.title')}</Link> / {t('notices.detail')}
      </p>
      <PageHeader title={s.name} subtitle={s.holderDepartment} />
      <Notice kind={n.status === 'objection_upheld' ? 'warning' : n.status === 'certified' ? 'success' : 'info'}>
        <span data-testid="notice-status" data-value={n.status}>
          {t(`notices.status.${n.status}`)}
        </span>
        {n.registrationNumber && (
          <>
            {' '}
            · {t('notices.certificate')} <span className="code">{n.registrationNumber}</span>
          </>
        )}
      </Notice>
      <section className="card" aria-labelledby="notice-facts">
        <h2 id="notice-facts">{t('resources.metadata')}</h2>
        <Facts
          items={[
            [t('notices.owner'), s.ownerOrgName ?? '—'],
            [t('notices.creditCode'), <span className="code">{s.ownerOrgCreditCode ?? '—'}</span>],
            [t('notices.publishedAt'), dateTime(n.publishedAt)],
            [t('notices.endsAt'), <span data-testid="notice-ends">{dateTime(lastMinuteOf(n.endsAt))}</span>],
            [t('notices.workingDays'), t('notices.workingDaysValue', { n: n.workingDays })],
            [t('listing.domain'), tEnum('domain', s.domain)],
            [t('resources.openness'), tEnum('openness', s.openness)],
            [t('resources.regionCode'), s.regionCode],
            [t('resources.updateFrequency'), tEnum('updateFrequency', s.updateFrequency)],
            [t('resources.recordCount'), number(s.recordCount)],
            [
              t('listing.grade'),
              <>
                <Badge kind="grade" value={s.grade} testId="grade-badge" />{' '}
                <Badge kind="level" value={s.level} testId="level-badge" />
              </>,
            ],
            [t('notices.sampleHash'), <span className="code hash">{s.sampleSha256 ?? '—'}</span>],
            [t('resources.description'), s.description || '—'],
          ]}
        />
        <details className="details" open>
          <summary>{t('notices.fields')}</summary>
          <SchemaFieldList fields={s.fields} />
        </details>
      </section>

      <section className="card" aria-labelledby="notice-objections">
        <h2 id="notice-objections">{t('notices.objectionList')}</h2>
        {n.objections.length === 0 ? (
          <p className="muted">{t('notices.noObjections')}</p>
        ) : (
          <ul className="plain-list" data-testid="objections">
            {n.objections.map((o) => (
              <ObjectionItem
                key={o.id}
                objection={o}
                canRule={role === 'authority' && o.status === 'pending' && n.status === 'publicizing'}
              />
            ))}
          </ul>
        )}
        {n.objections.some((o) => o.reason === undefined) && (
          <p className="muted small">{t('notices.objectionHidden')}</p>
        )}
      </section>

      <section className="card" aria-labelledby="notice-object">
        <h2 id="notice-object">{t('notices.fileObjection')}</h2>
        {!open ? (
          <p className="muted">{t('notices.closed')}</p>
        ) : !user ? (
          <p>
            <Link to="/signin">{t('notices.signInToObject')}</Link>
          </p>
        ) : ownOrg ? (
          <p className="muted">{t('notices.ownOrg')}</p>
        ) : (
          <ObjectionForm noticeId={n.id} />
        )}
      </section>
    </div>
  );
}

function ObjectionItem({ objection: o, canRule }: { objection: ObjectionView; canRule: boolean }) {
  const { t, dateTime } = useI18n();
  return (
    <li data-testid="objection" data-status={o.status} className="objection">
      <div>
        <span className={`badge badge--${o.status === 'pending' ? 'warn' : o.status === 'upheld' ? 'bad' : 'ok'}`}>
          {t(`notices.objection.${o.status}`)}
        </span>{' '}
        <span className="muted">{dateTime(o.at)}</span>
      </div>
      {o.reason && <p data-testid="objection-reason">{o.reason}</p>}
      {o.contact && <p className="muted small">{o.contact}</p>}
      {o.ruling && (
        <p data-testid="objection-ruling">
          <strong>{t('notices.ruling')}：</strong>
          {t(o.ruling.decision === 'uphold' ? 'notices.uphold' : 'notices.dismiss')} — {o.ruling.reasons}
        </p>
      )}
      {canRule && <RulingForm objectionId={o.id} />}
    </li>
  );
}

function ObjectionForm({ noticeId }: { noticeId: string }) {
  const { t } = useI18n();
  const form = useZodForm({ schema: ObjectionBody, defaultValues: { reason: '', contact: '' } });
  const [filed, setFiled] = useState(false);
  const file = useChange((body: ObjectionBody) => registrationApi.object(noticeId, body), [keys.registration.all]);

  const onSubmit = form.onSubmit(async (body) => {
    const done = await form.submit(() => file.mutateAsync(body));
    if (!done) return;
    setFiled(true);
    form.setValue('reason', '');
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="objection-form">
      {filed && <Notice kind="success">{t('notices.objectionFiled')}</Notice>}
      <Field
        label={t('notices.reason')}
        path="body.reason"
        errors={form.errors}
        hint={t('notices.reasonHint')}
        required
      >
        {(p) => <textarea {...p} rows={4} {...form.register('reason')} data-testid="objection-reason-input" />}
      </Field>
      <Field label={t('notices.contact')} path="body.contact" errors={form.errors}>
        {(p) => <input {...p} {...form.register('contact')} data-testid="objection-contact" />}
      </Field>
      <FormFooter
        form={form}
        shownPaths={['body.reason', 'body.contact']}
        label={t('notices.submitObjection')}
        testId="objection-submit"
      />
    </form>
  );
}

function RulingForm({ objectionId }: { objectionId: string }) {
  const { t } = useI18n();
  const form = useZodForm({
    schema: ObjectionRulingBody,
    defaultValues: { decision: 'dismiss' as 'uphold' | 'dismiss', reasons: '' },
  });
  const decision = form.watch('decision');
  // Upholding an objection sends the resource back to its owner: the resource changes with the notice.
  const rule = useChange(
    (body: ObjectionRulingBody) => registrationApi.rule(objectionId, body),
    [keys.registration.all, keys.resources.all],
  );

  const onSubmit = form.onSubmit(async (body) => {
    await form.submit(() => rule.mutateAsync(body));
  });

  return (
    <form className="form form--inline" onSubmit={onSubmit} noValidate data-testid="ruling-form">
      <fieldset className="radio-row">
        <legend>{t('notices.rule')}</legend>
        {(['dismiss', 'uphold'] as const).map((d) => (
          <label key={d} className="checkbox">
            <input
              type="radio"
              name={`decision-${objectionId}`}
              checked={decision === d}
              onChange={() => form.setValue('decision', d)}
              data-testid={`ruling-${d}`}
            />
            {t(d === 'uphold' ? 'notices.uphold' : 'notices.dismiss')}
          </label>
        ))}
      </fieldset>
      <Field label={t('notices.rulingReasons')} path="body.reasons" errors={form.errors} required>
        {(p) => <textarea {...p} rows={3} {...form.register('reasons')} data-testid="ruling-reasons" />}
      </Field>
      <FormFooter form={form} shownPaths={['body.reasons']} label={t('notices.submitRuling')} testId="ruling-submit" />
    </form>
  );
}
