import type { AuthorizationStatus } from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';

/** The fields the status rules read; a lean document, a hydrated one or a plain object all fit. */
export interface AuthorizationStatusFields {
  status: string;
  validFrom: Date;
  validTo: Date;
  /** Set once by revoke and never removed: revoked for good, whatever `status` a racing write left. */
  revokedAt?: Date | null;
}

/** Revoked: by its stored status, or by `revokedAt` (conditional updates on the embedded engine are not atomic,
 * so a suspend/resume racing the revoke could overwrite `status`; `revokedAt` is never unset). */
function isRevoked(auth: AuthorizationStatusFields): boolean {
  return auth.status === 'revoked' || auth.revokedAt != null;
}

/**
 * The status an authorization has now. `revoked` and `suspended` are stored; `expired` is derived
 * from `validTo` (no timer ever writes it), so an authorization expires at the exact moment its term
 * ends. Revoked wins over expired (a revoked agreement stays revoked in every report).
 */
export function effectiveStatus(auth: AuthorizationStatusFields, now: Date = clockNow()): AuthorizationStatus {
  if (isRevoked(auth)) return 'revoked';
  if (now.getTime() > new Date(auth.validTo).getTime()) return 'expired';
  if (auth.status === 'suspended') return 'suspended';
  return 'active';
}

/**
 * Whether products may be listed, paid for and delivered under the authorization right now:
 * stored status active and `validFrom ≤ now ≤ validTo` (not yet in force counts as unusable).
 */
export function isAuthorizationUsable(auth: AuthorizationStatusFields, now: Date = clockNow()): boolean {
  const t = now.getTime();
  return (
    auth.status === 'active' &&
    !isRevoked(auth) &&
    new Date(auth.validFrom).getTime() <= t &&
    t <= new Date(auth.validTo).getTime()
  );
}

/** Why the authorization behind a listing stops trade and delivery now, or null when it is usable. */
export function authorizationBlock(authorization: AuthorizationStatusFields | null, now: Date): string | null {
  if (!authorization) return 'The authorization behind this product no longer exists';
  if (isAuthorizationUsable(authorization, now)) return null;
  const status = effectiveStatus(authorization, now);
  if (status === 'active') return 'The authorization behind this product is not yet in force';
  return `The authorization behind this product is ${status}`;
}
