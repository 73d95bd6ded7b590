import type { Principal } from '../../platform/http/auth';
import type { ListingRecord } from './listing.model';
import { seesFullListing } from './listing.policy';

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

/**
 * The one builder of the listing view: the listing as `p` may see it. Its provider, exchange staff
 * and regulators see the full record, `forList` without the heavy parts (reviews, scans); anyone
 * else the public fields.
 */
export function listingView(p: Principal | undefined, l: ListingRecord, opts: { forList?: boolean } = {}): ListingView {
  if (!seesFullListing(p, l)) return publicView(l);
  return opts.forList ? staffSummaryView(l) : fullView(l);
}
