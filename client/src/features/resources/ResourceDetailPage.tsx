import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { GRADES, LEVELS, ResourceRegisterBody, type Grade, type Level } from '@zdec/shared';
import { resourcesApi } from '../../api/endpoints';
import type { Certificate, ResourceView, ScanResult } from '../../api/types';
import { FileUpload } from '../../components/FileUpload';
import { AsyncBlock, Badge, Facts, Notice, PageHeader } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useChange, useInvalidate } from '../../components/useChange';
import { useZodForm } from '../../components/useZodForm';
import { useI18n } from '../../i18n/I18nProvider';
import { ScanTable } from './ScanTable';
import { ReceiptLink } from '../receipts/ReceiptPage'; // verifiable receipts (issue 15)
import { RegistrationLifecycle } from './RegistrationLifecycle';
import { useAuth } from '../../auth/AuthProvider';
import { FormFooter } from '../../components/FormActions';
import { EnumSelectField } from '../../components/EnumSelectField';
import { SchemaFieldList } from './SchemaFieldList';

export function ResourceDetailPage() {
  const { id = '' } = useParams();
  const state = useQuery({
    queryKey: keys.resources.detail(id),
    queryFn: ({ signal }) => resourcesApi.get(id, signal),
  });
  return <AsyncBlock state={state}>{(resource) => <ResourceDetail resource={resource} />}</AsyncBlock>;
}

function ResourceDetail({ resource: r }: { resource: ResourceView }) {
  const { t, tEnum, dateTime, number } = useI18n();
  const [scan, setScan] = useState<ScanResult | null>(r.scan ?? null);
  const [issued, setCertificate] = useState<Certificate | null>(r.certificate ?? null);
  // A change or correction re-issues the digest: the reloaded resource's certificate is the current one.
  const certificate = r.certificate ?? issued;
  const isDraft = !r.status || r.status === 'draft';
  const { user } = useAuth();
  const invalidate = useInvalidate();

  return (
    <div data-testid="resource-detail" data-id={r.id} data-status={r.status}>
      <p className="breadcrumb">
        <Link to="/resources">{t('resources.title')}</Link> / {r.registrationNumber ?? t('resources.draft')}
      </p>
      <PageHeader title={r.name} subtitle={r.holderDepartment} />
      <section className="card" aria-labelledby="resource-facts">
        <h2 id="resource-facts">{t('resources.metadata')}</h2>
        <Facts
          items={[
            [t('resources.registrationNumber'), <span className="code">{r.registrationNumber ?? '—'}</span>],
            [t('resources.status'), <Badge kind="resourceStatus" value={r.status} />],
            [t('listing.domain'), tEnum('domain', r.domain)],
            [t('resources.openness'), tEnum('openness', r.openness)],
            [t('resources.regionCode'), r.regionCode],
            [t('resources.updateFrequency'), tEnum('updateFrequency', r.updateFrequency)],
            [t('resources.recordCount'), number(r.recordCount)],
            [
              t('listing.grade'),
              <>
                <Badge kind="grade" value={r.grade} testId="grade-badge" />{' '}
                {r.level && <Badge kind="level" value={r.level} testId="level-badge" />}
              </>,
            ],
            [t('resources.description'), r.description || '—'],
          ]}
        />
        {r.fields && r.fields.length > 0 && (
          <details className="details">
            <summary>{t('resources.fieldsCount', { n: r.fields.length })}</summary>
            <SchemaFieldList fields={r.fields} />
          </details>
        )}
      </section>

      <section className="card" aria-labelledby="resource-sample">
        <h2 id="resource-sample">{t('sample.title')}</h2>
        {r.sample?.sha256 && (
          <p className="muted small">
            {t('sample.current', { name: r.sample.filename ?? '—' })} · {t('sample.sha256')}{' '}
            <span className="code hash">{r.sample.sha256}</span>
          </p>
        )}
        {isDraft ? (
          <FileUpload
            label={t('sample.file')}
            buttonLabel={t('sample.upload')}
            upload={(file, onProgress) => resourcesApi.uploadSample(r.id, file, onProgress)}
            onUploaded={(res) => {
              setScan(res.scan ?? res.resource?.scan ?? null);
              invalidate([keys.resources.detail(r.id)]);
            }}
            testId="sample"
          />
        ) : (
          <p className="muted">{t('sample.lockedAfterRegistration')}</p>
        )}
        {scan ? <ScanTable scan={scan} /> : <p className="muted">{t('scan.notYet')}</p>}
      </section>

      <section className="card" aria-labelledby="resource-register">
        <h2 id="resource-register">{t('register.title')}</h2>
        {certificate ? (
          <div data-testid="certificate">
            <Notice kind="success">{t('register.done')}</Notice>
            <Facts
              items={[
                [
                  t('register.certificateNumber'),
                  <span className="code" data-testid="certificate-number">
                    {certificate.number}
                  </span>,
                ],
                [t('register.issuedAt'), dateTime(certificate.issuedAt)],
                [t('register.digest'), <span className="code hash">{certificate.digest}</span>],
              ]}
            />
            <p className="actions">
              <ReceiptLink kind="registration" id={r.id} />
            </p>
          </div>
        ) : r.status === 'publicizing' ? (
          <Notice kind="info" testId="register-publicized">
            {t('register.publicized')}
          </Notice>
        ) : isDraft ? (
          scan ? (
            <RegisterForm
              resourceId={r.id}
              proposed={scan.proposed}
              onRegistered={(c) => {
                if (c) setCertificate(c);
              }}
            />
          ) : (
            <p className="muted">{t('register.needsScan')}</p>
          )
        ) : (
          <p className="muted">{t('register.notDraft')}</p>
        )}
      </section>
      {r.status !== 'draft' && <RegistrationLifecycle resource={r} isOwner={user?.org.id === r.ownerOrgId} />}
    </div>
  );
}

function RegisterForm({
  resourceId,
  proposed,
  onRegistered,
}: {
  resourceId: string;
  proposed: ScanResult['proposed'];
  onRegistered: (c: Certificate | undefined) => void;
}) {
  const { t } = useI18n();
  const form = useZodForm({
    schema: ResourceRegisterBody,
    defaultValues: { grade: proposed?.grade ?? 'general', level: proposed?.level ?? 'L1' },
    toBody: ({ grade, level }: { grade: Grade; level: Level }) => (grade === 'general' ? { grade, level } : { grade }),
  });
  const grade = form.watch('grade');
  // The authority may raise what the scan proposed, never lower it.
  const grades = GRADES.slice(Math.max(0, GRADES.indexOf(proposed?.grade ?? 'general')));
  const levels = LEVELS.slice(Math.max(0, LEVELS.indexOf(proposed?.level ?? 'L1')));
  // Public data goes to public notice: the notices change with the resource.
  const register = useChange(
    (body: ResourceRegisterBody) => resourcesApi.register(resourceId, body),
    [keys.resources.all, keys.registration.all],
  );

  const onSubmit = form.onSubmit(async (body) => {
    const done = await form.submit(() => register.mutateAsync(body));
    if (!done) return;
    // Public data goes to public notice first (no certificate yet); the page then shows the notice.
    onRegistered(done.value?.certificate ?? done.value?.resource?.certificate ?? undefined);
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="register-resource-form">
      <p className="muted">{t('register.hint')}</p>
      <div className="grid-2">
        <EnumSelectField
          label={t('listing.grade')}
          path="body.grade"
          errors={form.errors}
          field={form.register('grade')}
          values={grades}
          kind="grade"
          testId="register-grade"
        />
        {grade === 'general' && (
          <EnumSelectField
            label={t('scan.level')}
            path="body.level"
            errors={form.errors}
            field={form.register('level')}
            values={levels}
            kind="level"
            testId="register-level"
          />
        )}
      </div>
      <FormFooter
        form={form}
        shownPaths={['body.grade', 'body.level']}
        label={t('register.submit')}
        testId="register-resource-submit"
      />
    </form>
  );
}
