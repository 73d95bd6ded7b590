import { now as clockNow } from '../../platform/clock';
import type { Principal } from '../../platform/http/auth';
import { authorizationBlock, type AuthorizationStatusFields } from '../authorizations/authorization.policy';

/** The listing fields the purchase and visibility rules read. */
export interface ListingPolicyFields {
  status: string;
  providerOrgId: unknown;
  authorizationId?: unknown;
}

/** Statuses in which the owner may still change the product (SPEC: edit while draft or rejected). */
export const EDITABLE_STATUSES = ['draft', 'rejected'] as const;
/** Statuses from which the owner may submit; a delisted product comes back only through a new review. */
export const SUBMITTABLE_STATUSES = ['draft', 'rejected', 'delisted'] as const;

/** Whether the owner may still change a product in this status (its fields and its files). */
export function isEditable(status: string): boolean {
  return (EDITABLE_STATUSES as readonly string[]).includes(status);
}

/**
 * Why a listing may not be ordered, paid, settled or delivered right now, or null when it may: it
 * must be `listed`, and if it was built under an authorization, that authorization must be usable
 * (active and within its term). Pass the listing's authorization, or null when it has none (or it
 * could not be found: then a listing that names one is refused). The trade module calls this at
 * ordering, at settlement and at every delivery.
 */
export function purchaseBlock(
  listing: ListingPolicyFields,
  authorization: AuthorizationStatusFields | null,
  now: Date = clockNow(),
): string | null {
  if (listing.status !== 'listed') return `The product is ${listing.status.replace('_', ' ')}, not listed`;
  if (listing.authorizationId == null) return null;
  return authorizationBlock(authorization, now);
}

/** Whether a listing may be ordered, paid, settled or delivered right now (see `purchaseBlock`). */
export function isListingPurchasable(
  listing: ListingPolicyFields,
  authorization: AuthorizationStatusFields | null,
  now: Date = clockNow(),
): boolean {
  return purchaseBlock(listing, authorization, now) === null;
}

/** The provider organisation that owns the listing. */
export function isListingOwner(p: Principal | undefined, listing: ListingPolicyFields): boolean {
  return !!p && p.role === 'provider' && String(listing.providerOrgId) === p.orgId;
}

/**
 * Who may see a listing at all: everyone sees a listed one; the owning provider, exchange staff and
 * regulators see every status. Everyone else gets 404, so unlisted products do not leak.
 */
export function canSeeListing(p: Principal | undefined, listing: ListingPolicyFields): boolean {
  if (listing.status === 'listed') return true;
  if (!p) return false;
  return p.role === 'exchange' || p.role === 'regulator' || isListingOwner(p, listing);
}

/** Exchange staff and regulators see the full record (reviews, data file, scans). */
export function seesFullListing(p: Principal | undefined, listing: ListingPolicyFields): boolean {
  return !!p && (p.role === 'exchange' || p.role === 'regulator' || isListingOwner(p, listing));
}
