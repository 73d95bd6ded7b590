import type { Readable } from 'node:stream';
import { Types, type FilterQuery, type UpdateQuery } from 'mongoose';
import {
  queryTerms,
  searchTerms,
  type ListingCreateBody,
  type ListingQuery,
  type ListingUpdateBody,
  type Page,
  type ReviewBody,
} from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { nextSequence } from '../../platform/counters';
import { faultPoint } from '../../platform/faults';
import { AppError, conflict, forbidden, notFound, unprocessable, type FieldError } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { ingestSample, type SampleEncoding, type SampleFormat } from '../../platform/sample';
import { deleteFile, openFile } from '../../platform/storage';
import { orgName } from '../accounts/accounts.service';
import { effectiveStatus, isAuthorizationUsable } from '../authorizations/authorization.policy';
import { findAuthorization, shanghaiYear, type AuthorizationRecord } from '../authorizations/authorizations.service';
import { resourceById } from '../catalog/catalog.service';
import { canSeeResource } from '../catalog/catalog.policy';
import { flushOutbox, outboxPush, registerOutbox } from '../ledger/outbox';
import { listedFromMemory, searchCatalog, type CatalogFacets } from './catalog';
import { ListingCodeModel, ListingDecisionModel, ListingModel, type Listing } from './listing.model';
import { canSeeListing, isListingOwner, isListingPurchasable, seesFullListing } from './listing.policy';
import {
  evaluateRules,
  highestGrade,
  highestLevel,
  type RuleAuthorization,
  type RuleName,
  type RuleResult,
  type RuleSource,
} from './listing.rules';
import { isDuplicateKey, raiseTo } from '../../platform/db';
import { only } from '../../platform/mongo';
import { events } from '../notifications/notifications.events';

registerOutbox(ListingModel);

/** A listing as stored (without its outbox when read by this module). */
export type ListingRecord = Listing & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
type SourceRecord = RuleSource & { _id: Types.ObjectId; domain: string };

/** Statuses in which the owner may still change the product (SPEC: edit while draft or rejected). */
const EDITABLE = ['draft', 'rejected'] as const;
/** Statuses from which the owner may submit; a delisted product comes back only through a new review. */
const SUBMITTABLE = ['draft', 'rejected', 'delisted'] as const;

// ---------------------------------------------------------------------------------------------
// Views

/**
 * What anyone may see of a listing. Never: review history, the deliverable, scan details,
 * who created it, search terms, outbox.
 */
function publicView(l: ListingRecord) {
  return {
    id: String(l._id),
    code: l.code ?? null,
    title: l.title,
    summary: l.summary,
    productType: l.productType,
    providerOrgId: String(l.providerOrgId),
    providerName: l.providerName,
    sourceResourceIds: l.sourceResourceIds.map(String),
    authorizationId: l.authorizationId ? String(l.authorizationId) : null,
    grade: l.grade,
    level: l.level ?? null,
    domains: l.domains,
    deIdentified: l.deIdentified,
    deliveryMode: l.deliveryMode,
    pricing: l.pricing,
    sample: l.sample
      ? {
          filename: l.sample.filename,
          format: l.sample.format,
          size: l.sample.size,
          sha256: l.sample.sha256,
          uploadedAt: l.sample.uploadedAt,
        }
      : null,
    tags: l.tags,
    sandboxK: l.sandboxK ?? null,
    status: l.status,
    listedAt: l.listedAt ?? null,
    settledCount: l.settledCount,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
}

/** The owner's, the exchange's and the regulator's view, without the heavy parts (for lists). */
function staffSummaryView(l: ListingRecord) {
  return {
    ...publicView(l),
    createdBy: String(l.createdBy),
    statusReason: l.statusReason ?? null,
    suspendedBy: l.suspendedBy ?? null,
    submittedAt: l.submittedAt ?? null,
    delistedAt: l.delistedAt ?? null,
    delistCount: l.delistCount,
    dataFile: l.dataFile ?? null,
  };
}

/** The full record for the owner, the exchange and the regulator. */
function fullView(l: ListingRecord) {
  return {
    ...staffSummaryView(l),
    sample: l.sample ?? null,
    sampleScan: l.sampleScan ?? null,
    dataScan: l.dataScan ?? null,
    reviews: l.reviews.map((r) => ({ ...r, by: String(r.by) })),
  };
}
export type ListingView =
  ReturnType<typeof publicView> | ReturnType<typeof staffSummaryView> | ReturnType<typeof fullView>;

function viewFor(p: Principal | undefined, l: ListingRecord): ListingView {
  return seesFullListing(p, l) ? fullView(l) : publicView(l);
}

// ---------------------------------------------------------------------------------------------
// Loading

async function loadRecord(id: string | Types.ObjectId): Promise<ListingRecord | null> {
  return ListingModel.findById(id, { outbox: 0 }).lean<ListingRecord>();
}

/**
 * One atomic conditional update, then the fresh record; null when the condition no longer held (the
 * loser of a race). updateOne rather than findOneAndUpdate: the embedded engine takes no projection in
 * findAndModify, and the model's `select: false` searchTerms would make Mongoose send one.
 */
async function transition(filter: FilterQuery<Listing> & { _id: Types.ObjectId }, update: UpdateQuery<Listing>) {
  const res = await ListingModel.updateOne(filter, update);
  return res.matchedCount === 0 ? null : loadRecord(filter._id);
}

/** The listing of the caller's own organisation; anything else is 404 so existence does not leak. */
async function loadOwned(p: Principal, id: string): Promise<ListingRecord> {
  const l = await loadRecord(id);
  if (!l || !isListingOwner(p, l)) throw notFound('Listing');
  return l;
}

const SOURCE_FIELDS = [
  'kind',
  'ownerOrgId',
  'status',
  'grade',
  'level',
  'openness',
  'registrationNumber',
  'name',
  'domain',
] as const;

/**
 * The sources that exist, one `_id` lookup each: the embedded engine hands only a lone `_id` equality to
 * SQLite and decodes every resource in the collection for an `$in` (bench/listing-get: the `$in`
 * doubled the database's work per GET /listings/:id at 1,000 listings). A listing has few sources.
 */
async function loadSources(ids: unknown[]): Promise<SourceRecord[]> {
  const found = await Promise.all([...new Set(ids.map(String))].map((id) => resourceById(id, SOURCE_FIELDS)));
  return found.filter((s) => s !== null);
}

async function loadAuthorization(id: unknown): Promise<AuthorizationRecord | null> {
  if (id == null) return null;
  return findAuthorization(String(id));
}

function asRuleAuthorization(a: AuthorizationRecord | null): RuleAuthorization | null {
  if (!a) return null;
  return { ...a, feeCaps: a.feeCaps ?? null };
}

async function runRules(
  l: ListingRecord,
  now: Date,
): Promise<{ results: RuleResult[]; sources: SourceRecord[]; auth: AuthorizationRecord | null }> {
  const [sources, auth] = await Promise.all([loadSources(l.sourceResourceIds), loadAuthorization(l.authorizationId)]);
  const results = evaluateRules({ listing: l, sources, authorization: asRuleAuthorization(auth), now });
  return { results, sources, auth };
}

/** Grade, level and domains follow the sources: the highest grade and level, every domain. */
function derivedFromSources(sources: SourceRecord[]) {
  return {
    grade: highestGrade(sources.map((s) => s.grade)),
    level: highestLevel(sources.map((s) => s.level)),
    domains: [...new Set(sources.map((s) => s.domain))],
  };
}

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
  return fullView((await loadRecord(doc._id))!);
}

/** Edits a draft or rejected product of the caller's organisation. */
export async function update(p: Principal, id: string, body: ListingUpdateBody): Promise<ListingView> {
  const l = await loadOwned(p, id);
  if (!(EDITABLE as readonly string[]).includes(l.status)) {
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
  const updated = await transition(
    { _id: l._id, providerOrgId: l.providerOrgId, status: { $in: EDITABLE } },
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
  );
  if (!updated) throw conflict('The listing changed meanwhile (it was submitted?); reload it');
  return fullView(updated);
}

/**
 * Stores an uploaded file as the listing's sample or deliverable, with its scan. Only while the
 * product may be edited; the file is stored only after it parsed, and removed again if the
 * listing changed status meanwhile.
 */
async function attachFile(
  p: Principal,
  id: string,
  file: { buffer: Buffer; originalname: string },
  which: 'sample' | 'dataFile',
): Promise<ListingView> {
  const l = await loadOwned(p, id);
  if (!(EDITABLE as readonly string[]).includes(l.status)) {
    throw conflict(`The files of a ${l.status} listing cannot be changed`, { status: l.status });
  }
  const { sample, scan } = await ingestSample(file, { listingId: String(l._id), role: which });
  const scanField = which === 'sample' ? 'sampleScan' : 'dataScan';
  const updated = await transition(
    { _id: l._id, status: { $in: EDITABLE } },
    { $set: { [which]: sample, [scanField]: scan } },
  );
  if (!updated) {
    await deleteFile(sample.fileId);
    throw conflict('The listing changed meanwhile (it was submitted?); reload it');
  }
  return fullView(updated);
}

/** Uploads the sample buyers preview (CSV/JSON/XLSX, scanned). */
export function uploadSample(p: Principal, id: string, file: { buffer: Buffer; originalname: string }) {
  return attachFile(p, id, file, 'sample');
}

/** Uploads the deliverable: the file a buyer downloads or whose rows the API serves (scanned, never public). */
export function uploadData(p: Principal, id: string, file: { buffer: Buffer; originalname: string }) {
  return attachFile(p, id, file, 'dataFile');
}

/**
 * Submits a product for review (→ pending_review). The compliance rules run as a preview and come
 * back as `checklist`; only the exchange review enforces them.
 */
export async function submit(p: Principal, id: string): Promise<{ listing: ListingView; checklist: RuleResult[] }> {
  const l = await loadOwned(p, id);
  if (!(SUBMITTABLE as readonly string[]).includes(l.status)) {
    throw conflict(`A ${l.status} listing cannot be submitted`, { status: l.status });
  }
  const now = clockNow();
  const { results, sources } = await runRules(l, now);
  const updated = await transition(
    { _id: l._id, status: l.status },
    {
      $set: { status: 'pending_review', submittedAt: now, ...derivedFromSources(sources) },
      $inc: { reviewRound: 1 },
      $unset: { statusReason: 1 },
    },
  );
  if (!updated) throw conflict('The listing changed meanwhile; reload it');
  await events.reviewRequested(updated); // daily work (issue 16): the exchange's inbox
  return { listing: fullView(updated), checklist: results };
}

// ---------------------------------------------------------------------------------------------
// Exchange review

/**
 * The listing's code: the one bound to it already, or a new `ZDEC-<yyyy>-<6-digit seq>` bound to it
 * for ever (ListingCodeModel). A number someone else got first is skipped, so codes are unique
 * even if the sequence repeats a number; codes may have gaps.
 */
async function codeFor(listingId: Types.ObjectId, at: Date): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const bound = await ListingCodeModel.findOne({ listingId }).lean();
    if (bound) return bound._id;
    const year = shanghaiYear(at);
    const code = `ZDEC-${year}-${String(await nextSequence(`listing:${year}`)).padStart(6, '0')}`;
    try {
      await ListingCodeModel.create({ _id: code, listingId, at });
      return code;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`no listing code could be bound to ${String(listingId)}`);
}

type Decision = {
  round: number;
  by: Types.ObjectId;
  at: Date;
  decision: 'approve' | 'reject';
  reasons: string[];
  checklist: RuleResult[];
};

/**
 * Applies a claimed decision to the listing. Idempotent: it only changes a listing still pending in
 * the decision's round, sets the review history as a whole (the listing cannot change while
 * pending) and the ledger event is idempotent per (type, ref), so applying twice is applying once.
 */
async function applyDecision(l: ListingRecord, d: Decision): Promise<void> {
  const entry = { by: d.by, at: d.at, decision: d.decision, reasons: d.reasons, checklist: d.checklist };
  const reviews = [...l.reviews, entry];
  const pending = { _id: l._id, status: 'pending_review', reviewRound: d.round };
  if (d.decision === 'reject') {
    await ListingModel.updateOne(pending, {
      $set: { status: 'rejected', statusReason: d.reasons.join('; '), reviews },
    });
    return;
  }
  const [sources, auth] = await Promise.all([loadSources(l.sourceResourceIds), loadAuthorization(l.authorizationId)]);
  const derived = derivedFromSources(sources);
  const code = l.code ?? (await codeFor(l._id, d.at));
  const ledger = l.code
    ? {}
    : outboxPush({
        type: 'listing.listed',
        ref: String(l._id),
        listingId: String(l._id),
        listingCode: code,
        authorizationId: auth ? String(auth._id) : undefined,
        grade: derived.grade,
        orgIds: [String(l.providerOrgId), ...(auth ? [String(auth.authorityOrgId)] : [])],
        at: d.at,
      });
  await ListingModel.updateOne(pending, {
    $set: { status: 'listed', code, listedAt: d.at, ...derived, reviews },
    $unset: { statusReason: 1, suspendedBy: 1 },
    ...ledger,
  });
  await flushOutbox(ListingModel, l._id);

  // An authorization suspended or revoked while this review ran: its cascade may have missed the
  // listing, so follow it now.
  const authNow = await loadAuthorization(l.authorizationId);
  if (authNow && !isAuthorizationUsable(authNow, clockNow())) {
    await ListingModel.updateOne(
      { _id: l._id, status: 'listed' },
      {
        $set: {
          status: 'suspended',
          suspendedBy: 'authorization',
          statusReason: `authorization ${effectiveStatus(authNow)}`,
        },
      },
    );
  }
}

/**
 * The exchange's compliance review of a pending product.
 *
 * Approve runs every rule; any failure → 422 with `errors: [{path: 'rules.<rule>', message}]`
 * (and `checklist`), and nothing is recorded (a 4xx changes nothing). Reject records the reasons
 * and the checklist as it stood, status rejected. Approval sets status listed, the listing code
 * (bound at the first approval; a re-listed product keeps it), and on the first listing the
 * `listing.listed` ledger event through the outbox (exactly once: idempotent per listing id).
 *
 * Exactly one decision per review round: the reviewer who inserts the round's claim
 * (ListingDecisionModel, unique per listing and round) decides; a concurrent reviewer gets 409.
 * A decision interrupted after its claim (a crash) is completed by the next review attempt, which
 * then answers 409 because the listing was already decided.
 */
export async function review(p: Principal, id: string, body: ReviewBody): Promise<ListingView> {
  const l = await loadRecord(id);
  if (!l) throw notFound('Listing');
  if (l.status !== 'pending_review')
    throw conflict(`The listing is ${l.status}, not pending review`, { status: l.status });
  const round = l.reviewRound ?? 0;
  const earlier = await ListingDecisionModel.findOne({ listingId: l._id, round }).lean<Decision>();
  if (earlier) {
    await applyDecision(l, earlier);
    throw conflict('Another reviewer decided on this listing first');
  }

  const now = clockNow();
  const { results } = await runRules(l, now);
  const failed = results.filter((r) => !r.ok);
  if (body.decision === 'approve' && failed.length) {
    throw new AppError(
      'rules-failed',
      422,
      `The listing fails ${failed.length} compliance rule(s) and cannot be approved`,
      {
        errors: failed.map((r) => ({ path: `rules.${r.rule}`, message: r.detail })),
        extra: { checklist: results },
      },
    );
  }

  const decision: Decision = {
    round,
    by: new Types.ObjectId(p.id),
    at: now,
    decision: body.decision,
    reasons: body.reasons,
    checklist: results,
  };
  try {
    await ListingDecisionModel.create({ listingId: l._id, ...decision });
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('Another reviewer decided on this listing first');
    throw err;
  }
  faultPoint('listings.review.afterClaim');
  await applyDecision(l, decision);
  return fullView((await loadRecord(l._id))!);
}

// ---------------------------------------------------------------------------------------------
// Delisting

/**
 * Delists a listed or suspended product (its provider or the exchange). Appends `listing.delisted`
 * with ref `<listingId>:<n>` (n-th delisting) through the outbox; the conditional update on
 * `delistCount` makes a second concurrent delist a 409.
 */
export async function delist(p: Principal, id: string, reason: string): Promise<ListingView> {
  const l = await loadRecord(id);
  if (!l) throw notFound('Listing');
  if (p.role === 'provider' && !isListingOwner(p, l)) throw notFound('Listing');
  if (p.role !== 'provider' && p.role !== 'exchange') throw forbidden();
  if (l.status !== 'listed' && l.status !== 'suspended') {
    throw conflict(`A ${l.status} listing cannot be delisted`, { status: l.status });
  }
  const now = clockNow();
  const n = l.delistCount + 1;
  const updated = await transition(
    { _id: l._id, status: { $in: ['listed', 'suspended'] }, delistCount: l.delistCount },
    {
      $set: { status: 'delisted', delistedAt: now, delistCount: n, statusReason: reason },
      $unset: { suspendedBy: 1 },
      ...outboxPush({
        type: 'listing.delisted',
        ref: `${String(l._id)}:${n}`,
        listingId: String(l._id),
        listingCode: l.code ?? undefined,
        authorizationId: l.authorizationId ? String(l.authorizationId) : undefined,
        grade: l.grade as ListingRecord['grade'],
        orgIds: [String(l.providerOrgId)],
        at: now,
      }),
    },
  );
  if (!updated) throw conflict('The listing changed meanwhile; reload it');
  await flushOutbox(ListingModel, l._id);
  return fullView((await loadRecord(l._id))!);
}

// ---------------------------------------------------------------------------------------------
// Reading

const SORTS = {
  newest: { listedAt: -1, createdAt: -1, _id: -1 },
  price: { 'pricing.priceFen': 1, listedAt: -1, _id: 1 },
  popular: { settledCount: -1, listedAt: -1, _id: -1 },
} as const;

/**
 * The catalog of products. Public: listed products only. `status` other than listed: exchange staff
 * and regulators see every provider's; a provider sees its own (as with `mine=true`, which lists
 * its own products of every status). Search `q` matches title, summary, tags and provider name
 * (Chinese-aware terms, every term must match).
 */
export async function list(
  p: Principal | undefined,
  q: ListingQuery,
): Promise<Page<ListingView> & { facets?: CatalogFacets }> {
  const empty = { items: [], total: 0, page: q.page, pageSize: q.pageSize };
  const filter: FilterQuery<Listing> = {};
  const staff = p?.role === 'exchange' || p?.role === 'regulator';
  const mine = q.mine === 'true' || (p?.role === 'provider' && q.status !== undefined && q.status !== 'listed');
  if (mine) {
    if (p?.role !== 'provider') throw forbidden('Only providers have listings of their own');
    if (q.provider && q.provider.toLowerCase() !== p.orgId) return empty;
    filter.providerOrgId = new Types.ObjectId(p.orgId);
    if (q.status) filter.status = q.status;
  } else {
    if (q.status && q.status !== 'listed' && !staff) {
      throw forbidden('Only exchange staff and regulators see listings that are not listed');
    }
    filter.status = q.status ?? 'listed';
    if (q.provider) filter.providerOrgId = new Types.ObjectId(q.provider);
  }
  if (q.minPriceFen !== undefined && q.maxPriceFen !== undefined && q.minPriceFen > q.maxPriceFen) {
    throw unprocessable('validation', 'The price range is empty', [
      { path: 'query.minPriceFen', message: 'must not exceed maxPriceFen' },
    ]);
  }
  // The public catalog (every listed product) is served by the in-memory search engine (./catalog):
  // BM25 relevance over jieba-segmented words, facet counts. Other statuses are back-office lists.
  if (filter.status === 'listed' && !mine) {
    const found = await searchCatalog({ ...q, provider: q.provider?.toLowerCase() });
    return {
      items: found.items.map((l) => (seesFullListing(p, l) ? staffSummaryView(l) : publicView(l))),
      total: found.total,
      page: q.page,
      pageSize: q.pageSize,
      facets: found.facets,
    };
  }
  if (q.q) {
    const t = queryTerms(q.q);
    if (t.length) filter.searchTerms = { $all: t };
  }
  if (q.type) filter.productType = q.type;
  if (q.domain) filter.domains = q.domain;
  if (q.grade) filter.grade = q.grade;
  if (q.minPriceFen !== undefined || q.maxPriceFen !== undefined) {
    filter['pricing.priceFen'] = {
      ...(q.minPriceFen !== undefined ? { $gte: q.minPriceFen } : {}),
      ...(q.maxPriceFen !== undefined ? { $lte: q.maxPriceFen } : {}),
    };
  }
  const [items, total] = await Promise.all([
    ListingModel.find(filter, { outbox: 0, reviews: 0, sampleScan: 0, dataScan: 0 })
      .sort(SORTS[q.sort === undefined || q.sort === 'relevance' ? 'newest' : q.sort])
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<ListingRecord[]>(),
    ListingModel.countDocuments(filter),
  ]);
  return {
    items: items.map((l) => (seesFullListing(p, l) ? staffSummaryView(l) : publicView(l))),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * One product. Everyone sees a listed one (public fields); its provider, exchange staff and
 * regulators see it in every status with every field; for anyone else it does not exist (404).
 * Comes with its sources, its authorization's status and whether it can be bought right now.
 */
export async function get(p: Principal | undefined, id: string) {
  // A listed product seen through its public view comes from the catalog's memory (kept current by
  // its change feed); the full record, and anything not listed, from the database by `_id`.
  const inMemory = listedFromMemory(id);
  const l = inMemory && !seesFullListing(p, inMemory) ? inMemory : await loadRecord(id);
  if (!l || !canSeeListing(p, l)) throw notFound('Listing');
  const now = clockNow();
  const [sources, auth] = await Promise.all([loadSources(l.sourceResourceIds), loadAuthorization(l.authorizationId)]);
  const byId = new Map(sources.map((s) => [String(s._id), s]));
  return {
    ...viewFor(p, l),
    sources: l.sourceResourceIds.map((rid) => {
      const s = byId.get(String(rid));
      return {
        id: String(rid),
        registrationNumber: s?.registrationNumber ?? null,
        name: s?.name ?? null,
        kind: s?.kind ?? null,
        domain: s?.domain ?? null,
        grade: s?.grade ?? null,
        level: s?.level ?? null,
      };
    }),
    authorization: auth
      ? { id: String(auth._id), number: auth.number, effectiveStatus: effectiveStatus(auth, now) }
      : null,
    purchasable: isListingPurchasable(l, auth, now),
  };
}

/** The listing's sample file for preview, for whoever may see the listing. */
export async function sampleFile(
  p: Principal | undefined,
  id: string,
): Promise<{ stream: Readable; filename: string; format: SampleFormat; encoding?: SampleEncoding; size: number }> {
  const l = await loadRecord(id);
  if (!l || !canSeeListing(p, l) || !l.sample) throw notFound('Sample');
  return {
    stream: openFile(l.sample.fileId),
    filename: l.sample.filename,
    format: l.sample.format as SampleFormat,
    ...(l.sample.encoding ? { encoding: l.sample.encoding as SampleEncoding } : {}),
    size: l.sample.size,
  };
}

// ---------------------------------------------------------------------------------------------
// For other modules

type ListingField = keyof ListingRecord & string;
type ListingId = string | Types.ObjectId;

/** One listing with the fields asked for (all, outbox included, when none are named); null when there is none. */
export function listingById<K extends ListingField = ListingField>(
  id: ListingId,
  fields?: readonly K[],
): Promise<Pick<ListingRecord, K | '_id'> | null> {
  return ListingModel.findById(id, fields && only(fields)).lean<Pick<ListingRecord, K | '_id'>>();
}

/** The listings with these ids (unknown ones left out) with the fields asked for, in one `$in` query. */
export function listingsByIds<K extends ListingField>(
  ids: readonly ListingId[],
  fields: readonly K[],
): Promise<Pick<ListingRecord, K | '_id'>[]> {
  return ListingModel.find({ _id: { $in: ids } }, only(fields)).lean<Pick<ListingRecord, K | '_id'>[]>();
}

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
