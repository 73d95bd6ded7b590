import type { Types } from 'mongoose';
import { searchTerms, type ListingCreateBody, type ListingUpdateBody } from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { raiseTo } from '../../platform/db';
import { conflict, notFound, unprocessable, type FieldError } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { recordReader } from '../../platform/mongo';
import { orgName } from '../accounts/accounts.service';
import { canSeeResource } from '../resources/resources.policy';
import { registerOutbox } from '../ledger/outbox';
import { ListingCodeModel, ListingModel, loadListing, transitionListing, type ListingRecord } from './listing.model';
import { EDITABLE_STATUSES, isEditable, isListingOwner } from './listing.policy';
import { evaluateRules, type RuleName } from './listing.rules';
import {
  asRuleAuthorization,
  derivedFromSources,
  loadAuthorization,
  loadSources,
  type SourceRecord,
} from './listings.sources';
import { listingView, type ListingView } from './listings.views';

/*
 * The provider's product: create and edit (draft or rejected). Its files are in listings.files, the
 * review workflow in listings.review, the catalog in listings.query; other modules read and change
 * listings only through the functions at the end of this file.
 */

registerOutbox(ListingModel);

/** A listing as stored, for other modules' reads. */
export type { ListingRecord };

/** Field paths of the create-time checks: which rule failure belongs to which input. */
const CREATE_TIME_RULES: Partial<Record<RuleName, string>> = {
  'sources-registered': 'sourceResourceIds',
  'authorization-active': 'authorizationId',
  'authorization-covers': 'authorizationId',
};

/**
 * A provider may build a product only from resources it may use (checked at create and edit, and
 * again at review because the world changes in between): its own registered enterprise resources,
 * and registered public resources through an authorization it operates that is in force, covers
 * every one of them and allows the product type and delivery mode.
 */
async function checkUsableSources(
  p: Principal,
  input: Pick<ListingCreateBody, 'sourceResourceIds' | 'authorizationId' | 'productType' | 'deliveryMode'>,
  now: Date,
): Promise<SourceRecord[]> {
  const providerOrgId = p.orgId;
  const [loaded, auth] = await Promise.all([
    loadSources(input.sourceResourceIds),
    loadAuthorization(input.authorizationId),
  ]);
  // A resource the provider may not see (another organisation's draft) is treated exactly as one
  // that does not exist, so the refusal never names it (issue 12 #4).
  const sources = loaded.filter((s) => canSeeResource(p, s));
  const errors: FieldError[] = [];
  if (input.authorizationId && (!auth || String(auth.operatorOrgId) !== providerOrgId)) {
    // Another operator's authorization is reported exactly like a missing one.
    errors.push({ path: 'authorizationId', message: 'no such authorization granted to your organisation' });
  } else {
    const results = evaluateRules({
      listing: {
        ...input,
        providerOrgId,
        sourceResourceIds: input.sourceResourceIds,
        pricing: { model: 'one_time', priceFen: 0 },
      },
      sources,
      authorization: asRuleAuthorization(auth),
      now,
    });
    for (const r of results) {
      const path = CREATE_TIME_RULES[r.rule];
      if (path && !r.ok) errors.push({ path, message: `${r.rule}: ${r.detail}` });
    }
  }
  if (errors.length)
    throw unprocessable('sources-not-usable', 'The product cannot be built from these sources', errors);
  return sources;
}

async function providerName(orgId: string): Promise<string> {
  return (await orgName(orgId)) ?? '';
}

function terms(l: { title: string; summary: string; tags: string[]; providerName: string }): string[] {
  return searchTerms(l.title, l.summary, ...l.tags, l.providerName);
}
/** The search terms stored on a listing (the bulk generator writes listings directly and uses this too). */
export const listingSearchTerms = terms;

// ---------------------------------------------------------------------------------------------
// Provider actions

/** Creates a draft product (provider). */
export async function create(p: Principal, body: ListingCreateBody): Promise<ListingView> {
  const now = clockNow();
  const ids = [...new Set(body.sourceResourceIds.map((s) => s.toLowerCase()))];
  const sources = await checkUsableSources(p, { ...body, sourceResourceIds: ids }, now);
  const name = await providerName(p.orgId);
  const tags = [...new Set(body.tags)];
  const doc = await ListingModel.create({
    providerOrgId: p.orgId,
    providerName: name,
    createdBy: p.id,
    title: body.title,
    summary: body.summary,
    productType: body.productType,
    sourceResourceIds: ids,
    authorizationId: body.authorizationId,
    ...derivedFromSources(sources),
    deIdentified: body.deIdentified,
    deliveryMode: body.deliveryMode,
    pricing: body.pricing,
    tags,
    ...(body.sandboxK ? { sandboxK: body.sandboxK } : {}),
    status: 'draft',
    searchTerms: terms({ title: body.title, summary: body.summary, tags, providerName: name }),
  });
  return listingView(p, (await loadListing(doc._id))!);
}

/** Edits a draft or rejected product of the caller's organisation. */
export async function update(p: Principal, id: string, body: ListingUpdateBody): Promise<ListingView> {
  const l = await loadListing(id);
  if (!l || !isListingOwner(p, l)) throw notFound('Listing');
  if (!isEditable(l.status)) {
    throw conflict(`A ${l.status} listing cannot be edited`, { status: l.status });
  }
  const merged = {
    title: body.title ?? l.title,
    summary: body.summary ?? l.summary,
    productType: body.productType ?? l.productType,
    sourceResourceIds: body.sourceResourceIds
      ? [...new Set(body.sourceResourceIds.map((s) => s.toLowerCase()))]
      : l.sourceResourceIds.map(String),
    authorizationId: body.authorizationId ?? (l.authorizationId ? String(l.authorizationId) : undefined),
    deliveryMode: body.deliveryMode ?? l.deliveryMode,
    tags: body.tags ? [...new Set(body.tags)] : l.tags,
  };
  const sources = await checkUsableSources(p, merged, clockNow());
  const set: Record<string, unknown> = {
    ...body,
    ...merged,
    ...derivedFromSources(sources),
    searchTerms: terms({ ...merged, providerName: l.providerName }),
  };
  const unset: Record<string, 1> = {};
  if (set.level === undefined) {
    delete set.level;
    unset.level = 1;
  }
  if (set.authorizationId === undefined) delete set.authorizationId;
  const updated = await transitionListing(
    { _id: l._id, providerOrgId: l.providerOrgId, status: { $in: EDITABLE_STATUSES } },
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
  );
  if (!updated) throw conflict('The listing changed meanwhile (it was submitted?); reload it');
  return listingView(p, updated);
}

// ---------------------------------------------------------------------------------------------
// For other modules

const listingRecords = recordReader<ListingRecord>(ListingModel);
/** One listing with the fields asked for (all, outbox included, when none are named); null when there is none. */
export const listingById = listingRecords.byId;
/** The listings with these ids (unknown ones left out) with the fields asked for, in one `$in` query. */
export const listingsByIds = listingRecords.byIds;

/** The id of the listing that holds this code (ZDEC-…), or null. */
export async function listingIdByCode(code: string): Promise<string | null> {
  const c = await ListingCodeModel.findById(code).lean();
  return c ? String(c.listingId) : null;
}

/**
 * Raises the listing's settledCount (the `popular` sort key) to `settledOrders`, the number of its
 * settled orders as trade counts them; never lowers it, so a late or repeated call changes nothing.
 */
export async function recordSettled(listingId: Types.ObjectId, settledOrders: number): Promise<void> {
  await raiseTo(ListingModel, listingId, 'settledCount', settledOrders);
}

/**
 * Moves every `listed` listing built on the authorization to `suspended`, marked as suspended by
 * it (`suspendedBy: 'authorization'`). Returns how many moved.
 */
export async function suspendListingsOfAuthorization(authorizationId: Types.ObjectId, reason: string): Promise<number> {
  const res = await ListingModel.updateMany(
    { authorizationId, status: 'listed' },
    { $set: { status: 'suspended', suspendedBy: 'authorization', statusReason: reason } },
  );
  return res.modifiedCount;
}

/** Moves back to `listed` exactly the listings the authorization suspended. Returns how many moved. */
export async function restoreListingsOfAuthorization(authorizationId: Types.ObjectId): Promise<number> {
  const res = await ListingModel.updateMany(
    { authorizationId, status: 'suspended', suspendedBy: 'authorization' },
    { $set: { status: 'listed' }, $unset: { suspendedBy: 1, statusReason: 1 } },
  );
  return res.modifiedCount;
}

/**
 * The newest 500 listings built on the authorization, as its page lists them; `listedOnly` keeps
 * those that were ever listed (they have a code), leaving out drafts.
 */
export async function listingsOfAuthorization(authorizationId: Types.ObjectId, opts: { listedOnly: boolean }) {
  const filter = opts.listedOnly ? { authorizationId, code: { $exists: true } } : { authorizationId };
  const listings = await ListingModel.find(filter, {
    code: 1,
    title: 1,
    status: 1,
    productType: 1,
    deliveryMode: 1,
    pricing: 1,
  })
    .sort({ createdAt: -1 })
    .limit(500)
    .lean();
  return listings.map((l) => ({
    id: String(l._id),
    code: l.code ?? null,
    title: l.title,
    status: l.status,
    productType: l.productType,
    deliveryMode: l.deliveryMode,
    pricing: l.pricing,
  }));
}

/**
 * The listings of these authorizations that were listed before `before`, with what the annual
 * disclosure shows of them, by code.
 */
export function listingsDisclosedBefore(authorizationIds: readonly Types.ObjectId[], before: Date) {
  return ListingModel.find(
    { authorizationId: { $in: authorizationIds }, code: { $exists: true }, listedAt: { $lt: before } },
    { authorizationId: 1, code: 1, title: 1, pricing: 1, status: 1 },
  )
    .sort({ code: 1 })
    .lean();
}
