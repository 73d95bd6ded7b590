import { z } from 'zod';
import {
  AUTHORIZATION_STATUSES,
  DELIVERY_MODES,
  DOMAIN_KEYS,
  LISTING_STATUSES,
  PRICING_MODELS,
  PRODUCT_TYPES,
} from '../constants';
import {
  APPLICATION_STATUSES,
  ApplicationBody,
  ApplicationDecisionBody,
  ApplicationQuery,
} from '../schemas/applications';
import { AuthorizationActionBody, AuthorizationCreateBody, AuthorizationQuery } from '../schemas/authorizations';
import { IdParams } from '../schemas/common';
import { operation, type Access } from './define';
import { GradeValue, Id, LevelValue, pageOf, Timestamp } from './views';

const FeeCapsView = z.partialRecord(z.enum(PRICING_MODELS), z.number().int().min(0));

/** A resource as an authorization or an application names it. */
const ResourceRefView = z.object({
  id: Id,
  registrationNumber: z.string().nullable().optional(),
  name: z.string().nullable(),
  domain: z.enum(DOMAIN_KEYS).nullable().optional(),
  grade: GradeValue.nullable().optional(),
  level: LevelValue.nullable().optional(),
});

const OperatorView = z.object({ id: Id, name: z.string(), creditCode: z.string() });

/** What an operator asks for, and what an authorization grants: resources, purpose, scope and term. */
const Scope = {
  operatorOrgId: Id,
  resourceIds: z.array(Id),
  purpose: z.string(),
  allowedProductTypes: z.array(z.enum(PRODUCT_TYPES)),
  allowedDeliveryModes: z.array(z.enum(DELIVERY_MODES)),
  validFrom: Timestamp,
  validTo: Timestamp,
  operator: OperatorView.nullable().optional(),
  resources: z.array(ResourceRefView).optional(),
};

/** 授权运营: an authorization as its authority, its operator and staff see it. */
export const AuthorizationView = z.object({
  ...Scope,
  id: Id,
  number: z.string(),
  authorityOrgId: Id,
  feeCaps: FeeCapsView.optional(),
  status: z.enum(AUTHORIZATION_STATUSES),
  /** `expired` is derived from the date; `status` is what is stored. */
  effectiveStatus: z.enum(AUTHORIZATION_STATUSES),
  statusReason: z.string().optional(),
  suspendedAt: Timestamp.optional(),
  revokedAt: Timestamp.optional(),
  grantedBy: Id,
  authority: z.object({ id: Id, name: z.string() }).nullable().optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** GET /authorizations/{id}: with the products built on it. */
export const AuthorizationDetailView = AuthorizationView.extend({
  listings: z.array(
    z.object({
      id: Id,
      code: z.string().nullable(),
      title: z.string(),
      status: z.enum(LISTING_STATUSES),
      productType: z.enum(PRODUCT_TYPES),
      deliveryMode: z.enum(DELIVERY_MODES),
      pricing: z.object({ model: z.enum(PRICING_MODELS), priceFen: z.number().int() }),
    }),
  ),
});

/** 授权运营申请: an operator's application and, once decided, the decision. */
export const ApplicationView = z.object({
  ...Scope,
  id: Id,
  appliedBy: Id,
  at: Timestamp,
  status: z.enum(APPLICATION_STATUSES),
  renewalOf: Id.optional(),
  decision: z
    .object({
      decision: z.enum(['approve', 'reject']),
      reasons: z.string().optional(),
      by: Id,
      at: Timestamp,
      authorizationId: Id.optional(),
      number: z.string().optional(),
    })
    .optional(),
  renewal: z
    .object({ id: Id, number: z.string(), validTo: Timestamp, feeCaps: FeeCapsView.optional() })
    .nullable()
    .optional(),
});

const authority = { roles: ['authority'] } as const satisfies Access;
const readers = { roles: ['authority', 'provider', 'exchange', 'regulator'] } as const satisfies Access;

function action(name: 'suspend' | 'resume' | 'revoke', summary: string) {
  return operation({
    method: 'post',
    path: `/authorizations/{id}/${name}`,
    tag: 'authorizations',
    summary,
    access: authority,
    params: IdParams,
    body: AuthorizationActionBody,
    reply: { json: AuthorizationView },
  });
}

/** Grant, suspend, resume and revoke are the granting authority's; operators apply. */
export const authorizationOperations = {
  grant: operation({
    method: 'post',
    path: '/authorizations',
    tag: 'authorizations',
    summary: 'Grant an authorization',
    access: authority,
    body: AuthorizationCreateBody,
    reply: { json: AuthorizationView, status: 201 },
  }),
  list: operation({
    method: 'get',
    path: '/authorizations',
    tag: 'authorizations',
    summary: 'List authorizations (`expiringWithinDays`: ending within N Asia/Shanghai days, soonest first)',
    access: readers,
    query: AuthorizationQuery,
    reply: { json: pageOf(AuthorizationView) },
  }),
  get: operation({
    method: 'get',
    path: '/authorizations/{id}',
    tag: 'authorizations',
    summary: 'One authorization with the products built on it',
    access: readers,
    params: IdParams,
    reply: { json: AuthorizationDetailView },
  }),
  suspend: action('suspend', 'Suspend; suspends dependent listings'),
  resume: action('resume', 'Resume a suspended authorization (and the listings its suspension suspended)'),
  revoke: action('revoke', 'Revoke (final); suspends dependent listings'),
  apply: operation({
    method: 'post',
    path: '/authorization-applications',
    tag: 'authorizations',
    summary: 'Apply for an authorization, or its renewal (授权运营申请)',
    access: { roles: ['provider'] },
    body: ApplicationBody,
    reply: { json: ApplicationView, status: 201 },
  }),
  listApplications: operation({
    method: 'get',
    path: '/authorization-applications',
    tag: 'authorizations',
    summary: 'Applications (the operator its own); pending first unless filtered by status',
    access: { roles: ['authority', 'provider', 'regulator'] },
    query: ApplicationQuery,
    reply: { json: pageOf(ApplicationView) },
  }),
  decide: operation({
    method: 'post',
    path: '/authorization-applications/{id}/decision',
    tag: 'authorizations',
    summary: 'Approve (grants) or reject with reasons',
    access: authority,
    params: IdParams,
    body: ApplicationDecisionBody,
    reply: { json: ApplicationView },
  }),
};
