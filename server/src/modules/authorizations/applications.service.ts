import { Types } from 'mongoose';
import type { ApplicationBody, ApplicationDecisionBody, ApplicationQuery, Page } from '@zdec/shared';
import { now } from '../../platform/clock';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { notify } from '../notifications/notifications.service';
import { AuthorizationModel } from './authorization.model';
import { grant } from './authorizations.service';
import { ApplicationDecisionModel, ApplicationModel, type AuthorizationApplication } from './application.model';
import { isDuplicateKey } from '../../platform/db';

type LeanApplication = AuthorizationApplication & { _id: Types.ObjectId };

function view(a: LeanApplication) {
  return ApplicationModel.hydrate(a).toJSON() as unknown as Record<string, unknown> & { id: string };
}

/**
 * An operator applies (resources, purpose, product types, delivery modes, term); a renewal names
 * the operator's own authorization it continues. The resources are checked when the authority
 * approves (the same rules as a grant).
 */
export async function apply(p: Principal, body: ApplicationBody) {
  if (body.renewalOf) {
    const held = await AuthorizationModel.findById(body.renewalOf, { operatorOrgId: 1 }).lean();
    if (!held || String(held.operatorOrgId) !== p.orgId) {
      throw unprocessable('not-your-authorization', 'A renewal continues an authorization your organisation holds', [
        { path: 'body.renewalOf', message: 'not an authorization of your organisation' },
      ]);
    }
  }
  const created = await ApplicationModel.create({
    ...body,
    operatorOrgId: p.orgId,
    appliedBy: p.id,
    at: now(),
    status: 'pending',
  });
  const a = created.toObject() as LeanApplication;
  await notify(
    { roles: ['authority'] },
    {
      key: `authorization.applied:${String(a._id)}`,
      kind: 'authorization.applied',
      params: { purpose: a.purpose },
      link: '/authorizations',
    },
  );
  return view(a);
}

/** Applications: the authority and regulators see all, an operator its own. */
export async function listApplications(p: Principal, q: ApplicationQuery): Promise<Page<Record<string, unknown>>> {
  const filter: Record<string, unknown> = {};
  if (p.role === 'provider') filter.operatorOrgId = p.orgId;
  if (q.status) filter.status = q.status;
  const [total, items] = await Promise.all([
    ApplicationModel.countDocuments(filter),
    ApplicationModel.find(filter)
      .sort({ at: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<LeanApplication[]>(),
  ]);
  return { items: items.map(view), total, page: q.page, pageSize: q.pageSize };
}

/**
 * The authority approves (granting through the grant service, with the fee caps it sets) or rejects
 * with reasons, once. An approval the grant rules refuse (a closed or core resource) is a 422 and
 * decides nothing.
 */
export async function decide(p: Principal, id: string, body: ApplicationDecisionBody) {
  const a = await ApplicationModel.findById(id).lean<LeanApplication>();
  if (!a) throw notFound('Application');
  const existing = await ApplicationDecisionModel.findById(id).lean();
  if (existing) {
    if (existing.decision === 'approve' && existing.authorizationId && a.status === 'pending') {
      return complete(p, a, existing.authorizationId, existing.feeCaps as never); // finish an interrupted approval
    }
    throw conflict(`The application was already decided (${existing.decision})`);
  }
  const authorizationId = body.decision === 'approve' ? new Types.ObjectId() : undefined;
  try {
    await ApplicationDecisionModel.create({
      _id: id,
      decision: body.decision,
      reasons: body.reasons,
      feeCaps: body.feeCaps,
      authorizationId,
      by: p.id,
      byOrgId: p.orgId,
      at: now(),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('The application was decided by a concurrent request');
  }
  if (authorizationId) {
    try {
      return await complete(p, a, authorizationId, body.feeCaps);
    } catch (err) {
      // The grant rules refused (a closed or core resource …): the approval decides nothing.
      if ((err as { status?: number }).status === 422) await ApplicationDecisionModel.deleteOne({ _id: id });
      throw err;
    }
  }
  await ApplicationModel.updateOne(
    { _id: a._id },
    { $set: { status: 'rejected', decision: { decision: 'reject', reasons: body.reasons, by: p.id, at: now() } } },
  );
  await notify(
    { orgIds: [String(a.operatorOrgId)] },
    {
      key: `authorization.decided:${id}`,
      kind: 'authorization.rejected',
      params: { reasons: body.reasons },
      link: '/authorizations',
    },
  );
  return view((await ApplicationModel.findById(id).lean<LeanApplication>())!);
}

/** The grant an approval makes, under the id the decision fixed (so repeating it grants nothing new). */
function grantFor(
  p: Principal,
  a: LeanApplication,
  authorizationId: Types.ObjectId,
  feeCaps: ApplicationDecisionBody['feeCaps'],
) {
  return grant(
    p,
    {
      operatorOrgId: String(a.operatorOrgId),
      resourceIds: a.resourceIds.map(String),
      purpose: a.purpose,
      allowedProductTypes: a.allowedProductTypes as never,
      allowedDeliveryModes: a.allowedDeliveryModes as never,
      validFrom: a.validFrom,
      validTo: a.validTo,
      feeCaps,
    },
    { id: authorizationId },
  );
}

async function complete(
  p: Principal,
  a: LeanApplication,
  authorizationId: Types.ObjectId,
  feeCaps: ApplicationDecisionBody['feeCaps'],
) {
  const granted = await grantFor(p, a, authorizationId, feeCaps);
  await ApplicationModel.updateOne(
    { _id: a._id },
    {
      $set: {
        status: 'approved',
        decision: { decision: 'approve', authorizationId, number: granted.number, by: p.id, at: now() },
      },
    },
  );
  await notify(
    { orgIds: [String(a.operatorOrgId)] },
    {
      key: `authorization.decided:${String(a._id)}`,
      kind: 'authorization.approved',
      params: { number: granted.number },
      link: '/authorizations',
    },
  );
  return view((await ApplicationModel.findById(a._id).lean<LeanApplication>())!);
}
