import { z } from 'zod';
import { EmptyBody, IdParams } from '../schemas/common';
import { DataQuery, DeliveryTokenParams, ListingCodeParams, RevokeEntitlementBody } from '../schemas/orders';
import { operation, type Access } from './define';
import { Id, StoredFileView, Timestamp } from './views';

const EntitlementBase = z.object({
  id: Id,
  orderId: Id,
  listingCode: z.string(),
  grantedAt: Timestamp,
  validUntil: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  revokeReason: z.string().nullable(),
});

/** An entitlement as the API shows it (delivery.service `entitlementView`): limits, use, dates; never a hash. */
export const EntitlementView = z.discriminatedUnion('kind', [
  EntitlementBase.extend({
    kind: z.literal('download'),
    downloadLimit: z.number().int().min(0),
    downloadsUsed: z.number().int().min(0),
    downloadsLeft: z.number().int().min(0),
    tokenExpiresAt: Timestamp.nullable(),
  }),
  EntitlementBase.extend({
    kind: z.literal('api'),
    callQuota: z.number().int().min(0),
    callsUsed: z.number().int().min(0),
    callsLeft: z.number().int().min(0),
    apiKeyPrefix: z.string().nullable(),
  }),
  EntitlementBase.extend({
    kind: z.literal('sandbox'),
    workspaceId: z.string().nullable(),
    accesses: z.number().int().min(0),
  }),
]);

/** GET /orders/{id}/delivery: how the buyer gets the data, by the entitlement's kind. */
export const DeliveryView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('download'),
    url: z.string(),
    token: z.string(),
    expiresAt: Timestamp,
    downloadsLeft: z.number().int().min(0),
    file: StoredFileView,
    entitlement: EntitlementView,
  }),
  z.object({
    kind: z.literal('api'),
    endpoint: z.string(),
    header: z.literal('X-Api-Key'),
    /** Only when this call issued the key (the first one): it is never shown again. */
    apiKey: z.string().optional(),
    apiKeyPrefix: z.string().nullable(),
    callsLeft: z.number().int().min(0),
    entitlement: EntitlementView,
  }),
  z.object({
    kind: z.literal('sandbox'),
    workspace: z.object({ id: z.string().nullable(), listingCode: z.string(), validUntil: Timestamp.nullable() }),
    instructions: z.string(),
    entitlement: EntitlementView,
  }),
]);

/** A new API key (the old one stops working). */
export const ApiKeyView = z.object({
  apiKey: z.string(),
  apiKeyPrefix: z.string().nullable(),
  callsLeft: z.number().int().min(0),
  entitlement: EntitlementView,
});

/** One metered call of the data API: a page of the product's rows. */
export const DataRowsView = z.object({
  listingCode: z.string(),
  columns: z.array(z.string()),
  offset: z.number().int().min(0),
  limit: z.number().int().min(0),
  // Cells as the deliverable holds them (CSV text, or JSON values of any kind): free-form by nature.
  rows: z.array(z.record(z.string(), z.unknown())),
  hasMore: z.boolean(),
  callsLeft: z.number().int().min(0),
});

const buyers = { roles: ['buyer'] } as const satisfies Access;

/** 交付: the buyer's entitlement and its three ways of delivery (download, metered API, sandbox). */
export const deliveryOperations = {
  orderDelivery: operation({
    method: 'get',
    path: '/orders/{id}/delivery',
    tag: 'delivery',
    summary:
      'The entitlement: a fresh download URL, the API endpoint (with the key the first time) or sandbox access (Cache-Control: no-store)',
    access: buyers,
    params: IdParams,
    reply: { json: DeliveryView },
  }),
  rotateApiKey: operation({
    method: 'post',
    path: '/orders/{id}/delivery/api-key',
    tag: 'delivery',
    summary: 'Issue a new API key for an API entitlement; the old key stops working (Cache-Control: no-store)',
    access: buyers,
    params: IdParams,
    body: EmptyBody,
    reply: { json: ApiKeyView },
  }),
  getEntitlement: operation({
    method: 'get',
    path: '/orders/{id}/entitlement',
    tag: 'delivery',
    summary: "The order's entitlement: limits, what is used and left, revocation",
    access: { roles: ['buyer', 'provider', 'exchange', 'regulator'] },
    params: IdParams,
    reply: { json: EntitlementView },
  }),
  revokeEntitlement: operation({
    method: 'post',
    path: '/orders/{id}/entitlement/revoke',
    tag: 'delivery',
    summary: "Revoke the order's entitlement with a reason (exchange clearing staff)",
    access: { roles: ['exchange'], duty: 'clearing' },
    params: IdParams,
    body: RevokeEntitlementBody,
    reply: { json: EntitlementView },
  }),
  download: operation({
    method: 'get',
    path: '/deliveries/{token}',
    tag: 'delivery',
    summary: 'Download the data file while the token is valid (the token is the credential; X-Downloads-Left header)',
    access: 'public',
    params: DeliveryTokenParams,
    reply: { produces: 'application/octet-stream', description: 'The deliverable as uploaded' },
  }),
  dataRows: operation({
    method: 'get',
    path: '/data/{listingCode}',
    tag: 'delivery',
    summary: 'Metered data API: one call, one page of rows (the X-Api-Key header is the credential; X-Calls-Remaining)',
    access: 'public',
    params: ListingCodeParams,
    query: DataQuery,
    headers: {
      'X-Api-Key': { schema: z.string(), required: true, description: 'The API key of an API entitlement' },
    },
    reply: { json: DataRowsView },
  }),
};
