import { Types, type FilterQuery } from 'mongoose';
import {
  shanghaiDayStartAfter,
  type AuthorizationCreateBody,
  type AuthorizationQuery,
  type AuthorizationStatus,
  type Page,
} from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { nextSequence } from '../../platform/counters';
import { conflict, forbidden, notFound, unprocessable, type FieldError } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { orgExists, orgNamesByIds } from '../accounts/accounts.service';
import { resourcesByIds } from '../resources/resources.service';
import { canSeeResource } from '../resources/resources.policy';
import { shanghaiMonth } from '../ledger/ledger.hash';
import { flushOutbox, outboxPush, registerOutbox } from '../ledger/outbox';
import {
  listingsOfAuthorization,
  restoreListingsOfAuthorization,
  suspendListingsOfAuthorization,
} from '../listings/listings.service';
import { AuthorizationModel, type Authorization } from './authorization.model';
import { effectiveStatus, isAuthorizationUsable } from './authorization.policy';
import { isDuplicateKey } from '../../platform/db';
import { recordReader } from '../../platform/mongo';

/** An authorization as stored. */
export type AuthorizationRecord = Authorization & { _id: Types.ObjectId };

/**
 * Dependent listings follow their authorization. Suspend and revoke move every `listed` listing
 * under it to `suspended` with the marker `suspendedBy: 'authorization'`; resume moves exactly
 * those back to `listed`; after a revoke they stay suspended for good.
 *
 * Why this is safe without a transaction: `isListingPurchasable` also checks the authorization
 * itself, so from the moment the authorization's own status changes no order can be paid or
 * delivered, whatever the listings say. The cascade runs BEFORE the status change (a crash in
 * between answers 500 and a retry completes it) and AGAIN after it (catching a listing approved
 * in the meantime); for revoke it also runs as the `afterAppend` step of the `authorization.revoked`
 * outbox event, so the start-up/interval sweep completes it after a crash. The listings module
 * does the moving (suspendListingsOfAuthorization, restoreListingsOfAuthorization).
 */
registerOutbox(AuthorizationModel, {
  async afterAppend(docId, entry) {
    if (entry.type === 'authorization.revoked') {
      await suspendListingsOfAuthorization(new Types.ObjectId(docId), 'authorization revoked');
    }
  },
});

/** Year of a date in Asia/Shanghai, the exchange's calendar. */
export function shanghaiYear(at: Date): number {
  return Number(shanghaiMonth(at).slice(0, 4));
}

/** Why a resource may not be authorized, or null when it may (SPEC section 3). */
function resourceRefusal(r: { status: string; kind: string; openness: string; grade?: string | null }): string | null {
  if (r.status !== 'registered') return 'is not registered';
  if (r.kind !== 'public') return 'is not a public resource (enterprise data needs no authorization)';
  if (r.openness === 'closed') return 'is closed (不予开放) and can never be authorized';
  if (r.grade === 'core') return 'is core data (核心数据) and can never be authorized';
  return null;
}

/** Organisations and resources named by id, as the authorization and application views show them. */
export async function namesOf(orgIds: Iterable<unknown>, resourceIds: Iterable<unknown>) {
  const [orgs, resources] = await Promise.all([
    orgNamesByIds([...new Set([...orgIds].map(String))]),
    resourcesByIds(
      [...new Set([...resourceIds].map(String))],
      ['registrationNumber', 'name', 'domain', 'grade', 'level'],
    ),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const resById = new Map(resources.map((r) => [String(r._id), r]));
  return {
    org(id: unknown) {
      const o = orgById.get(String(id));
      return o ?? null;
    },
    resource(id: unknown) {
      const r = resById.get(String(id));
      return {
        id: String(id),
        registrationNumber: r?.registrationNumber ?? null,
        name: r?.name ?? null,
        domain: r?.domain ?? null,
        grade: r?.grade ?? null,
        level: r?.level ?? null,
      };
    },
  };
}

/** What an authorization looks like to its readers: the record, its effective status and names. */
async function present(auths: AuthorizationRecord[], now = clockNow()) {
  const names = await namesOf(
    auths.flatMap((a) => [a.operatorOrgId, a.authorityOrgId]),
    auths.flatMap((a) => a.resourceIds),
  );
  return auths.map((a) => {
    const { _id, outbox: _outbox, __v: _v, ...rest } = a as AuthorizationRecord & { outbox?: unknown; __v?: number };
    const authority = names.org(a.authorityOrgId);
    return {
      id: String(_id),
      ...rest,
      effectiveStatus: effectiveStatus(a, now),
      operator: names.org(a.operatorOrgId),
      authority: authority ? { id: authority.id, name: authority.name } : null,
      resources: a.resourceIds.map((rid) => names.resource(rid)),
    };
  });
}
export type AuthorizationView = Awaited<ReturnType<typeof present>>[number];

/**
 * Grants an authorization (authority only). Every resource must be registered, public, not
 * `closed` and not `core` (422 naming each refused resource). Appends `authorization.granted`
 * through the outbox: the record and its pending ledger event are created in one insert.
 */
export async function grant(
  p: Principal,
  body: AuthorizationCreateBody,
  /** A chosen id makes the grant idempotent (an approved application): granting it again returns it. */
  opts: { id?: Types.ObjectId } = {},
): Promise<AuthorizationView> {
  if (opts.id && (await AuthorizationModel.exists({ _id: opts.id }))) {
    await flushOutbox(AuthorizationModel, opts.id);
    return (await present([await loadRecord(opts.id)]))[0]!;
  }
  const errors: FieldError[] = [];
  if (!(await orgExists(body.operatorOrgId))) errors.push({ path: 'operatorOrgId', message: 'no such organisation' });
  if (body.operatorOrgId === p.orgId)
    errors.push({ path: 'operatorOrgId', message: 'an authority cannot authorize itself' });

  const ids = [...new Set(body.resourceIds.map((id) => id.toLowerCase()))];
  const resources = await resourcesByIds(ids, [
    'status',
    'kind',
    'openness',
    'grade',
    'registrationNumber',
    'name',
    'ownerOrgId',
  ]);
  // Another organisation's draft is reported exactly like a resource that does not exist (issue 12 #4).
  const byId = new Map(resources.filter((r) => canSeeResource(p, r)).map((r) => [String(r._id), r]));
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) return errors.push({ path: `resourceIds.${i}`, message: `resource ${id} does not exist` });
    const why = resourceRefusal(r);
    if (why)
      errors.push({ path: `resourceIds.${i}`, message: `resource ${r.registrationNumber ?? id} (${r.name}) ${why}` });
  });
  if (errors.length) throw unprocessable('authorization-refused', 'The authorization cannot be granted', errors);

  const _id = opts.id ?? new Types.ObjectId();
  const now = clockNow();
  const year = shanghaiYear(now);
  const pending = outboxPush({
    type: 'authorization.granted',
    ref: String(_id),
    authorizationId: String(_id),
    orgIds: [p.orgId, body.operatorOrgId],
    at: now,
  }).$push.outbox;
  // The unique index on `number` is what guarantees distinct numbers (the sequence may repeat one
  // under concurrency on the embedded engine): a number someone else got is skipped and the next one drawn.
  for (let attempt = 0; ; attempt++) {
    const number = `SQ-${year}-${String(await nextSequence(`authorization:${year}`)).padStart(6, '0')}`;
    try {
      await AuthorizationModel.create({
        _id,
        number,
        authorityOrgId: p.orgId,
        operatorOrgId: body.operatorOrgId,
        resourceIds: ids,
        purpose: body.purpose,
        allowedProductTypes: [...new Set(body.allowedProductTypes)],
        allowedDeliveryModes: [...new Set(body.allowedDeliveryModes)],
        validFrom: body.validFrom,
        validTo: body.validTo,
        feeCaps: body.feeCaps,
        status: 'active',
        grantedBy: p.id,
        outbox: [pending],
      });
      break;
    } catch (err) {
      // `_id` is fresh, so a duplicate key can only be the number (not every engine names the keyPattern),
      // unless it was chosen and a concurrent grant of the same id won.
      const duplicate = isDuplicateKey(err);
      if (duplicate && opts.id && (await AuthorizationModel.exists({ _id }))) break;
      if (!duplicate || attempt >= 100) throw err;
    }
  }
  await flushOutbox(AuthorizationModel, _id);
  return (await present([await loadRecord(_id)]))[0]!;
}

async function loadRecord(id: Types.ObjectId | string): Promise<AuthorizationRecord> {
  const a = await AuthorizationModel.findById(id).lean<AuthorizationRecord>();
  if (!a) throw notFound('Authorization');
  return a;
}

/** Who may read an authorization: the granting authority, the operator, exchange staff and regulators. */
function canRead(p: Principal, a: AuthorizationRecord): boolean {
  if (p.role === 'exchange' || p.role === 'regulator') return true;
  if (p.role === 'authority') return String(a.authorityOrgId) === p.orgId;
  if (p.role === 'provider') return String(a.operatorOrgId) === p.orgId;
  return false;
}

/** Loads an authorization the authority granted; anyone else gets 404 (existence does not leak). */
async function loadForGrantor(p: Principal, id: string): Promise<AuthorizationRecord> {
  const a = await loadRecord(id);
  if (p.role !== 'authority' || String(a.authorityOrgId) !== p.orgId) throw notFound('Authorization');
  return a;
}

/** Suspends an active authorization and every listed product under it (authority that granted it). */
export async function suspend(p: Principal, id: string, reason: string): Promise<AuthorizationView> {
  const a = await loadForGrantor(p, id);
  const current = effectiveStatus(a);
  if (a.status !== 'active' || current === 'revoked') {
    throw conflict(`The authorization is ${current}, not active`, { status: current });
  }
  await suspendListingsOfAuthorization(a._id, `authorization suspended: ${reason}`);
  const now = clockNow();
  const updated = await AuthorizationModel.findOneAndUpdate(
    { _id: a._id, status: 'active' },
    { $set: { status: 'suspended', statusReason: reason, suspendedAt: now } },
    { new: true },
  ).lean<AuthorizationRecord>();
  if (!updated) throw conflict('The authorization changed meanwhile; reload it');
  await suspendListingsOfAuthorization(a._id, `authorization suspended: ${reason}`);
  return (await present([updated], now))[0]!;
}

/**
 * Resumes a suspended authorization and restores the listings it suspended (never those suspended
 * or delisted for other reasons). An expired authorization cannot be resumed (409): its term is over.
 */
export async function resume(p: Principal, id: string, reason: string): Promise<AuthorizationView> {
  const a = await loadForGrantor(p, id);
  const now = clockNow();
  const status = effectiveStatus(a, now);
  if (status !== 'suspended') throw conflict(`The authorization is ${status}, not suspended`, { status });
  const updated = await AuthorizationModel.findOneAndUpdate(
    { _id: a._id, status: 'suspended', revokedAt: { $exists: false } },
    { $set: { status: 'active', statusReason: reason }, $unset: { suspendedAt: 1 } },
    { new: true },
  ).lean<AuthorizationRecord>();
  if (!updated) throw conflict('The authorization changed meanwhile; reload it');
  await restoreListingsOfAuthorization(a._id);
  // A revoke racing this resume may have run its cascade before our restore: follow it again.
  const after = await loadRecord(a._id);
  if (!isAuthorizationUsable(after, clockNow())) {
    await suspendListingsOfAuthorization(a._id, `authorization ${effectiveStatus(after)}`);
  }
  return (await present([after], now))[0]!;
}

/**
 * Revokes an authorization for good (from active, suspended or expired). Dependent listed products
 * are suspended and stay so; `authorization.revoked` is appended through the outbox.
 */
export async function revoke(p: Principal, id: string, reason: string): Promise<AuthorizationView> {
  const a = await loadForGrantor(p, id);
  if (effectiveStatus(a) === 'revoked') throw conflict('The authorization is already revoked', { status: 'revoked' });
  await suspendListingsOfAuthorization(a._id, `authorization revoked: ${reason}`);
  const now = clockNow();
  const updated = await AuthorizationModel.findOneAndUpdate(
    { _id: a._id, status: { $in: ['active', 'suspended'] }, revokedAt: { $exists: false } },
    {
      $set: { status: 'revoked', statusReason: reason, revokedAt: now },
      ...outboxPush({
        type: 'authorization.revoked',
        ref: String(a._id),
        authorizationId: String(a._id),
        orgIds: [String(a.authorityOrgId), String(a.operatorOrgId)],
        at: now,
      }),
    },
    { new: true },
  ).lean<AuthorizationRecord>();
  if (!updated) throw conflict('The authorization changed meanwhile; reload it');
  await flushOutbox(AuthorizationModel, a._id);
  await suspendListingsOfAuthorization(a._id, `authorization revoked: ${reason}`);
  return (await present([await loadRecord(a._id)], now))[0]!;
}

/** The Mongo filter for an effective status (expired is derived from validTo, so it is a date filter). */
function statusFilter(status: AuthorizationStatus, now: Date): FilterQuery<Authorization> {
  switch (status) {
    case 'revoked':
      return { $or: [{ status: 'revoked' }, { revokedAt: { $exists: true } }] };
    case 'expired':
      return { status: { $ne: 'revoked' }, revokedAt: { $exists: false }, validTo: { $lt: now } };
    default:
      return { status, revokedAt: { $exists: false }, validTo: { $gte: now } };
  }
}

/**
 * Not revoked, term not over, and ending on or before the Asia/Shanghai day `days` days from today
 * (the consoles' expiry banners; the reminders of notifications.events fire at 30 and 7 days).
 */
function expiringFilter(days: number, now: Date): FilterQuery<Authorization> {
  return {
    status: { $ne: 'revoked' },
    revokedAt: { $exists: false },
    validTo: { $gte: now, $lt: shanghaiDayStartAfter(now, days + 1) },
  };
}

/**
 * Authorizations the caller may see: an authority those it granted, a provider those it operates,
 * exchange staff and regulators all; buyers and admins none (403).
 */
export async function list(p: Principal, q: AuthorizationQuery): Promise<Page<AuthorizationView>> {
  const now = clockNow();
  const filter: FilterQuery<Authorization> = {};
  if (p.role === 'authority') filter.authorityOrgId = new Types.ObjectId(p.orgId);
  else if (p.role === 'provider') filter.operatorOrgId = new Types.ObjectId(p.orgId);
  else if (p.role !== 'exchange' && p.role !== 'regulator')
    throw forbidden('Buyers and admins have no authorizations to see');
  if (q.operator) {
    // A provider asking for another operator's authorizations simply finds none.
    if (filter.operatorOrgId && String(filter.operatorOrgId) !== q.operator.toLowerCase()) {
      return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    }
    filter.operatorOrgId = new Types.ObjectId(q.operator);
  }
  if (q.resource) filter.resourceIds = new Types.ObjectId(q.resource);
  const and: FilterQuery<Authorization>[] = [];
  if (q.status) and.push(statusFilter(q.status, now));
  if (q.expiringWithinDays) and.push(expiringFilter(q.expiringWithinDays, now));
  if (and.length) filter.$and = and;
  const [items, total] = await Promise.all([
    AuthorizationModel.find(filter, { outbox: 0 })
      .sort(q.expiringWithinDays ? { validTo: 1, _id: 1 } : { createdAt: -1, _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<AuthorizationRecord[]>(),
    AuthorizationModel.countDocuments(filter),
  ]);
  return { items: await present(items, now), total, page: q.page, pageSize: q.pageSize };
}

/** One authorization with the listings built on it; 404 for callers who may not read it. */
export async function get(p: Principal, id: string) {
  const a = await loadRecord(id);
  if (!canRead(p, a)) throw notFound('Authorization');
  const [view] = await present([a]);
  // The grantor sees the products that were listed; drafts stay between the operator and the exchange.
  const listings = await listingsOfAuthorization(a._id, { listedOnly: p.role === 'authority' });
  return { ...view!, listings };
}

// ---------------------------------------------------------------------------------------------
// For other modules


/** One authorization without its outbox; null when there is none. */
export function findAuthorization(id: Types.ObjectId | string): Promise<AuthorizationRecord | null> {
  return AuthorizationModel.findById(id, { outbox: 0 }).lean<AuthorizationRecord>();
}

/** One authorization as stored (outbox included); null when there is none. */
export function authorizationById(id: Types.ObjectId | string): Promise<AuthorizationRecord | null> {
  return AuthorizationModel.findById(id).lean<AuthorizationRecord>();
}

/** The authorizations with these ids (unknown ones left out) with the fields asked for, in one `$in` query. */
export const authorizationsByIds = recordReader<AuthorizationRecord>(AuthorizationModel).byIds;

/** Stored-active authorizations whose term ends in `(after, upTo]`, with who to remind of it. */
export function activeEndingWithin(after: Date, upTo: Date) {
  return AuthorizationModel.find(
    { status: 'active', validTo: { $gt: after, $lte: upTo } },
    { number: 1, operatorOrgId: 1, authorityOrgId: 1, validTo: 1 },
  ).lean();
}

/** The authorizations whose term overlaps `[start, end)`, without outbox, by number. */
export function authorizationsOverlapping(start: Date, end: Date): Promise<AuthorizationRecord[]> {
  return AuthorizationModel.find({ validFrom: { $lt: end }, validTo: { $gte: start } }, { outbox: 0 })
    .sort({ number: 1 })
    .lean<AuthorizationRecord[]>();
}
