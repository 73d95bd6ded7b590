import type { Types } from 'mongoose';
import {
  noticeEnd,
  type AmendmentBody,
  type CancellationBody,
  type NoticeQuery,
  type ObjectionBody,
  type ObjectionRulingBody,
  type Page,
  type ResourceRegisterBody,
} from '@zdec/shared';
import { now } from '../../platform/clock';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { lookupOrgs } from '../accounts/accounts.service';
import { flushOutbox, outboxPush, registerOutbox } from '../ledger/outbox';
import { events } from '../notifications/notifications.events';
import { canSeeResource, isResourceOwner } from './resources.policy';
import {
  certificateDigest,
  checkRegistrable,
  issueCertificate,
  loadOwned,
  registerResource,
  resourceSearchTerms,
  view,
  type Certificate,
  type ResourceView,
} from './resources.service';
import { ResourceModel, ResourceRegistrationModel, type ResourceDoc } from './resource.model';
import {
  ObjectionRulingModel,
  RegistrationNoticeModel,
  RegistrationObjectionModel,
  ResourceAmendmentModel,
  type RegistrationNotice,
  type RegistrationObjection,
  type ResourceAmendment,
} from './registration.model';
import { isDuplicateKey, updateIf } from '../../platform/db';

/**
 * 公共数据资源登记管理暂行办法 (2025): a registration of public data is published for a notice
 * period (公示) of working days during which anyone signed in may object; the certificate is issued
 * when the period has ended and every objection has been ruled on without one being upheld. The
 * data authority rules on objections (it is the registering body), always with reasons; an upheld
 * objection ends the notice and returns the resource to its owner as a draft to correct and submit
 * again. Registered resources are then changed (变更), corrected (更正) or cancelled (注销) by
 * their own steps, each with its reason, each appended to the ledger.
 *
 * A provider's own enterprise data is not public data: it registers at once, as before. With a
 * notice period of 0 working days (the default under NODE_ENV=test) public data does too.
 */

export interface RegistrationOptions {
  /** Working days of public notice for public data; 0 registers at once. */
  noticeWorkingDays: number;
}

/**
 * How long after a notice's end an objection filed at its last moment may still be landing: the
 * certificate waits this long, so an objection that passed the "still open" check is always seen.
 */
export const FINALISE_GRACE_MS = 60_000;

type LeanNotice = RegistrationNotice & { _id: string };
type LeanObjection = RegistrationObjection & { _id: Types.ObjectId };
type LeanAmendment = ResourceAmendment & { _id: Types.ObjectId };

export interface NoticeView {
  id: string;
  resourceId: string;
  attempt: number;
  ownerOrgId: string;
  grade: string;
  level: string;
  publishedAt: Date;
  endsAt: Date;
  workingDays: number;
  status: string;
  snapshot: Record<string, unknown>;
  decidedAt?: Date;
  registrationNumber?: string;
  objections: ObjectionView[];
}

export interface ObjectionView {
  id: string;
  noticeId: string;
  resourceId: string;
  at: Date;
  status: string;
  /** The objection's text: for the authority, the owner, regulators and the objector. */
  reason?: string;
  contact?: string;
  orgId?: string;
  ruling?: { decision: string; reasons: string; at: Date };
}

/** Who sees an objection's text (the public sees that it exists, its status and the ruling). */
function seesObjectionText(p: Principal | undefined, n: { ownerOrgId: unknown }, o: LeanObjection): boolean {
  if (!p) return false;
  if (p.role === 'authority' || p.role === 'regulator') return true;
  return String(n.ownerOrgId) === p.orgId || String(o.orgId) === p.orgId;
}

function objectionView(p: Principal | undefined, n: { ownerOrgId: unknown }, o: LeanObjection): ObjectionView {
  const full = seesObjectionText(p, n, o);
  const contactVisible =
    !!p && (p.role === 'authority' || String(n.ownerOrgId) === p.orgId || String(o.orgId) === p.orgId);
  return {
    id: String(o._id),
    noticeId: o.noticeId,
    resourceId: String(o.resourceId),
    at: o.at,
    status: o.status,
    ...(full ? { reason: o.reason, orgId: String(o.orgId) } : {}),
    ...(contactVisible ? { contact: o.contact ?? '' } : {}),
    ...(o.ruling ? { ruling: { decision: o.ruling.decision, reasons: o.ruling.reasons, at: o.ruling.at } } : {}),
  };
}

async function noticeView(p: Principal | undefined, n: LeanNotice): Promise<NoticeView> {
  const objections = await RegistrationObjectionModel.find({ noticeId: n._id }).sort({ at: 1 }).lean<LeanObjection[]>();
  return {
    id: n._id,
    resourceId: String(n.resourceId),
    attempt: n.attempt,
    ownerOrgId: String(n.ownerOrgId),
    grade: n.grade,
    level: n.level,
    publishedAt: n.publishedAt,
    endsAt: n.endsAt,
    workingDays: n.workingDays,
    status: n.status,
    snapshot: n.snapshot as Record<string, unknown>,
    ...(n.decidedAt ? { decidedAt: n.decidedAt } : {}),
    ...(n.registrationNumber ? { registrationNumber: n.registrationNumber } : {}),
    objections: objections.map((o) => objectionView(p, n, o)),
  };
}

/** What the public sees of a resource under notice: its registered metadata, never the sample or scan examples. */
async function publicSnapshot(doc: ResourceDoc, grade: string, level: string): Promise<Record<string, unknown>> {
  const org = (await lookupOrgs({ ids: String(doc.ownerOrgId) } as never)).items[0];
  return {
    name: doc.name,
    description: doc.description ?? '',
    holderDepartment: doc.holderDepartment,
    regionCode: doc.regionCode,
    domain: doc.domain,
    openness: doc.openness,
    kind: doc.kind,
    fields: (doc.fields ?? []).map((f) => ({ name: f.name, type: f.type, description: f.description ?? '' })),
    updateFrequency: doc.updateFrequency,
    recordCount: doc.recordCount,
    grade,
    level,
    sampleSha256: doc.sample?.sha256 ?? null,
    ownerOrgName: org?.name ?? '',
    ownerOrgCreditCode: org?.creditCode ?? '',
  };
}

/**
 * `POST /resources/:id/register`. Public data with a notice period is published for notice (its
 * resource becomes `publicizing`, frozen); anything else registers at once (catalog.registerResource).
 */
export async function submitRegistration(
  p: Principal,
  id: string,
  body: ResourceRegisterBody,
  opts: RegistrationOptions,
): Promise<{ resource: ResourceView; certificate?: Certificate; notice?: NoticeView }> {
  const probe = await loadOwned(p, id);
  if (opts.noticeWorkingDays <= 0 || probe.kind !== 'public') return registerResource(p, id, body);
  const { doc, grade, level } = await checkRegistrable(p, id, body);
  const publishedAt = now();
  const attempt = (await RegistrationNoticeModel.countDocuments({ resourceId: doc._id })) + 1;
  const noticeId = `${id}#${attempt}`;
  try {
    await RegistrationNoticeModel.create({
      _id: noticeId,
      resourceId: doc._id,
      attempt,
      ownerOrgId: doc.ownerOrgId,
      by: p.id,
      grade,
      level,
      publishedAt,
      endsAt: noticeEnd(publishedAt, opts.noticeWorkingDays),
      workingDays: opts.noticeWorkingDays,
      status: 'publicizing',
      snapshot: await publicSnapshot(doc, grade, level),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('The resource was submitted for registration by a concurrent request');
  }
  const notice = (await RegistrationNoticeModel.findById(noticeId).lean<LeanNotice>())!;
  await updateIf(
    ResourceModel,
    { _id: doc._id, status: 'draft' },
    { $set: { status: 'publicizing', noticeId, noticeEndsAt: notice.endsAt } },
  );
  const resource = (await ResourceModel.findById(doc._id))!;
  return { resource: view(p, resource), notice: await noticeView(p, notice) };
}

/**
 * Brings a notice in line with what decides it: a certificate issued (certified), an upheld ruling
 * (objection_upheld, the resource back to draft), or — once the period and its grace have passed and
 * every objection is ruled on, none upheld — issues the certificate. Idempotent, safe to run from any
 * number of processes: the certificate is one insert unique per resource.
 */
export async function settleNotice(n: LeanNotice): Promise<LeanNotice> {
  if (n.status !== 'publicizing') return n;
  const certified = async (number: string, at: Date) => {
    await RegistrationNoticeModel.updateOne(
      { _id: n._id },
      { $set: { status: 'certified', registrationNumber: number, decidedAt: at } },
    );
    await updateIf(
      ResourceModel,
      { _id: n.resourceId, noticeId: n._id },
      { $unset: { noticeId: '', noticeEndsAt: '' } },
    );
    return { ...n, status: 'certified', registrationNumber: number, decidedAt: at } as LeanNotice;
  };
  const registered = await ResourceRegistrationModel.findOne({ resourceId: n.resourceId }, { number: 1, at: 1 }).lean();
  if (registered) return certified(registered.number, registered.at);

  const rulings = await ObjectionRulingModel.find({ noticeId: n._id }).lean();
  const upheld = rulings.find((r) => r.decision === 'uphold');
  if (upheld) {
    await RegistrationNoticeModel.updateOne(
      { _id: n._id },
      { $set: { status: 'objection_upheld', decidedAt: upheld.at } },
    );
    await updateIf(
      ResourceModel,
      { _id: n.resourceId, status: 'publicizing' },
      { $set: { status: 'draft' }, $unset: { noticeId: '', noticeEndsAt: '' } },
    );
    const decided = { ...n, status: 'objection_upheld', decidedAt: upheld.at } as LeanNotice;
    await events.registrationDecided(decided);
    return decided;
  }

  if (now().getTime() < n.endsAt.getTime() + FINALISE_GRACE_MS) return n;
  const objections = await RegistrationObjectionModel.find({ noticeId: n._id }, { _id: 1 }).lean();
  const ruled = new Set(rulings.map((r) => r._id));
  if (objections.some((o) => !ruled.has(String(o._id)))) return n; // waits for the authority's ruling

  const doc = await ResourceModel.findById(n.resourceId);
  if (!doc || (doc.status !== 'publicizing' && doc.status !== 'draft')) return n;
  try {
    const { certificate } = await issueCertificate(undefined, doc, n.grade as never, n.level as never, n.by);
    const decided = await certified(certificate.number, certificate.issuedAt);
    await events.registrationDecided(decided);
    return decided;
  } catch (err) {
    if (!(err instanceof AppError && err.status === 409)) throw err;
    const again = await ResourceRegistrationModel.findOne({ resourceId: n.resourceId }, { number: 1, at: 1 }).lean();
    return again ? certified(again.number, again.at) : n;
  }
}

async function loadNotice(id: string): Promise<LeanNotice> {
  const n = await RegistrationNoticeModel.findById(id).lean<LeanNotice>();
  if (!n) throw notFound('Registration notice');
  return settleNotice(n);
}

/** Settles every notice whose period has ended (start-up and interval job; also before public lists). */
export async function settleDueNotices(): Promise<number> {
  const open = await RegistrationNoticeModel.find({ status: 'publicizing' }).lean<LeanNotice[]>();
  let decided = 0;
  for (const n of open) if ((await settleNotice(n)).status !== 'publicizing') decided++;
  return decided;
}

/** The public list of notices (default: those under notice now), newest first. */
export async function listNotices(p: Principal | undefined, q: NoticeQuery): Promise<Page<NoticeView>> {
  if (q.status === 'publicizing') await settleDueNotices();
  const filter = { status: q.status };
  const [total, items] = await Promise.all([
    RegistrationNoticeModel.countDocuments(filter),
    RegistrationNoticeModel.find(filter)
      .sort({ publishedAt: -1, _id: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<LeanNotice[]>(),
  ]);
  return { items: await Promise.all(items.map((n) => noticeView(p, n))), total, page: q.page, pageSize: q.pageSize };
}

/** One notice with its objections (their text for those who may see it). Public. */
export async function getNotice(p: Principal | undefined, id: string): Promise<NoticeView> {
  return noticeView(p, await loadNotice(id));
}

/** 异议: anyone signed in, except the registering organisation itself, while the notice is open. */
export async function fileObjection(p: Principal, noticeId: string, body: ObjectionBody): Promise<ObjectionView> {
  const n = await loadNotice(noticeId);
  if (n.status !== 'publicizing' || now() >= n.endsAt) {
    throw new AppError('notice-closed', 409, 'The public notice period of this registration has ended', {
      extra: { status: n.status, endsAt: n.endsAt },
    });
  }
  if (String(n.ownerOrgId) === p.orgId)
    throw forbidden('The registering organisation cannot object to its own registration');
  const created = await RegistrationObjectionModel.create({
    noticeId: n._id,
    resourceId: n.resourceId,
    by: p.id,
    orgId: p.orgId,
    reason: body.reason,
    contact: body.contact,
    at: now(),
    status: 'pending',
  });
  const o = created.toObject() as LeanObjection;
  await events.objectionFiled(n, String(o._id));
  return objectionView(p, n, o);
}

/** Objections for the authority's console (default: those waiting for a ruling). */
export async function listObjections(
  p: Principal,
  q: { status?: 'pending' | 'upheld' | 'dismissed'; page: number; pageSize: number },
): Promise<Page<ObjectionView & { notice: { id: string; name: unknown; endsAt: Date; status: string } }>> {
  const filter = q.status ? { status: q.status } : {};
  const [total, items] = await Promise.all([
    RegistrationObjectionModel.countDocuments(filter),
    RegistrationObjectionModel.find(filter)
      .sort({ at: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean<LeanObjection[]>(),
  ]);
  const notices = new Map<string, LeanNotice>();
  for (const o of items) {
    if (!notices.has(o.noticeId)) {
      const n = await RegistrationNoticeModel.findById(o.noticeId).lean<LeanNotice>();
      if (n) notices.set(o.noticeId, n);
    }
  }
  return {
    items: items.map((o) => {
      const n = notices.get(o.noticeId)!;
      return {
        ...objectionView(p, n, o),
        notice: { id: n._id, name: (n.snapshot as { name?: unknown }).name, endsAt: n.endsAt, status: n.status },
      };
    }),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * The authority rules on an objection, with reasons: once (the ruling's `_id` is the objection's),
 * and only while the notice is undecided. Upholding ends the notice; the last dismissal after the
 * period lets the certificate be issued at once.
 */
export async function ruleObjection(
  p: Principal,
  objectionId: string,
  body: ObjectionRulingBody,
): Promise<{ objection: ObjectionView; notice: NoticeView }> {
  const o = await RegistrationObjectionModel.findById(objectionId).lean<LeanObjection>();
  if (!o) throw notFound('Objection');
  const n = await loadNotice(o.noticeId);
  if (n.status !== 'publicizing') {
    throw conflict(`The registration is already decided (${n.status}); the objection can no longer be ruled on`, {
      status: n.status,
    });
  }
  const at = now();
  try {
    await ObjectionRulingModel.create({
      _id: objectionId,
      noticeId: n._id,
      decision: body.decision,
      reasons: body.reasons,
      by: p.id,
      at,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('The objection has already been ruled on');
  }
  const ruling = { decision: body.decision, reasons: body.reasons, by: p.id, at };
  const status = body.decision === 'uphold' ? 'upheld' : 'dismissed';
  await RegistrationObjectionModel.updateOne({ _id: o._id }, { $set: { status, ruling } });
  await events.objectionRuled(n, o, body.decision);
  const settled = await settleNotice(n);
  return {
    objection: objectionView(p, n, { ...o, status, ruling } as unknown as LeanObjection),
    notice: await noticeView(p, settled),
  };
}

// ---------------------------------------------------------------------------------------------
// 变更、更正、注销

const AMENDMENT_LEDGER = {
  change: 'resource.changed',
  correction: 'resource.corrected',
  cancellation: 'resource.cancelled',
} as const;

/** Brings the resource in line with an amendment (idempotent; an older version never overwrites a newer one). */
async function applyAmendment(a: LeanAmendment): Promise<void> {
  const notNewer = { $or: [{ registrationVersion: { $exists: false } }, { registrationVersion: { $lt: a.version } }] };
  if (a.kind === 'cancellation') {
    await updateIf(
      ResourceModel,
      { _id: a.resourceId, status: 'registered', ...notNewer },
      { $set: { status: 'retired', retiredAt: a.at, registrationVersion: a.version } },
    );
    return;
  }
  const doc = await ResourceModel.findById(a.resourceId).lean();
  if (!doc) return;
  const changes = a.changes as Record<string, unknown>;
  await updateIf(
    ResourceModel,
    { _id: a.resourceId, status: 'registered', ...notNewer },
    {
      $set: {
        ...changes,
        certificate: a.certificate,
        registrationVersion: a.version,
        searchTerms: resourceSearchTerms({ ...doc, ...changes } as never),
      },
    },
  );
}

registerOutbox(ResourceAmendmentModel, {
  async afterAppend(docId) {
    const a = await ResourceAmendmentModel.findById(docId).lean<LeanAmendment>();
    if (a) await applyAmendment(a);
  },
});

/** The amendments of a resource, oldest first, with any left half-applied by a crash completed. */
async function amendmentsOf(resourceId: unknown): Promise<LeanAmendment[]> {
  const list = await ResourceAmendmentModel.find({ resourceId }).sort({ version: 1 }).lean<LeanAmendment[]>();
  const last = list.at(-1);
  if (last) await applyAmendment(last);
  return list;
}

async function amend(
  p: Principal,
  id: string,
  kind: 'change' | 'correction' | 'cancellation',
  reason: string,
  changes: Record<string, unknown>,
): Promise<{ resource: ResourceView; amendment: Record<string, unknown> }> {
  const doc = await loadOwned(p, id);
  const previous = (await amendmentsOf(doc._id)).at(-1);
  const current = (await ResourceModel.findById(doc._id))!;
  if (current.status !== 'registered' || previous?.kind === 'cancellation') {
    throw conflict(
      `The resource is ${current.status}; only a registered resource can be ${kind === 'cancellation' ? 'cancelled' : 'amended'}`,
      {
        status: current.status,
      },
    );
  }
  const version = (previous?.version ?? 1) + 1;
  const at = now();
  const plain = current.toObject();
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (plain as Record<string, unknown>)[k]]));
  const number = current.registrationNumber!;
  const certificate =
    kind === 'cancellation'
      ? undefined
      : {
          number,
          issuedAt: at,
          digest: certificateDigest({ ...plain, ...changes } as never, { number, issuedAt: at }),
        };
  const key = `${id}#v${version}`;
  let _id: Types.ObjectId;
  try {
    ({ _id } = await ResourceAmendmentModel.create({
      key,
      resourceId: doc._id,
      version,
      kind,
      reason,
      changes,
      before,
      certificate,
      by: p.id,
      at,
      outbox: [
        outboxPush({
          type: AMENDMENT_LEDGER[kind],
          ref: key,
          resourceId: id,
          grade: (current.grade ?? undefined) as never,
          orgIds: [String(current.ownerOrgId)],
          at,
        }).$push.outbox,
      ],
    }));
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw conflict('Another change of this registration was recorded at the same time; reload the resource');
  }
  const record = (await ResourceAmendmentModel.findById(_id).lean<LeanAmendment>())!;
  await applyAmendment(record);
  await flushOutbox(ResourceAmendmentModel, _id);
  const updated = (await ResourceModel.findById(doc._id))!;
  return { resource: view(p, updated), amendment: ResourceAmendmentModel.hydrate(record).toJSON() };
}

/** 变更登记 or 更正登记: new metadata, a re-issued certificate (same number, new digest), a ledger entry. */
export function amendRegistration(p: Principal, id: string, body: AmendmentBody) {
  return amend(p, id, body.kind, body.reason, body.changes);
}

/** 注销登记: the resource is retired with its reason, and the cancellation is in the ledger. */
export function cancelRegistration(p: Principal, id: string, body: CancellationBody) {
  return amend(p, id, 'cancellation', body.reason, {});
}

/** A resource's registration history: notices with their objections, the certificate, amendments. */
export async function registrationHistory(p: Principal | undefined, id: string) {
  const doc = await ResourceModel.findById(id, { status: 1, ownerOrgId: 1 }).lean();
  if (!doc || !canSeeResource(p, doc)) throw notFound('Resource');
  const notices = await RegistrationNoticeModel.find({ resourceId: doc._id }).sort({ attempt: 1 }).lean<LeanNotice[]>();
  const settled = await Promise.all(notices.map((n) => settleNotice(n)));
  const registration = await ResourceRegistrationModel.findOne(
    { resourceId: doc._id },
    { number: 1, at: 1, certificate: 1 },
  ).lean();
  const amendments = await amendmentsOf(doc._id);
  const owner = isResourceOwner(p, doc);
  return {
    notices: await Promise.all(settled.map((n) => noticeView(p, n))),
    registration: registration
      ? { number: registration.number, at: registration.at, certificate: registration.certificate }
      : null,
    amendments: amendments.map((a) => ({
      id: String(a._id),
      version: a.version,
      kind: a.kind,
      reason: a.reason,
      changes: a.changes,
      ...(owner || p?.role === 'authority' || p?.role === 'regulator' ? { before: a.before } : {}),
      certificate: a.certificate,
      at: a.at,
    })),
  };
}
