import type { Logger } from '../../platform/logger';
import { now } from '../../platform/clock';
import { activeEndingWithin } from '../authorizations/authorizations.service';
import { entryBySeq, hintedHead } from '../ledger/ledger.service';
import { NotifierCursorModel } from './notification.model';
import { notify } from './notifications.service';
import { isDuplicateKey } from '../../platform/db';

/*
 * Where notifications come from. Two sources, each safe to repeat (every event has a key that is
 * delivered to a user once):
 *
 * - The ledger, tailed by seq (`_id` reads only): trades settled (buyer and provider: "order paid")
 *   and products listed (provider). A cursor records how far it got; it only moves after the
 *   entries are delivered, so a crash repeats deliveries (no-ops) and never loses one, and any
 *   number of processes may tail at once.
 * - Explicit calls right after a service stored a change that has no ledger entry (a listing
 *   submitted for review, a bank transfer awaiting confirmation, a refund requested or declined, an
 *   objection filed or ruled on, an entitlement revoked, an authorization application). A crash between the change and the call
 *   loses that one notification; the work itself still shows in the console's queue.
 * - Expiry reminders (30 and 7 days before an authorization's validTo) come from a scan of the
 *   authorizations (a small collection) on an interval.
 */

const enc = encodeURIComponent;
/** A ledger never tailed before is picked up this many entries before its head. */
const FIRST_CATCH_UP = 500;

// ---------------------------------------------------------------------------------------------
// explicit events

export const events = {
  reviewRequested: (l: { _id: unknown; title: string; reviewRound?: number | null }, log?: Logger) =>
    notify(
      { roles: ['exchange'], duty: 'review' },
      {
        key: `listing.submitted:${String(l._id)}:${l.reviewRound ?? 0}`,
        kind: 'review.requested',
        params: { title: l.title },
        link: '/exchange',
      },
      log,
    ),
  transferToConfirm: (
    o: { _id: unknown; number: string; amountFen: number; snapshot: { title: string } },
    log?: Logger,
  ) =>
    notify(
      { roles: ['exchange'], duty: 'clearing' },
      {
        key: `order.transfer:${String(o._id)}`,
        kind: 'transfer.toConfirm',
        params: { number: o.number, amountFen: o.amountFen, title: o.snapshot.title },
        link: `/orders/${String(o._id)}`,
      },
      log,
    ),
  // buyers' refund requests (issue 16 item 5)
  refundRequested: (
    o: { _id: unknown; number: string; amountFen: number; snapshot: { title: string } },
    r: { _id: string; reason: string },
    log?: Logger,
  ) =>
    notify(
      { roles: ['exchange'], duty: 'clearing' },
      {
        key: `refund.requested:${r._id}`,
        kind: 'refund.requested',
        params: { number: o.number, amountFen: o.amountFen, title: o.snapshot.title, reason: r.reason },
        link: '/refund-requests',
      },
      log,
    ),
  refundDeclined: (
    o: { _id: unknown; number: string; buyerOrgId: unknown },
    r: { _id: string; decision?: { reason?: string | null } | null },
    log?: Logger,
  ) =>
    notify(
      { orgIds: [String(o.buyerOrgId)] },
      {
        key: `refund.declined:${r._id}`,
        kind: 'refund.declined',
        params: { number: o.number, reason: r.decision?.reason ?? '' },
        link: `/orders/${String(o._id)}`,
      },
      log,
    ),
  entitlementRevoked: (e: { orderId: unknown; buyerOrgId: unknown; revokeReason?: string | null }, log?: Logger) =>
    notify(
      { orgIds: [String(e.buyerOrgId)] },
      {
        key: `entitlement.revoked:${String(e.orderId)}`,
        kind: 'entitlement.revoked',
        params: { reason: e.revokeReason ?? '' },
        link: `/orders/${String(e.orderId)}`,
      },
      log,
    ),
  objectionFiled: (n: { _id: string; ownerOrgId: unknown; snapshot: unknown }, objectionId: string) =>
    notify(
      { orgIds: [String(n.ownerOrgId)], roles: ['authority'] },
      {
        key: `objection.filed:${objectionId}`,
        kind: 'objection.filed',
        params: { name: (n.snapshot as { name?: string }).name ?? '' },
        link: `/notices/${enc(n._id)}`,
      },
    ),
  objectionRuled: (n: { _id: string; snapshot: unknown }, o: { _id: unknown; orgId: unknown }, decision: string) =>
    notify(
      { orgIds: [String(o.orgId)] },
      {
        key: `objection.ruled:${String(o._id)}`,
        kind: 'objection.ruled',
        params: { name: (n.snapshot as { name?: string }).name ?? '', decision },
        link: `/notices/${enc(n._id)}`,
      },
    ),
  registrationDecided: (n: {
    _id: string;
    ownerOrgId: unknown;
    resourceId: unknown;
    snapshot: unknown;
    status: string;
  }) =>
    notify(
      { orgIds: [String(n.ownerOrgId)] },
      {
        key: `registration.decided:${n._id}`,
        kind: `registration.${n.status}`,
        params: { name: (n.snapshot as { name?: string }).name ?? '' },
        link: `/resources/${String(n.resourceId)}`,
      },
    ),
};

// ---------------------------------------------------------------------------------------------
// the ledger tail

/** Turns ledger entries appended since the last call into notifications (at most `limit`). Returns how many it read. */
export async function catchUpLedger(limit = 200, log?: Logger): Promise<number> {
  const cursor = (await NotifierCursorModel.findById('ledger').lean())?.n;
  let seq: number = cursor ?? Math.max(0, (await hintedHead()).seq - FIRST_CATCH_UP);
  let read = 0;
  for (; read < limit; read++) {
    const e = await entryBySeq(seq + 1);
    if (!e) break;
    seq = e.seq; // entries older than LOOKBACK_MS (history) notify nobody: see notify()
    if (e.type === 'trade.settled') {
      await notify(
        { orgIds: e.orgIds },
        {
          key: `trade.settled:${e.ref}`,
          kind: 'order.paid',
          params: { listingCode: e.listingCode ?? '', amountFen: e.amountFen },
          link: `/orders/${e.orderId ?? ''}`,
          at: e.at,
        },
        log,
      );
    } else if (e.type === 'listing.listed') {
      await notify(
        { orgIds: e.orgIds },
        {
          key: `listing.listed:${e.ref}`,
          kind: 'listing.listed',
          params: { listingCode: e.listingCode ?? '' },
          link: `/listings/${e.listingId ?? ''}`,
          at: e.at,
        },
        log,
      );
    }
  }
  await NotifierCursorModel.updateOne({ _id: 'ledger' }, { $max: { n: seq } }, { upsert: true }).catch(
    (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    },
  );
  return read;
}

// ---------------------------------------------------------------------------------------------
// authorization expiry reminders

/** Days before validTo at which operator and authority are reminded. */
export const REMINDER_DAYS = [30, 7] as const;

/**
 * Reminds the operator's and the authority's users of every active authorization ending within 30
 * (and again within 7) days. Idempotent per authorization, threshold and validTo (a renewal that
 * moves validTo reminds again when the new date comes near).
 */
export async function remindExpiring(log?: Logger): Promise<number> {
  const t = now();
  const horizon = new Date(t.getTime() + REMINDER_DAYS[0] * 86_400_000);
  const due = await activeEndingWithin(t, horizon);
  let sent = 0;
  for (const a of due) {
    const daysLeft = (a.validTo.getTime() - t.getTime()) / 86_400_000;
    const threshold = daysLeft <= REMINDER_DAYS[1] ? REMINDER_DAYS[1] : REMINDER_DAYS[0];
    await notify(
      { orgIds: [String(a.operatorOrgId), String(a.authorityOrgId)] },
      {
        key: `authorization.expiring:${threshold}:${String(a._id)}:${a.validTo.toISOString()}`,
        kind: 'authorization.expiring',
        params: { number: a.number, validTo: a.validTo.toISOString(), days: threshold },
        link: '/authorizations',
      },
      log,
    );
    sent++;
  }
  return sent;
}
