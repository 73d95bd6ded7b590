import type { Types } from 'mongoose';
import { authorizationById, type AuthorizationRecord } from '../authorizations/authorizations.service';
import { listingById, type ListingRecord } from '../listings/listings.service';

/**
 * A listing and the authorization it was built under (null when it has none, or when the one it
 * names is gone), read fresh: ordering, settlement and every delivery decide on the state of now.
 */
export async function listingWithAuthorization(
  listingId: Types.ObjectId | string,
): Promise<{ listing: ListingRecord; authorization: AuthorizationRecord | null } | null> {
  const listing = await listingById(listingId);
  if (!listing) return null;
  const authorization = listing.authorizationId ? await authorizationById(listing.authorizationId) : null;
  return { listing, authorization };
}
