import type { Types } from 'mongoose';
import { AuthorizationModel, type Authorization } from '../authorizations/authorization.model';
import { ListingModel, type Listing } from '../listings/listing.model';

export type LeanListing = Listing & { _id: Types.ObjectId };
export type LeanAuthorization = Authorization & { _id: Types.ObjectId };

/**
 * A listing and the authorization it was built under (null when it has none, or when the one it
 * names is gone), read fresh: ordering, settlement and every delivery decide on the state of now.
 */
export async function listingWithAuthorization(
  listingId: Types.ObjectId | string,
): Promise<{ listing: LeanListing; authorization: LeanAuthorization | null } | null> {
  const listing = await ListingModel.findById(listingId).lean<LeanListing>();
  if (!listing) return null;
  const authorization = listing.authorizationId
    ? await AuthorizationModel.findById(listing.authorizationId).lean<LeanAuthorization>()
    : null;
  return { listing, authorization };
}
