import type { FilterQuery } from 'mongoose';
import type { Principal } from '../../platform/http/auth';
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
