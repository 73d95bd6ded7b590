import { Types } from 'mongoose';
import type { ApplicationBody, ApplicationDecisionBody, ApplicationQuery, Page } from '@zdec/shared';
import { now } from '../../platform/clock';
import { conflict, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { notify } from '../notifications/notifications.service';
import { AuthorizationModel } from './authorization.model';
import { isDuplicateKey } from '../../platform/db';
import { grant, namesOf } from './authorizations.service';
import { ApplicationDecisionModel, ApplicationModel, type AuthorizationApplication } from './application.model';

type LeanApplication = AuthorizationApplication & { _id: Types.ObjectId };

function view(a: LeanApplication) {
  return ApplicationModel.hydrate(a).toJSON() as unknown as Record<string, unknown> & { id: string };
}

/**
 * Applications as their readers see them: the record with the operator and the resources named,
 * and, for a renewal, the authorization it continues (number, term, fee caps the authority may keep).
 */
async function present(apps: LeanApplication[]) {
  const renewalIds = apps.flatMap((a) => (a.renewalOf ? [a.renewalOf] : []));
  const [names, renewed] = await Promise.all([
    namesOf(
      apps.map((a) => a.operatorOrgId),
      apps.flatMap((a) => a.resourceIds),
    ),
    renewalIds.length
      ? AuthorizationModel.find({ _id: { $in: renewalIds } }, { number: 1, validTo: 1, feeCaps: 1 }).lean()
      : [],
  ]);
  const renewedById = new Map(renewed.map((r) => [String(r._id), r]));
  return apps.map((a) => {
    const r = a.renewalOf ? renewedById.get(String(a.renewalOf)) : undefined;
    return {
      ...view(a),
      operator: names.org(a.operatorOrgId),
      resources: a.resourceIds.map((id) => names.resource(id)),
      renewal: r ? { id: String(r._id), number: r.number, validTo: r.validTo, feeCaps: r.feeCaps ?? {} } : null,
    };
  });
}

async function presentOne(id: unknown) {
  return (await present([(await ApplicationModel.findById(id).lean<LeanApplication>())!]))[0]!;
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
      link: '/authorization-applications',
    },
  );
  return (await present([a]))[0]!;
}

/**
 * Applications: the authority and regulators see all, an operator its own. Newest first; without a
 * status filter the pending ones come first (the authority's queue), then the decided ones.
 */
export async function listApplications(p: Principal, q: ApplicationQuery): Promise<Page<Record<string, unknown>>> {
  const filter: Record<string, unknown> = {};
  if (p.role === 'provider') filter.operatorOrgId = p.orgId;
  const parts = q.status
    ? [{ ...filter, status: q.status }]
    : [
        { ...filter, status: 'pending' },
        { ...filter, status: { $ne: 'pending' } },
      ];
  const totals = await Promise.all(parts.map((f) => ApplicationModel.countDocuments(f)));
  // The page is a window over the parts laid end to end.
  let skip = (q.page - 1) * q.pageSize;
  let room = q.pageSize;
  const items: LeanApplication[] = [];
  for (const [i, f] of parts.entries()) {
    const total = totals[i]!;
    if (room > 0 && skip < total) {
      const found = await ApplicationModel.find(f)
        .sort({ at: -1, _id: -1 })
        .skip(skip)
        .limit(room)
        .lean<LeanApplication[]>();
      items.push(...found);
      room -= found.length;
    }
    skip = Math.max(0, skip - total);
  }
  const total = totals.reduce((a, b) => a + b, 0);
  return { items: await present(items), total, page: q.page, pageSize: q.pageSize };
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
      link: '/authorization-applications',
    },
  );
  return presentOne(id);
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
      link: '/authorization-applications',
    },
  );
  return presentOne(a._id);
}
