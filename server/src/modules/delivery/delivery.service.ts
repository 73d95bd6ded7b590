import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Types } from 'mongoose';
import type { Config } from '../../config';
import { now } from '../../platform/clock';
import { AppError, conflict, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { openFile } from '../../platform/storage';
import type { SampleEncoding, SampleFormat } from '../samples/samples.sniff';
import { dataPage } from '../sandbox/prepared';
import type { ListingRecord } from '../listings/listings.service';
import { listingWithAuthorization } from '../trade/listing-context';
import { orderById, type OrderRecord } from '../trade/orders.service';
import { completeSettlement } from '../trade/settlement';
import { canSeeOrder, isOrderBuyer } from '../trade/trade.policy';
import { deliveryBlock } from './delivery.policy';
import { EntitlementModel, type LeanEntitlement } from './entitlement.model';
import { UsageModel } from './usage.model';
import { compareAndSet, isDuplicateKey } from '../../platform/db';
import { events } from '../notifications/notifications.events';

/** An entitlement as stored. */
export type EntitlementRecord = LeanEntitlement;

const DAY_MS = 24 * 3600 * 1000;
/** Prefix of API keys, so a leaked key is recognisable (e.g. by secret scanners). */
const API_KEY_PREFIX = 'zdk_';

const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
const newSecret = () => crypto.randomBytes(32).toString('base64url');

export type UsageKind = 'download' | 'call' | 'access';

/** How many slots of a kind the entitlement has spent (slots are contiguous from 1). */
export async function used(entitlementId: Types.ObjectId, kind: UsageKind): Promise<number> {
  const last = await UsageModel.findOne({ entitlementId, kind }, { n: 1 }).sort({ n: -1 }).lean();
  return last?.n ?? 0;
}

/**
 * Spends one slot: inserts the next free `<entitlementId>:<kind>:<n>` with n ≤ limit. Returns n, or
 * null when every slot is taken. The unique key makes concurrent spenders take distinct slots.
 */
export async function spend(
  entitlementId: Types.ObjectId,
  kind: UsageKind,
  limit: number,
  at: Date,
): Promise<number | null> {
  for (let n = (await used(entitlementId, kind)) + 1; n <= limit; n++) {
    try {
      await UsageModel.create({ key: `${String(entitlementId)}:${kind}:${n}`, entitlementId, kind, n, at });
      return n;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return null;
}

/**
 * Creates the entitlement a settled order grants, once: the unique index on orderId makes a repeat
 * (the outbox sweep re-running, two flushes racing) a no-op. Created revoked when the order was
 * refunded before its settlement step completed.
 */
export async function grantEntitlement(order: OrderRecord, grantedAt: Date): Promise<void> {
  const kind = order.snapshot.deliveryMode;
  const { terms } = order;
  try {
    await EntitlementModel.create({
      _id: order._id, // one per order: read back by `_id` (entitlementOf)
      orderId: order._id,
      orderNumber: order.number,
      buyerOrgId: order.buyerOrgId,
      providerOrgId: order.providerOrgId,
      listingId: order.listingId,
      listingCode: order.listingCode,
      authorizationId: order.authorizationId,
      kind,
      grantedAt,
      validUntil: terms.validDays ? new Date(grantedAt.getTime() + terms.validDays * DAY_MS) : undefined,
      ...(kind === 'download' ? { downloadLimit: terms.downloadLimit } : {}),
      ...(kind === 'api' ? { callQuota: terms.callQuota } : {}),
      ...(kind === 'sandbox' ? { workspaceId: `SBX-${order.number}` } : {}),
      ...(order.status === 'refunded' ? { revokedAt: now(), revokeReason: 'Order refunded' } : {}),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * The entitlement of an order: its `_id` is the order's; one granted before that was so is found
 * by its (unique) orderId.
 */
async function entitlementOf(orderId: Types.ObjectId | string): Promise<LeanEntitlement | null> {
  return (
    (await EntitlementModel.findById(orderId).lean<LeanEntitlement>()) ??
    EntitlementModel.findOne({ orderId }).lean<LeanEntitlement>()
  );
}

/** Revokes the entitlement of an order (idempotent: the first revocation's record stays). */
export async function revokeEntitlement(
  orderId: Types.ObjectId | string,
  by: { userId?: string; reason: string },
): Promise<LeanEntitlement | null> {
  const ent = await entitlementOf(orderId);
  if (!ent) return null;
  const won = await compareAndSet(EntitlementModel, ent._id, 'revokedAt', [null], {
    revokedAt: now(),
    revokedBy: by.userId,
    revokeReason: by.reason,
  });
  const revoked = await EntitlementModel.findById(ent._id).lean<LeanEntitlement>();
  if (won && revoked?.revokedAt) await events.entitlementRevoked(revoked); // daily work (issue 16): the buyer's inbox
  return revoked;
}

/** POST /orders/:id/entitlement/revoke (exchange staff). */
export async function revokeOrderEntitlement(p: Principal, orderId: string, reason: string) {
  const ent = await entitlementOf(orderId);
  if (!ent) throw notFound('Entitlement');
  if (ent.revokedAt) throw conflict('The entitlement is already revoked');
  return entitlementView((await revokeEntitlement(orderId, { userId: p.id, reason }))!);
}

/** GET /orders/:id/entitlement: the entitlement's state, for whoever may see the order. */
export async function getEntitlement(p: Principal, orderId: string) {
  const order = await orderById(orderId, ['buyerOrgId', 'providerOrgId']);
  if (!order || !canSeeOrder(p, order)) throw notFound('Order');
  const ent = await entitlementOf(orderId);
  if (!ent) throw notFound('Entitlement');
  return entitlementView(ent);
}

/** The entitlement as the API shows it: limits, what is used and left, dates; never a hash. */
export interface EntitlementView {
  id: string;
  orderId: string;
  listingCode: string;
  kind: 'download' | 'api' | 'sandbox';
  grantedAt: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
  revokeReason: string | null;
  /** download */
  downloadLimit?: number;
  downloadsUsed?: number;
  downloadsLeft?: number;
  tokenExpiresAt?: Date | null;
  /** api */
  callQuota?: number;
  callsUsed?: number;
  callsLeft?: number;
  apiKeyPrefix?: string | null;
  /** sandbox */
  workspaceId?: string | null;
  accesses?: number;
}

export async function entitlementView(e: LeanEntitlement): Promise<EntitlementView> {
  const base: EntitlementView = {
    id: String(e._id),
    orderId: String(e.orderId),
    listingCode: e.listingCode,
    kind: e.kind,
    grantedAt: e.grantedAt,
    validUntil: e.validUntil ?? null,
    revokedAt: e.revokedAt ?? null,
    revokeReason: e.revokeReason ?? null,
  };
  if (e.kind === 'download') {
    const n = await used(e._id, 'download');
    const limit = e.downloadLimit ?? 0;
    return {
      ...base,
      downloadLimit: limit,
      downloadsUsed: n,
      downloadsLeft: Math.max(0, limit - n),
      tokenExpiresAt: e.tokenExpiresAt ?? null,
    };
  }
  if (e.kind === 'api') {
    const n = await used(e._id, 'call');
    const quota = e.callQuota ?? 0;
    return {
      ...base,
      callQuota: quota,
      callsUsed: n,
      callsLeft: Math.max(0, quota - n),
      apiKeyPrefix: e.apiKeyPrefix ?? null,
    };
  }
  return { ...base, workspaceId: e.workspaceId ?? null, accesses: await used(e._id, 'access') };
}

/** 403 unless the entitlement is in force and the listing and its authorization still allow delivery. */
export async function assertDeliverable(e: LeanEntitlement, at: Date): Promise<ListingRecord> {
  if (e.revokedAt) throw new AppError('entitlement-revoked', 403, 'This entitlement has been revoked');
  if (e.validUntil && e.validUntil.getTime() <= at.getTime()) {
    throw new AppError('entitlement-expired', 403, `This entitlement ended at ${e.validUntil.toISOString()}`);
  }
  const ctx = await listingWithAuthorization(e.listingId);
  if (!ctx) throw new AppError('delivery-stopped', 403, 'The product no longer exists');
  const block = deliveryBlock(ctx.listing, ctx.authorization, at);
  if (block) throw new AppError('delivery-stopped', 403, block);
  return ctx.listing;
}

function requireDataFile(listing: ListingRecord) {
  if (!listing.dataFile) throw new AppError('no-data-file', 409, 'The provider has not uploaded the data yet');
  return listing.dataFile;
}

/** The buyer's order and its entitlement. */
export async function buyerEntitlement(p: Principal, orderId: string): Promise<LeanEntitlement> {
  const order = await orderById(orderId);
  if (!order || !isOrderBuyer(p, order)) throw notFound('Order');
  if (order.status === 'pending_payment') throw new AppError('not-paid', 409, 'The order is not paid yet');
  if (order.status === 'cancelled') throw new AppError('cancelled', 409, 'The order was cancelled');
  let ent = await entitlementOf(order._id);
  if (!ent) {
    // Paid, but the settlement's outbox step has not run yet (a crash): complete it now.
    await completeSettlement(order._id);
    ent = await entitlementOf(order._id);
  }
  if (!ent) throw new AppError('not-delivered', 409, 'The order is paid; delivery is being prepared');
  return ent;
}

export interface DeliveryDeps {
  config: Config;
}

/**
 * GET /orders/:id/delivery. Download: a fresh link each time (the token is stored only as a hash,
 * so it cannot be shown again; a new one replaces the previous link; the download limit belongs to
 * the entitlement, so asking again never adds downloads). API: the key is shown once, when first
 * issued; later calls show its prefix (POST …/delivery/api-key issues a new one). Sandbox: the
 * workspace, and an access record; never a file.
 */
export async function orderDelivery({ config }: DeliveryDeps, p: Principal, orderId: string) {
  const ent = await buyerEntitlement(p, orderId);
  const at = now();
  const listing = await assertDeliverable(ent, at);
  const base = config.PUBLIC_URL ? config.PUBLIC_URL.replace(/\/$/, '') : '';

  if (ent.kind === 'download') {
    const file = requireDataFile(listing);
    if ((await used(ent._id, 'download')) >= (ent.downloadLimit ?? 0)) {
      throw new AppError('download-limit-reached', 429, 'Every download this order allows has been used');
    }
    const token = newSecret();
    const expiresAt = new Date(at.getTime() + config.DOWNLOAD_TOKEN_TTL_HOURS * 3600 * 1000);
    const updated = await EntitlementModel.findOneAndUpdate(
      { _id: ent._id, revokedAt: null },
      { $set: { tokenHash: hashSecret(token), tokenIssuedAt: at, tokenExpiresAt: expiresAt } },
      { new: true },
    ).lean<LeanEntitlement>();
    if (!updated) throw new AppError('entitlement-revoked', 403, 'This entitlement has been revoked');
    const view = await entitlementView(updated);
    return {
      kind: 'download' as const,
      url: `${base}/api/v1/deliveries/${token}`,
      token,
      expiresAt,
      downloadsLeft: view.downloadsLeft,
      file: { filename: file.filename, format: file.format, size: file.size, sha256: file.sha256 },
      entitlement: view,
    };
  }

  if (ent.kind === 'api') {
    const apiKey = ent.apiKeyHash ? null : await issueApiKey(ent._id, at, { onlyIfNone: true });
    const view = await entitlementView((await EntitlementModel.findById(ent._id).lean<LeanEntitlement>())!);
    return {
      kind: 'api' as const,
      endpoint: `${base}/api/v1/data/${ent.listingCode}`,
      header: 'X-Api-Key',
      ...(apiKey ? { apiKey } : {}),
      apiKeyPrefix: view.apiKeyPrefix,
      callsLeft: view.callsLeft,
      entitlement: view,
    };
  }

  await spend(ent._id, 'access', Number.MAX_SAFE_INTEGER, at);
  return {
    kind: 'sandbox' as const,
    workspace: { id: ent.workspaceId, listingCode: ent.listingCode, validUntil: ent.validUntil ?? null },
    instructions:
      '该数据仅可在交易中心的隐私计算沙箱内使用，不提供原始数据下载（数据可用不可见）。' +
      'Use this data inside the exchange sandbox workspace; raw data is never downloadable.',
    entitlement: await entitlementView(ent),
  };
}

async function issueApiKey(
  entitlementId: Types.ObjectId,
  at: Date,
  opts: { onlyIfNone: boolean },
): Promise<string | null> {
  const key = API_KEY_PREFIX + newSecret();
  const filter = opts.onlyIfNone
    ? { _id: entitlementId, revokedAt: null, apiKeyHash: null }
    : { _id: entitlementId, revokedAt: null };
  const res = await EntitlementModel.updateOne(filter, {
    $set: { apiKeyHash: hashSecret(key), apiKeyPrefix: key.slice(0, 10), apiKeyIssuedAt: at },
  });
  return res.modifiedCount === 1 ? key : null;
}

/** POST /orders/:id/delivery/api-key: a new API key (shown once); the previous key stops working. */
export async function rotateApiKey(p: Principal, orderId: string) {
  const ent = await buyerEntitlement(p, orderId);
  if (ent.kind !== 'api') throw new AppError('not-api', 409, 'This order is not delivered through the API');
  const at = now();
  await assertDeliverable(ent, at);
  const apiKey = await issueApiKey(ent._id, at, { onlyIfNone: false });
  if (!apiKey) throw new AppError('entitlement-revoked', 403, 'This entitlement has been revoked');
  const view = await entitlementView((await EntitlementModel.findById(ent._id).lean<LeanEntitlement>())!);
  return { apiKey, apiKeyPrefix: view.apiKeyPrefix, callsLeft: view.callsLeft, entitlement: view };
}

/**
 * GET /deliveries/:token: checks the token, the entitlement, the listing and its authorization at
 * this moment, then spends one download slot and opens the file.
 */
export async function openDownload(token: string): Promise<{
  stream: Readable;
  filename: string;
  format: SampleFormat;
  encoding?: SampleEncoding;
  size: number;
  downloadsLeft: number;
}> {
  const at = now();
  const ent = await EntitlementModel.findOne({ tokenHash: hashSecret(token) }).lean<LeanEntitlement>();
  if (!ent || ent.kind !== 'download') throw new AppError('unknown-token', 404, 'This download link is not valid');
  if (!ent.tokenExpiresAt || ent.tokenExpiresAt.getTime() <= at.getTime()) {
    throw new AppError('token-expired', 410, 'This download link has expired; ask for a new one on the order');
  }
  const listing = await assertDeliverable(ent, at);
  const file = requireDataFile(listing);
  const limit = ent.downloadLimit ?? 0;
  const n = await spend(ent._id, 'download', limit, at);
  if (n === null) throw new AppError('download-limit-reached', 429, 'Every download this order allows has been used');
  return {
    stream: openFile(file.fileId),
    filename: file.filename,
    format: file.format as SampleFormat,
    ...(file.encoding ? { encoding: file.encoding as SampleEncoding } : {}),
    size: file.size,
    downloadsLeft: limit - n,
  };
}

/**
 * GET /data/:listingCode: one metered call that returns a page of the product's rows, read from the
 * deliverable's prepared form (built once per deliverable version; see sandbox/prepared.ts), so a
 * call costs a range read whatever the file's size.
 */
export async function dataRows(
  { config }: DeliveryDeps,
  apiKey: string | undefined,
  listingCode: string,
  page: { offset: number; limit: number },
) {
  if (!apiKey) throw new AppError('api-key-required', 401, 'Send the API key in the X-Api-Key header');
  const at = now();
  const ent = await EntitlementModel.findOne({ apiKeyHash: hashSecret(apiKey) }).lean<LeanEntitlement>();
  if (!ent || ent.kind !== 'api') throw new AppError('bad-api-key', 401, 'This API key is not valid');
  if (ent.listingCode !== listingCode) throw new AppError('forbidden', 403, 'This API key is for another product');
  const listing = await assertDeliverable(ent, at);
  requireDataFile(listing);
  const quota = ent.callQuota ?? 0;
  const n = await spend(ent._id, 'call', quota, at);
  if (n === null) throw new AppError('quota-exhausted', 429, 'The call quota of this order is spent');

  const data = await dataPage(config.DATA_DIR, listing, page);
  return {
    listingCode,
    columns: data.columns,
    offset: page.offset,
    limit: page.limit,
    rows: data.rows,
    hasMore: data.hasMore,
    callsLeft: quota - n,
  };
}
