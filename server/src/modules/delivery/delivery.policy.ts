import { authorizationBlock, type AuthorizationStatusFields } from '../authorizations/authorization.policy';
import type { ListingPolicyFields } from '../listings/listing.policy';

/** Listing statuses under which products already bought are still delivered. */
const DELIVERABLE_LISTING_STATUSES = new Set(['listed', 'delisted']);

/**
 * Why delivery must stop now, or null when it may go on. Checked at every download, every API call
 * and every request for credentials. A product the provider delisted stays deliverable to those who
 * already paid for it (delisting ends sales, not contracts); a product suspended by the exchange, or
 * one whose authorization is suspended, revoked or expired, delivers nothing.
 */
export function deliveryBlock(
  listing: ListingPolicyFields,
  authorization: AuthorizationStatusFields | null,
  now: Date,
): string | null {
  if (!DELIVERABLE_LISTING_STATUSES.has(listing.status)) {
    return `The product is ${listing.status.replace('_', ' ')}; delivery is stopped`;
  }
  if (listing.authorizationId == null) return null;
  return authorizationBlock(authorization, now);
}
