import type { Principal } from '../../platform/http/auth';

/** The resource fields the ownership and visibility rules read. */
export interface ResourcePolicyFields {
  status: string;
  ownerOrgId: unknown;
}

/** The organisation that created the resource (the authority for public data, a provider for its own). */
export function isResourceOwner(p: Principal | undefined, r: ResourcePolicyFields): boolean {
  return !!p && (p.role === 'authority' || p.role === 'provider') && String(r.ownerOrgId) === p.orgId;
}

/** Registered and retired resources are in the catalog for everyone; a draft only for its owner (else 404). */
export function canSeeResource(p: Principal | undefined, r: ResourcePolicyFields): boolean {
  return r.status !== 'draft' || isResourceOwner(p, r);
}

/**
 * Who may download the sample file and see the scan's (masked) examples: the owner, the
 * authority (which registers and grades), exchange staff (review) and regulators.
 */
export function canReadSample(p: Principal | undefined, r: ResourcePolicyFields): boolean {
  if (!p || !canSeeResource(p, r)) return false;
  return isResourceOwner(p, r) || p.role === 'authority' || p.role === 'exchange' || p.role === 'regulator';
}
