import { z } from 'zod';
import { DOMAIN_KEYS, OPENNESS, RESOURCE_STATUSES, UPDATE_FREQUENCIES } from '../constants';
import { EmptyBody, IdParams, PageQuery } from '../schemas/common';
import {
  AMENDMENT_KINDS,
  AmendmentBody,
  CancellationBody,
  NOTICE_STATUSES,
  NoticeQuery,
  OBJECTION_STATUSES,
  ObjectionBody,
  ObjectionRulingBody,
} from '../schemas/registration';
import { ResourceCreateBody, ResourceQuery, ResourceRegisterBody, ResourceUpdateBody } from '../schemas/resources';
import { operation, type Access } from './define';
import { GradeValue, Id, LevelValue, pageOf, ScanResultView, StoredFileView, Timestamp } from './views';

export const CertificateView = z.object({ number: z.string(), issuedAt: Timestamp, digest: z.string() });

/** A resource of the catalog (数据资源) as its owner, the authority and staff see it. */
export const ResourceView = z.object({
  id: Id,
  kind: z.enum(['public', 'enterprise']),
  registrationNumber: z.string().optional(),
  ownerOrgId: Id,
  createdBy: Id,
  name: z.string(),
  description: z.string(),
  holderDepartment: z.string(),
  regionCode: z.string(),
  domain: z.enum(DOMAIN_KEYS),
  openness: z.enum(OPENNESS),
  fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string().optional() })),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  recordCount: z.number().int().min(0),
  status: z.enum(RESOURCE_STATUSES),
  grade: GradeValue.optional(),
  level: LevelValue.optional(),
  sample: StoredFileView.optional(),
  scan: ScanResultView.optional(),
  certificate: CertificateView.optional(),
  registeredAt: Timestamp.optional(),
  retiredAt: Timestamp.optional(),
  registrationVersion: z.number().int().optional(),
  noticeId: z.string().optional(),
  noticeEndsAt: Timestamp.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ObjectionView = z.object({
  id: Id,
  noticeId: z.string(),
  resourceId: Id,
  at: Timestamp,
  status: z.enum(OBJECTION_STATUSES),
  reason: z.string().optional(),
  orgId: Id.optional(),
  contact: z.string().optional(),
  ruling: z
    .object({ decision: z.enum(['uphold', 'dismiss']), reasons: z.string().optional(), at: Timestamp })
    .optional(),
});

/** A registration under public notice (公示) or decided, with the snapshot it publishes. */
export const NoticeView = z.object({
  id: z.string(),
  resourceId: Id,
  attempt: z.number().int().min(1),
  ownerOrgId: Id.optional(),
  grade: GradeValue,
  level: LevelValue,
  publishedAt: Timestamp,
  endsAt: Timestamp,
  workingDays: z.number().int().min(0),
  status: z.enum(NOTICE_STATUSES),
  /** What the notice publishes, as it stood when published. */
  snapshot: z.object({
    name: z.string(),
    description: z.string().optional(),
    holderDepartment: z.string(),
    regionCode: z.string(),
    domain: z.enum(DOMAIN_KEYS),
    openness: z.enum(OPENNESS),
    kind: z.enum(['public', 'enterprise']),
    fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string().optional() })),
    updateFrequency: z.enum(UPDATE_FREQUENCIES),
    recordCount: z.number().int().min(0),
    grade: GradeValue,
    level: LevelValue,
    sampleSha256: z.string().nullable(),
    ownerOrgName: z.string().optional(),
    ownerOrgCreditCode: z.string(),
  }),
  objections: z.array(ObjectionView),
  decidedAt: Timestamp.optional(),
  registrationNumber: z.string().optional(),
});

const AmendmentView = z.object({
  id: Id,
  resourceId: Id.optional(),
  version: z.number().int(),
  kind: z.enum([...AMENDMENT_KINDS, 'cancellation']),
  reason: z.string(),
  changes: z.record(z.string(), z.unknown()).optional(),
  before: z.record(z.string(), z.unknown()).optional(),
  certificate: CertificateView.optional(),
  by: Id.optional(),
  at: Timestamp,
});

const owners = { roles: ['authority', 'provider'] } as const satisfies Access;

/** 数据资源登记: the catalog of resources, their samples, registration and its lifecycle. */
export const resourceOperations = {
  list: operation({
    method: 'get',
    path: '/resources',
    tag: 'catalog',
    summary: 'Search the catalog of resources (what each role may see of it)',
    access: 'signed-in',
    query: ResourceQuery,
    reply: { json: pageOf(ResourceView) },
  }),
  get: operation({
    method: 'get',
    path: '/resources/{id}',
    tag: 'catalog',
    summary: 'One resource',
    access: 'signed-in',
    params: IdParams,
    reply: { json: ResourceView },
  }),
  downloadSample: operation({
    method: 'get',
    path: '/resources/{id}/sample',
    tag: 'catalog',
    summary: 'Download the sample (owner, authority, exchange, regulator); X-Content-SHA256 carries its digest',
    access: 'signed-in',
    params: IdParams,
    reply: { produces: 'application/octet-stream', description: 'The sample file as uploaded' },
  }),
  create: operation({
    method: 'post',
    path: '/resources',
    tag: 'catalog',
    summary: 'Create a draft resource',
    access: owners,
    body: ResourceCreateBody,
    reply: { json: ResourceView, status: 201 },
  }),
  update: operation({
    method: 'patch',
    path: '/resources/{id}',
    tag: 'catalog',
    summary: 'Edit a draft resource',
    access: owners,
    params: IdParams,
    body: ResourceUpdateBody,
    reply: { json: ResourceView },
  }),
  uploadSample: operation({
    method: 'post',
    path: '/resources/{id}/sample',
    tag: 'catalog',
    summary: 'Upload a sample (CSV, JSON or XLSX, ≤ 10 MB); returns the scan and proposed grade',
    access: owners,
    params: IdParams,
    upload: 'file',
    reply: {
      json: z.object({
        resource: ResourceView.partial().extend({ id: Id }),
        scan: ScanResultView,
        proposed: z.object({ grade: GradeValue, level: LevelValue }),
      }),
    },
  }),
  register: operation({
    method: 'post',
    path: '/resources/{id}/register',
    tag: 'catalog',
    summary: 'Register (grade may only be raised): public notice first, then the certificate',
    access: owners,
    params: IdParams,
    body: ResourceRegisterBody,
    reply: {
      json: z.object({
        resource: ResourceView,
        certificate: CertificateView.optional(),
        notice: NoticeView.optional(),
      }),
    },
  }),
  retire: operation({
    method: 'post',
    path: '/resources/{id}/retire',
    tag: 'catalog',
    summary: 'Retire a registered resource (cancellation without a stated reason)',
    access: owners,
    params: IdParams,
    body: EmptyBody,
    reply: { json: ResourceView },
  }),
  // registration lifecycle (公示, 异议, 变更、更正、注销)
  listNotices: operation({
    method: 'get',
    path: '/registration-notices',
    tag: 'registration',
    summary: 'Registrations under public notice (公示), or decided ones by status',
    access: 'public-or-signed-in',
    query: NoticeQuery,
    reply: { json: pageOf(NoticeView) },
  }),
  getNotice: operation({
    method: 'get',
    path: '/registration-notices/{id}',
    tag: 'registration',
    summary: 'One notice (id `<resourceId>#<n>`, # percent-encoded) with its objections',
    access: 'public-or-signed-in',
    params: z.strictObject({
      id: z.string().regex(/^[a-f0-9]{24}#\d{1,4}$/, 'a notice id <resource id>#<n>'),
    }),
    reply: { json: NoticeView },
  }),
  object: operation({
    method: 'post',
    path: '/registration-notices/{id}/objections',
    tag: 'registration',
    summary: 'Object to a registration under notice (异议)',
    access: 'signed-in',
    params: z.strictObject({
      id: z.string().regex(/^[a-f0-9]{24}#\d{1,4}$/, 'a notice id <resource id>#<n>'),
    }),
    body: ObjectionBody,
    reply: { json: ObjectionView, status: 201 },
  }),
  listObjections: operation({
    method: 'get',
    path: '/registration-objections',
    tag: 'registration',
    summary: 'Objections to rule on',
    access: { roles: ['authority', 'regulator'] },
    query: PageQuery.extend({ status: z.enum(OBJECTION_STATUSES).optional() }),
    reply: {
      json: pageOf(
        ObjectionView.extend({
          notice: z.object({ id: z.string(), name: z.string(), endsAt: Timestamp, status: z.enum(NOTICE_STATUSES) }),
        }),
      ),
    },
  }),
  rule: operation({
    method: 'post',
    path: '/registration-objections/{id}/ruling',
    tag: 'registration',
    summary: 'Uphold or dismiss an objection, with reasons',
    access: { roles: ['authority'] },
    params: IdParams,
    body: ObjectionRulingBody,
    reply: { json: z.object({ objection: ObjectionView, notice: NoticeView }) },
  }),
  history: operation({
    method: 'get',
    path: '/resources/{id}/registration-history',
    tag: 'registration',
    summary: 'Notices, certificate and amendments of a resource',
    access: 'signed-in',
    params: IdParams,
    reply: {
      json: z.object({
        notices: z.array(NoticeView),
        registration: z.object({ number: z.string(), at: Timestamp, certificate: CertificateView }).nullable(),
        amendments: z.array(AmendmentView),
      }),
    },
  }),
  amend: operation({
    method: 'post',
    path: '/resources/{id}/amendments',
    tag: 'registration',
    summary: 'Change (变更) or correction (更正) registration, with its reason; appends to the ledger',
    access: owners,
    params: IdParams,
    body: AmendmentBody,
    reply: { json: z.object({ resource: ResourceView, amendment: AmendmentView }), status: 201 },
  }),
  cancel: operation({
    method: 'post',
    path: '/resources/{id}/cancel',
    tag: 'registration',
    summary: 'Cancellation registration (注销), with its reason; appends resource.cancelled',
    access: owners,
    params: IdParams,
    body: CancellationBody,
    reply: { json: z.object({ resource: ResourceView, amendment: AmendmentView }) },
  }),
};
