import type { FilterQuery } from 'mongoose';
import type { Principal } from '../../platform/http/auth';
import {
  effectiveStatus,
  isAuthorizationUsable,
  type AuthorizationStatusFields,
} from '../authorizations/authorization.policy';
import { isListingPurchasable, type ListingPolicyFields } from '../listings/listing.policy';
import type { Order } from './order.model';

interface OrderParties {
  buyerOrgId: unknown;
  providerOrgId: unknown;
}

/** Buyers see their organisation's orders, providers the orders on their listings, exchange and regulators all. */
export function canSeeOrder(p: Principal, order: OrderParties): boolean {
  if (p.role === 'exchange' || p.role === 'regulator') return true;
  if (p.role === 'buyer') return String(order.buyerOrgId) === p.orgId;
  if (p.role === 'provider') return String(order.providerOrgId) === p.orgId;
  return false;
}

/** The order filter that matches exactly what `canSeeOrder` allows. */
export function orderScope(p: Principal): FilterQuery<Order> {
  if (p.role === 'exchange' || p.role === 'regulator') return {};
  if (p.role === 'buyer') return { buyerOrgId: p.orgId };
  if (p.role === 'provider') return { providerOrgId: p.orgId };
  return { _id: null };
}

/** The buyer's organisation (who may pay, cancel and receive). */
export function isOrderBuyer(p: Principal, order: OrderParties): boolean {
  return p.role === 'buyer' && String(order.buyerOrgId) === p.orgId;
}

/** Why the authorization behind a listing stops trade and delivery now, or null when it is usable. */
export function authorizationBlock(authorization: AuthorizationStatusFields | null, now: Date): string | null {
  if (!authorization) return 'The authorization behind this product no longer exists';
  if (isAuthorizationUsable(authorization, now)) return null;
  const status = effectiveStatus(authorization, now);
  if (status === 'active') return 'The authorization behind this product is not yet in force';
  return `The authorization behind this product is ${status}`;
}

/**
 * Why the listing cannot be ordered or settled now (SPEC: listed, and its authorization usable),
 * or null when it can. `isListingPurchasable` is the rule; this only names the reason.
 */
export function purchaseBlock(
  listing: ListingPolicyFields,
  authorization: AuthorizationStatusFields | null,
  now: Date,
): string | null {
  if (isListingPurchasable(listing, authorization, now)) return null;
  if (listing.status !== 'listed') return `The product is ${listing.status.replace('_', ' ')}, not listed`;
  return authorizationBlock(authorization, now) ?? 'The product cannot be bought now';
}
