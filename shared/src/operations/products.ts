import { z } from 'zod';
import { AUTHORIZATION_STATUSES, DELIVERY_MODES, DOMAIN_KEYS, OPENNESS, PRODUCT_TYPES } from '../constants';
import { IdParams, ObjectIdString, PageQuery } from '../schemas/common';
import { WatchBody } from '../schemas/products';
import { operation } from './define';
import { ListingDetailView, ListingView } from './listings';
import { CertificateView } from './resources';
import { GradeValue, Id, LevelValue, pageOf, Timestamp } from './views';

const OrgView = z.object({ id: Id, name: z.string(), creditCode: z.string() });
const Coverage = z.object({ from: z.string(), to: z.string(), columns: z.array(z.string()) }).nullable();

/** 产品说明书: what a buyer reads before paying, from the records behind the product. */
export const DossierView = z.object({
  listing: ListingDetailView,
  sources: z.array(
    z.object({
      id: Id,
      registrationNumber: z.string().nullable(),
      name: z.string(),
      kind: z.enum(['public', 'enterprise']),
      holderDepartment: z.string(),
      registrant: OrgView.nullable(),
      regionCode: z.string(),
      domain: z.enum(DOMAIN_KEYS),
      openness: z.enum(OPENNESS),
      grade: GradeValue.nullable(),
      level: LevelValue.nullable(),
      status: z.string(),
      updateFrequency: z.string(),
      recordCount: z.number().int(),
      registeredAt: Timestamp.nullable(),
      certificate: CertificateView.nullable(),
      fields: z.array(
        z.object({
          name: z.string(),
          type: z.string(),
          description: z.string().optional(),
          level: LevelValue.nullable(),
          detected: z.array(z.string()),
        }),
      ),
    }),
  ),
  recordCount: z.number().int().min(0),
  updateFrequencies: z.array(z.string()),
  coverage: Coverage,
  sample: z
    .object({
      filename: z.string(),
      format: z.string(),
      size: z.number().int(),
      sha256: z.string(),
      columns: z.array(z.string()),
      rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
      rowsInSample: z.number().int(),
      maskedCells: z.number().int(),
      coverage: Coverage,
    })
    .nullable(),
  compliance: z
    .object({
      decision: z.enum(['approve', 'reject']),
      at: Timestamp,
      rules: z.array(z.object({ rule: z.string(), ok: z.boolean() })),
    })
    .nullable(),
  authorization: z
    .object({
      id: Id,
      number: z.string(),
      operator: OrgView.nullable(),
      authority: OrgView.nullable(),
      purpose: z.string(),
      allowedProductTypes: z.array(z.enum(PRODUCT_TYPES)),
      allowedDeliveryModes: z.array(z.enum(DELIVERY_MODES)),
      validFrom: Timestamp,
      validTo: Timestamp,
      effectiveStatus: z.enum(AUTHORIZATION_STATUSES),
    })
    .nullable(),
});

const buyers = { roles: ['buyer'] } as const;

/** A buyer's reading before paying: the dossier, and the watch list kept per user. */
export const productOperations = {
  dossier: operation({
    method: 'get',
    path: '/listings/{id}/dossier',
    tag: 'products',
    summary: 'The product dossier (产品说明书): sources, coverage, masked sample, compliance, authorization',
    access: 'public-or-signed-in',
    params: IdParams,
    reply: { json: DossierView },
  }),
  watchlist: operation({
    method: 'get',
    path: '/watchlist',
    tag: 'products',
    summary: "The buyer's watch list, newest first, each with the product as it stands now",
    access: buyers,
    query: z.strictObject(PageQuery.shape),
    reply: {
      json: pageOf(
        z.object({
          listingId: Id,
          at: Timestamp,
          available: z.boolean(),
          listing: z.union([ListingDetailView, ListingView]).nullable(),
        }),
      ),
    },
  }),
  watch: operation({
    method: 'post',
    path: '/watchlist',
    tag: 'products',
    summary: 'Watch a product (201 when new, 200 when already watched)',
    access: buyers,
    body: WatchBody,
    reply: { json: z.object({ created: z.boolean(), listingId: Id }), status: 201 },
  }),
  unwatch: operation({
    method: 'delete',
    path: '/watchlist/{listingId}',
    tag: 'products',
    summary: 'Stop watching a product',
    access: buyers,
    params: z.strictObject({ listingId: ObjectIdString }),
    reply: { empty: true, status: 204 },
  }),
};
