import { now as clockNow } from '../../platform/clock';
import type { Principal } from '../../platform/http/auth';
import { isAuthorizationUsable, type AuthorizationStatusFields } from '../authorizations/authorization.policy';

/** The listing fields the purchase and visibility rules read. */
export interface ListingPolicyFields {
  status: string;
  providerOrgId: unknown;
  authorizationId?: unknown;
}

/**
 * Whether a listing may be ordered, paid, settled or delivered right now: it is `listed`, and if it
 * was built under an authorization, that authorization is usable (active and within its term).
 * Pass the listing's authorization, or null when it has none (or it could not be found: then a
 * listing that names one is not purchasable). The trade module calls this at ordering, at
 * settlement and at every delivery.
 */
export function isListingPurchasable(
  listing: ListingPolicyFields,
  authorization: AuthorizationStatusFields | null,
  now: Date = clockNow(),
): boolean {
  if (listing.status !== 'listed') return false;
  if (listing.authorizationId == null) return true;
  return authorization !== null && isAuthorizationUsable(authorization, now);
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
