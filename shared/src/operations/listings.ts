import { z } from 'zod';
import {
  DELIVERY_MODES,
  DOMAIN_KEYS,
  LISTING_STATUSES,
  PRICING_MODELS,
  PRODUCT_TYPES,
  AUTHORIZATION_STATUSES,
} from '../constants';
import { EmptyBody, IdParams } from '../schemas/common';
import { DelistBody, ListingCreateBody, ListingQuery, ListingUpdateBody, ReviewBody } from '../schemas/listings';
import { operation, type Access } from './define';
import { GradeValue, Id, LevelValue, pageOf, ScanResultView, StoredFileView, Timestamp } from './views';

const PricingView = z.object({
  model: z.enum(PRICING_MODELS),
  priceFen: z.number().int().min(0),
  unit: z.string().optional(),
  periodDays: z.number().int().optional(),
});

/** A listing as anyone may see it once listed (the catalog card and the public detail). */
export const ListingPublicView = z.object({
  id: Id,
  code: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  productType: z.enum(PRODUCT_TYPES),
  providerOrgId: Id,
  providerName: z.string(),
  sourceResourceIds: z.array(Id),
  authorizationId: Id.nullable(),
  grade: GradeValue,
  level: LevelValue.nullable(),
  domains: z.array(z.enum(DOMAIN_KEYS)),
  deIdentified: z.boolean(),
  deliveryMode: z.enum(DELIVERY_MODES),
  pricing: PricingView,
  sample: StoredFileView.nullable(),
  tags: z.array(z.string()),
  sandboxK: z.number().int().nullable(),
  status: z.enum(LISTING_STATUSES),
  listedAt: Timestamp.nullable(),
  settledCount: z.number().int().min(0),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const RuleResultView = z.object({ rule: z.string(), ok: z.boolean(), detail: z.string().optional() });

/** The owner's, the exchange's and the regulator's view: everything but the heavy parts in lists. */
export const ListingStaffView = ListingPublicView.extend({
  createdBy: Id,
  statusReason: z.string().nullable(),
  suspendedBy: z.string().nullable(),
  submittedAt: Timestamp.nullable(),
  delistedAt: Timestamp.nullable(),
  delistCount: z.number().int().min(0),
  dataFile: StoredFileView.nullable(),
});

/** The whole record (owner, exchange, regulator): scans and the review history too. */
export const ListingFullView = ListingStaffView.extend({
  sampleScan: ScanResultView.nullable(),
  dataScan: ScanResultView.nullable(),
  reviews: z.array(
    z.object({
      by: Id,
      at: Timestamp,
      decision: z.enum(['approve', 'reject']),
      reasons: z.array(z.string()),
      checklist: z.array(RuleResultView),
    }),
  ),
});

/** What a reply may hold of a listing: the public view, or more for those who may see more. */
export const ListingView = z.union([ListingFullView, ListingStaffView, ListingPublicView]);
export type ListingView = z.infer<typeof ListingView>;

const FacetCount = z.object({ value: z.string(), count: z.number().int().min(0) });
export const CatalogFacetsView = z.object({
  domain: z.array(FacetCount),
  type: z.array(FacetCount),
  grade: z.array(FacetCount),
  price: z.array(
    z.object({
      band: z.string(),
      minPriceFen: z.number().int(),
      maxPriceFen: z.number().int().nullable(),
      count: z.number().int().min(0),
    }),
  ),
});

export const ListingPage = pageOf(ListingView).extend({ facets: CatalogFacetsView.optional() });

/** GET /listings/{id}: the listing with its sources, its authorization's state and whether it can be bought. */
export const ListingDetailView = z.intersection(
  ListingView,
  z.object({
    sources: z.array(
      z.object({
        id: Id,
        registrationNumber: z.string().nullable(),
        name: z.string().nullable(),
        kind: z.enum(['public', 'enterprise']).nullable(),
        domain: z.enum(DOMAIN_KEYS).nullable(),
        grade: GradeValue.nullable(),
        level: LevelValue.nullable(),
      }),
    ),
    authorization: z.object({ id: Id, number: z.string(), effectiveStatus: z.enum(AUTHORIZATION_STATUSES) }).nullable(),
    purchasable: z.boolean(),
  }),
);

const providers = { roles: ['provider'] } as const satisfies Access;

/** 挂牌: products built from registered resources, reviewed by the exchange, listed in the catalog. */
export const listingOperations = {
  search: operation({
    method: 'get',
    path: '/listings',
    tag: 'listings',
    summary:
      'Public catalog of listed products: search (relevance by default with q), filters, sorts, and facet counts (domain, type, grade, price band); providers and staff list other statuses',
    access: 'public-or-signed-in',
    query: ListingQuery,
    reply: { json: ListingPage },
  }),
  get: operation({
    method: 'get',
    path: '/listings/{id}',
    tag: 'listings',
    summary: 'One listing (public when listed) with its sources and whether it can be bought',
    access: 'public-or-signed-in',
    params: IdParams,
    reply: { json: ListingDetailView },
  }),
  downloadSample: operation({
    method: 'get',
    path: '/listings/{id}/sample',
    tag: 'listings',
    summary: 'Download the listing sample (public when listed)',
    access: 'public-or-signed-in',
    params: IdParams,
    reply: { produces: 'application/octet-stream', description: 'The sample file as uploaded' },
  }),
  create: operation({
    method: 'post',
    path: '/listings',
    tag: 'listings',
    summary: 'Create a draft listing',
    access: providers,
    body: ListingCreateBody,
    reply: { json: ListingFullView, status: 201 },
  }),
  update: operation({
    method: 'patch',
    path: '/listings/{id}',
    tag: 'listings',
    summary: 'Edit while draft or rejected',
    access: providers,
    params: IdParams,
    body: ListingUpdateBody,
    reply: { json: ListingFullView },
  }),
  uploadSample: operation({
    method: 'post',
    path: '/listings/{id}/sample',
    tag: 'listings',
    summary: 'Upload the listing sample (CSV, JSON or XLSX); returns the listing with its scan',
    access: providers,
    params: IdParams,
    upload: 'file',
    reply: { json: ListingFullView },
  }),
  uploadData: operation({
    method: 'post',
    path: '/listings/{id}/data',
    tag: 'listings',
    summary: 'Upload the deliverable (never public); returns the listing with its scan',
    access: providers,
    params: IdParams,
    upload: 'file',
    reply: { json: ListingFullView },
  }),
  submit: operation({
    method: 'post',
    path: '/listings/{id}/submit',
    tag: 'listings',
    summary: 'Submit for review; the compliance rules come back as a preview checklist',
    access: providers,
    params: IdParams,
    body: EmptyBody,
    reply: { json: z.object({ listing: ListingFullView, checklist: z.array(RuleResultView) }) },
  }),
  review: operation({
    method: 'post',
    path: '/listings/{id}/review',
    tag: 'listings',
    summary: 'Approve (runs every compliance rule; assigns the code and lists) or reject with reasons',
    access: { roles: ['exchange'], duty: 'review' },
    params: IdParams,
    body: ReviewBody,
    reply: { json: ListingFullView },
  }),
  delist: operation({
    method: 'post',
    path: '/listings/{id}/delist',
    tag: 'listings',
    summary: 'Delist with a reason (the provider its own, or exchange review staff)',
    access: { roles: ['provider', 'exchange'], duty: 'review' },
    params: IdParams,
    body: DelistBody,
    reply: { json: ListingFullView },
  }),
};
