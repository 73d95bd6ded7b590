import { Types } from 'mongoose';
import type { ReviewBody } from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { nextSequence } from '../../platform/counters';
import { isDuplicateKey } from '../../platform/db';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors';
import { faultPoint } from '../../platform/faults';
import type { Principal } from '../../platform/http/auth';
import { effectiveStatus, isAuthorizationUsable } from '../authorizations/authorization.policy';
import { shanghaiYear } from '../authorizations/authorizations.service';
import { flushOutbox, outboxPush } from '../ledger/outbox';
import { events } from '../notifications/notifications.events';
import {
  ListingCodeModel,
  decisionId,
  ListingDecisionModel,
  ListingModel,
  loadListing,
  transitionListing,
  updateListingIf,
  type ListingRecord,
} from './listing.model';
import { isListingOwner, SUBMITTABLE_STATUSES } from './listing.policy';
import type { RuleResult } from './listing.rules';
import { derivedFromSources, loadAuthorization, loadBasis, rulesOn, type ListingBasis } from './listings.sources';
import { listingView, type ListingView } from './listings.views';

/*
 * 挂牌审核: the provider submits, the exchange reviews (one decision per round), and the provider or
 * the exchange delists. Every change is one conditional update of the listing (transitionListing);
 * listing and delisting reach the ledger through the listing's outbox.
 */

/**
 * Submits a product for review (→ pending_review). The compliance rules run as a preview and come
 * back as `checklist`; only the exchange review enforces them.
 */
export async function submit(p: Principal, id: string): Promise<{ listing: ListingView; checklist: RuleResult[] }> {
  const l = await loadListing(id);
  if (!l || !isListingOwner(p, l)) throw notFound('Listing');
  if (!(SUBMITTABLE_STATUSES as readonly string[]).includes(l.status)) {
    throw conflict(`A ${l.status} listing cannot be submitted`, { status: l.status });
  }
  const now = clockNow();
  const basis = await loadBasis(l);
  const results = rulesOn(l, basis, now);
  const updated = await transitionListing(
    { _id: l._id, status: l.status },
    {
      $set: { status: 'pending_review', submittedAt: now, ...derivedFromSources(basis.sources) },
      $inc: { reviewRound: 1 },
      $unset: { statusReason: 1 },
    },
  );
  if (!updated) throw conflict('The listing changed meanwhile; reload it');
  await events.reviewRequested(updated); // daily work (issue 16): the exchange's inbox
  return { listing: listingView(p, updated), checklist: results };
}

/**
 * The listing's code: the one bound to it already, or a new `ZDEC-<yyyy>-<6-digit seq>` bound to it
 * for ever (ListingCodeModel). A number someone else got first is skipped, so codes are unique
 * even if the sequence repeats a number; codes may have gaps.
 */
async function codeFor(listingId: Types.ObjectId, at: Date): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const bound = await ListingCodeModel.findOne({ listingId }).lean();
    if (bound) return bound._id;
    const year = shanghaiYear(at);
    const code = `ZDEC-${year}-${String(await nextSequence(`listing:${year}`)).padStart(6, '0')}`;
    try {
      await ListingCodeModel.create({ _id: code, listingId, at });
      return code;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new Error(`no listing code could be bound to ${String(listingId)}`);
}

type Decision = {
  round: number;
  by: Types.ObjectId;
  at: Date;
  decision: 'approve' | 'reject';
  reasons: string[];
  checklist: RuleResult[];
};

/**
 * Applies a claimed decision to the listing. Idempotent: it only changes a listing still pending in
 * the decision's round, sets the review history as a whole (the listing cannot change while
 * pending) and the ledger event is idempotent per (type, ref), so applying twice is applying once.
 */
async function applyDecision(l: ListingRecord, d: Decision, { sources, auth }: ListingBasis): Promise<void> {
  const entry = { by: d.by, at: d.at, decision: d.decision, reasons: d.reasons, checklist: d.checklist };
  const reviews = [...l.reviews, entry];
  const pending = { _id: l._id, status: 'pending_review', reviewRound: d.round };
  if (d.decision === 'reject') {
    await updateListingIf(pending, {
      $set: { status: 'rejected', statusReason: d.reasons.join('; '), reviews },
    });
    return;
  }
  const derived = derivedFromSources(sources);
  const code = l.code ?? (await codeFor(l._id, d.at));
  const ledger = l.code
    ? {}
    : outboxPush({
        type: 'listing.listed',
        ref: String(l._id),
        listingId: String(l._id),
        listingCode: code,
        authorizationId: auth ? String(auth._id) : undefined,
        grade: derived.grade,
        orgIds: [String(l.providerOrgId), ...(auth ? [String(auth.authorityOrgId)] : [])],
        at: d.at,
      });
  await updateListingIf(pending, {
    $set: { status: 'listed', code, listedAt: d.at, ...derived, reviews },
    $unset: { statusReason: 1, suspendedBy: 1 },
    ...ledger,
  });
  await flushOutbox(ListingModel, l._id);

  // An authorization suspended or revoked while this review ran: its cascade may have missed the
  // listing, so follow it now. This is the one read of it after the listing became listed, and it
  // must be fresh: the copy the rules judged was read before.
  const authNow = await loadAuthorization(l.authorizationId);
  if (authNow && !isAuthorizationUsable(authNow, clockNow())) {
    await updateListingIf(
      { _id: l._id, status: 'listed' },
      {
        $set: {
          status: 'suspended',
          suspendedBy: 'authorization',
          statusReason: `authorization ${effectiveStatus(authNow)}`,
        },
      },
    );
  }
}

/**
 * The exchange's compliance review of a pending product.
 *
 * Approve runs every rule; any failure → 422 with `errors: [{path: 'rules.<rule>', message}]`
 * (and `checklist`), and nothing is recorded (a 4xx changes nothing). Reject records the reasons
 * and the checklist as it stood, status rejected. Approval sets status listed, the listing code
 * (bound at the first approval; a re-listed product keeps it), and on the first listing the
 * `listing.listed` ledger event through the outbox (exactly once: idempotent per listing id).
 *
 * Exactly one decision per review round: the reviewer who inserts the round's claim
 * (ListingDecisionModel, unique per listing and round) decides; a concurrent reviewer gets 409.
 * A decision interrupted after its claim (a crash) is completed by the next review attempt, which
 * then answers 409 because the listing was already decided.
 */
export async function review(p: Principal, id: string, body: ReviewBody): Promise<ListingView> {
  const l = await loadListing(id);
  if (!l) throw notFound('Listing');
  if (l.status !== 'pending_review')
    throw conflict(`The listing is ${l.status}, not pending review`, { status: l.status });
  const round = l.reviewRound ?? 0;
  const [earlier, basis] = await Promise.all([
    ListingDecisionModel.findById(decisionId(l._id, round)).lean<Decision>(),
    loadBasis(l),
  ]);
  if (earlier) {
    await applyDecision(l, earlier, basis);
    throw conflict('Another reviewer decided on this listing first');
  }

  const now = clockNow();
  const results = rulesOn(l, basis, now);
  const failed = results.filter((r) => !r.ok);
  if (body.decision === 'approve' && failed.length) {
    throw new AppError(
      'rules-failed',
      422,
      `The listing fails ${failed.length} compliance rule(s) and cannot be approved`,
      {
        errors: failed.map((r) => ({ path: `rules.${r.rule}`, message: r.detail })),
        extra: { checklist: results },
      },
    );
  }

  const decision: Decision = {
    round,
    by: new Types.ObjectId(p.id),
    at: now,
    decision: body.decision,
    reasons: body.reasons,
    checklist: results,
  };
  try {
    await ListingDecisionModel.create({ _id: decisionId(l._id, round), listingId: l._id, ...decision });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Another reviewer's claim won meanwhile (or one taken before decisions were keyed by `_id`):
    // complete it, as above, then answer that it decided first.
    const winner = await ListingDecisionModel.findOne({ listingId: l._id, round }).lean<Decision>();
    if (winner) await applyDecision(l, winner, basis);
    throw conflict('Another reviewer decided on this listing first');
  }
  faultPoint('listings.review.afterClaim');
  await applyDecision(l, decision, basis);
  return listingView(p, (await loadListing(l._id))!);
}

/**
 * Delists a listed or suspended product (its provider or the exchange). Appends `listing.delisted`
 * with ref `<listingId>:<n>` (n-th delisting) through the outbox; the conditional update on
 * `delistCount` makes a second concurrent delist a 409.
 */
export async function delist(p: Principal, id: string, reason: string): Promise<ListingView> {
  const l = await loadListing(id);
  if (!l) throw notFound('Listing');
  if (p.role === 'provider' && !isListingOwner(p, l)) throw notFound('Listing');
  if (p.role !== 'provider' && p.role !== 'exchange') throw forbidden();
  if (l.status !== 'listed' && l.status !== 'suspended') {
    throw conflict(`A ${l.status} listing cannot be delisted`, { status: l.status });
  }
  const now = clockNow();
  const n = l.delistCount + 1;
  const updated = await transitionListing(
    { _id: l._id, status: { $in: ['listed', 'suspended'] }, delistCount: l.delistCount },
    {
      $set: { status: 'delisted', delistedAt: now, delistCount: n, statusReason: reason },
      $unset: { suspendedBy: 1 },
      ...outboxPush({
        type: 'listing.delisted',
        ref: `${String(l._id)}:${n}`,
        listingId: String(l._id),
        listingCode: l.code ?? undefined,
        authorizationId: l.authorizationId ? String(l.authorizationId) : undefined,
        grade: l.grade as ListingRecord['grade'],
        orgIds: [String(l.providerOrgId)],
        at: now,
      }),
    },
  );
  if (!updated) throw conflict('The listing changed meanwhile; reload it');
  await flushOutbox(ListingModel, l._id);
  return listingView(p, (await loadListing(l._id))!);
}
