import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { LedgerType } from '@zdec/shared';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields an entry's hash covers; `at` as an ISO string, absent optionals left out. */
export interface HashedFields {
  seq: number;
  at: Date;
  month: string;
  type: LedgerType;
  ref: string;
  orderId?: string | null;
  listingId?: string | null;
  listingCode?: string | null;
  resourceId?: string | null;
  authorizationId?: string | null;
  orgIds: string[];
  amountFen: number;
  grade?: string | null;
  prevHash: string;
}

/** SHA-256 over the RFC 8785 canonical JSON of the entry including `prevHash`. */
export function entryHash(e: HashedFields): string {
  const body: Record<string, unknown> = {
    seq: e.seq,
    at: e.at.toISOString(),
    month: e.month,
    type: e.type,
    ref: e.ref,
    orgIds: [...e.orgIds],
    amountFen: e.amountFen,
    prevHash: e.prevHash,
  };
  for (const k of ['orderId', 'listingId', 'listingCode', 'resourceId', 'authorizationId', 'grade'] as const) {
    const v = e[k];
    if (v !== undefined && v !== null) body[k] = v;
  }
  return crypto.createHash('sha256').update(canonicalize(body)!, 'utf8').digest('hex');
}

const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' });

/** YYYY-MM of a moment in Asia/Shanghai. */
export function shanghaiMonth(at: Date): string {
  return MONTH.format(at).slice(0, 7);
}
