import { Types, type FilterQuery } from 'mongoose';
import { queryTerms, type ListingQuery, type Page } from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { forbidden, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { effectiveStatus } from '../authorizations/authorization.policy';
import { listedFromMemory, pendingReviewPage, searchCatalog, type CatalogFacets } from './catalog';
import { ListingModel, loadListing, type Listing, type ListingRecord } from './listing.model';
import { canSeeListing, isListingPurchasable, seesFullListing } from './listing.policy';
import { loadBasis } from './listings.sources';
import { listingView, type ListingView } from './listings.views';

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
      items: found.items.map((l) => listingView(p, l, { forList: true })),
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
  // The exchange's review queue as it opens (every listing awaiting review, newest first) also comes
  // from the catalog's memory; other filters and sorts of it are rare and query the database.
  const newest = q.sort === undefined || q.sort === 'relevance' || q.sort === 'newest';
  if (filter.status === 'pending_review' && Object.keys(filter).length === 1 && newest) {
    const queue = await pendingReviewPage(q.page, q.pageSize);
    return {
      items: queue.items.map((l) => listingView(p, l, { forList: true })),
      total: queue.total,
      page: q.page,
      pageSize: q.pageSize,
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
    items: items.map((l) => listingView(p, l, { forList: true })),
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
  const l = inMemory && !seesFullListing(p, inMemory) ? inMemory : await loadListing(id);
  if (!l || !canSeeListing(p, l)) throw notFound('Listing');
  const now = clockNow();
  const { sources, auth } = await loadBasis(l);
  const byId = new Map(sources.map((s) => [String(s._id), s]));
  return {
    ...listingView(p, l),
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
