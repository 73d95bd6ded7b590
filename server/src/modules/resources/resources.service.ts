import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import canonicalize from 'canonicalize';
import type { FilterQuery, SortOrder, Types } from 'mongoose';
import {
  GRADES,
  LEVELS,
  isRegionCode,
  queryTerms,
  searchTerms,
  type Grade,
  type Level,
  type Page,
  type ResourceCreateBody,
  type ResourceQuery,
  type ResourceRegisterBody,
  type ResourceUpdateBody,
  type ScanResult,
} from '@zdec/shared';
import { now } from '../../platform/clock';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { escapeRegExp, recordReader } from '../../platform/mongo';
import { nextSequence } from '../../platform/counters';
import { ingestSample, type StoredSample } from '../samples/samples.store';
import { deleteFile, fileInfo, openFile } from '../../platform/storage';
import { flushOutbox, outboxPush, registerOutbox } from '../ledger/outbox';
import { canReadSample, canSeeResource, isResourceOwner } from './resources.policy';
import { RegistrationNoticeModel } from './registration.model';
import {
  ResourceModel,
  ResourceRegistrationModel,
  type Resource,
  type ResourceDoc,
  type ResourceRegistration,
} from './resource.model';
import { isDuplicateKey, updateIf, writeFilter } from '../../platform/db';

type LeanRegistration = ResourceRegistration & { _id: Types.ObjectId };

/** A resource as the API returns it (`_id` → `id`; search terms and outbox hidden). */
export type ResourceView = Record<string, unknown> & { id: string };

export interface Certificate {
  number: string;
  issuedAt: Date;
  digest: string;
}

function assertRegion(code: string): void {
  if (!isRegionCode(code)) {
    throw unprocessable('unknown-region', `${code} is not a known administrative division code (GB/T 2260)`, [
      { path: 'body.regionCode', message: 'not a known administrative division code' },
    ]);
  }
}

/** The search terms stored on a resource (seeders writing resources directly should use this too). */
export function resourceSearchTerms(r: {
  name: string;
  description?: string | null;
  holderDepartment: string;
  registrationNumber?: string | null;
}) {
  return searchTerms(r.name, r.holderDepartment, r.description ?? '', r.registrationNumber ?? '');
}

/** The API view; the scan's masked examples only go to those who may read the sample itself. */
export function view(p: Principal | undefined, doc: ResourceDoc): ResourceView {
  const out = doc.toJSON() as unknown as ResourceView;
  const scan = out.scan as ScanResult | undefined;
  if (scan && !canReadSample(p, doc)) {
    out.scan = {
      ...scan,
      fields: scan.fields.map((f) => ({ ...f, findings: f.findings.map((x) => ({ ...x, examples: [] })) })),
    };
  }
  return out;
}

/** Loads a resource the caller may see (404 otherwise, so drafts of others do not leak). */
async function loadVisible(p: Principal | undefined, id: string): Promise<ResourceDoc> {
  const doc = await ResourceModel.findById(id);
  if (!doc || !canSeeResource(p, doc)) throw notFound('Resource');
  return doc;
}

/** Loads a resource for a change by its owner: 404 if invisible, 403 if not the owner. */
export async function loadOwned(p: Principal, id: string): Promise<ResourceDoc> {
  const doc = await loadVisible(p, id);
  if (!isResourceOwner(p, doc)) throw forbidden('Only the organisation that owns the resource may change it');
  return doc;
}

/**
 * 409 unless the resource is a draft. A draft whose registration is already decided (its record
 * inserted, the projection onto the resource not yet applied) is completed here and refused too.
 */
async function assertDraft(doc: ResourceDoc, action: string): Promise<void> {
  let status: string = doc.status;
  if (doc.status === 'draft') {
    const decided = await ResourceRegistrationModel.findOne({ resourceId: doc._id }).lean<LeanRegistration>();
    if (decided) {
      await applyRegistration(decided);
      status = 'registered';
    } else if (await RegistrationNoticeModel.exists({ resourceId: doc._id, status: 'publicizing' })) {
      // Submitted for registration (its notice inserted) but not yet marked so on the resource.
      await updateIf(ResourceModel, { _id: doc._id, status: 'draft' }, { $set: { status: 'publicizing' } });
      status = 'publicizing';
    } else return;
  }
  throw conflict(`The resource is ${status}; only a draft can be ${action}`, { status });
}

/** Creates a draft: `public` data for the authority, `enterprise` data for a provider's own organisation. */
export async function createResource(p: Principal, body: ResourceCreateBody): Promise<ResourceView> {
  if (p.role !== 'authority' && p.role !== 'provider')
    throw forbidden('Only the authority and providers register resources');
  assertRegion(body.regionCode);
  const doc = await ResourceModel.create({
    ...body,
    kind: p.role === 'authority' ? 'public' : 'enterprise',
    ownerOrgId: p.orgId,
    createdBy: p.id,
    status: 'draft',
    searchTerms: resourceSearchTerms(body),
  });
  return view(p, doc);
}

/** Edits a draft; registered and retired resources are frozen (409). */
export async function updateResource(p: Principal, id: string, body: ResourceUpdateBody): Promise<ResourceView> {
  const doc = await loadOwned(p, id);
  await assertDraft(doc, 'edited');
  if (body.regionCode !== undefined) assertRegion(body.regionCode);
  const merged = { ...doc.toObject(), ...body };
  const where = await writeFilter(ResourceModel, { _id: doc._id, status: 'draft' });
  const updated =
    where &&
    (await ResourceModel.findOneAndUpdate(
      where,
      { $set: { ...body, searchTerms: resourceSearchTerms(merged) } },
      { new: true, runValidators: true },
    ));
  if (!updated) throw conflict('The resource changed status meanwhile; only a draft can be edited');
  return view(p, updated);
}

/**
 * Takes a sample for a draft: parses it (type by content), scans it and stores it in GridFS, then
 * records sample, scan and the proposed grade/level in one conditional update. A refused file
 * stores nothing; a replaced sample's file is removed.
 */
export async function uploadSample(
  p: Principal,
  id: string,
  file: { buffer: Buffer; originalname: string },
): Promise<{ resource: ResourceView; scan: ScanResult; proposed: ScanResult['proposed'] }> {
  const doc = await loadOwned(p, id);
  await assertDraft(doc, 'given a sample');
  const { sample, scan } = await ingestSample(file, { resourceId: id });
  const where = await writeFilter(ResourceModel, { _id: doc._id, status: 'draft' });
  const before =
    where &&
    (await ResourceModel.findOneAndUpdate(
      where,
      { $set: { sample, scan, grade: scan.proposed.grade, level: scan.proposed.level } },
      { new: false },
    ).lean());
  if (!before) {
    await deleteFile(sample.fileId);
    throw conflict('The resource changed status meanwhile; only a draft can be given a sample');
  }
  if (before.sample?.fileId && !before.sample.fileId.equals(sample.fileId)) await deleteFile(before.sample.fileId);
  const updated = (await ResourceModel.findById(doc._id))!;
  if (!updated.sample?.fileId.equals(sample.fileId)) {
    // Another upload landed at the same moment and won; ours is not referenced, so it goes.
    await deleteFile(sample.fileId);
    throw conflict('Another sample was uploaded at the same time; reload the resource');
  }
  return { resource: view(p, updated), scan, proposed: scan.proposed };
}

const SHANGHAI_YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/** What a registration certificate's digest covers. */
export interface CertifiedMetadata {
  number: string;
  issuedAt: string;
  kind: string;
  ownerOrgId: string;
  name: string;
  description: string;
  holderDepartment: string;
  regionCode: string;
  domain: string;
  openness: string;
  fields: { name: string; type: string; description: string }[];
  updateFrequency: string;
  recordCount: number;
  grade: string | null;
  level: string | null;
  sampleSha256: string | null;
}

/** The metadata a registration certificate's digest covers, as RFC 8785 canonical JSON input. */
export function certificateBody(
  r: Pick<
    Resource,
    | 'kind'
    | 'name'
    | 'description'
    | 'holderDepartment'
    | 'regionCode'
    | 'domain'
    | 'openness'
    | 'fields'
    | 'updateFrequency'
    | 'recordCount'
    | 'grade'
    | 'level'
  > & { ownerOrgId: unknown; sample?: { sha256: string } | null },
  cert: { number: string; issuedAt: Date },
): CertifiedMetadata {
  return {
    number: cert.number,
    issuedAt: cert.issuedAt.toISOString(),
    kind: r.kind,
    ownerOrgId: String(r.ownerOrgId),
    name: r.name,
    description: r.description ?? '',
    holderDepartment: r.holderDepartment,
    regionCode: r.regionCode,
    domain: r.domain,
    openness: r.openness,
    fields: (r.fields ?? []).map((f) => ({ name: f.name, type: f.type, description: f.description ?? '' })),
    updateFrequency: r.updateFrequency,
    recordCount: r.recordCount,
    grade: r.grade ?? null,
    level: r.level ?? null,
    sampleSha256: r.sample?.sha256 ?? null,
  };
}

/** SHA-256 over the canonical metadata and the sample hash: recomputing it verifies a certificate. */
export function certificateDigest(...args: Parameters<typeof certificateBody>): string {
  return crypto
    .createHash('sha256')
    .update(canonicalize(certificateBody(...args))!, 'utf8')
    .digest('hex');
}

const order = <T extends string>(list: readonly T[], v: T) => list.indexOf(v);

const MAX_NUMBER_ATTEMPTS = 100;

/**
 * Checks that a draft may be registered as asked: the caller owns it, it has a sample and the grade
 * and level the scan proposed are only raised, never lowered (422 naming the field). Returns the
 * resource and the grade and level it will be registered with.
 */
export async function checkRegistrable(
  p: Principal,
  id: string,
  body: ResourceRegisterBody,
): Promise<{ doc: ResourceDoc; grade: Grade; level: Level }> {
  const doc = await loadOwned(p, id);
  await assertDraft(doc, 'registered');
  const scan = doc.scan as ScanResult | undefined;
  if (!doc.sample || !scan?.proposed) {
    throw new AppError('sample-required', 409, 'Upload a sample (POST /resources/:id/sample) before registering');
  }
  assertRegion(doc.regionCode);
  const scanned = scan.proposed;
  const grade: Grade = body.grade ?? scanned.grade;
  const level: Level = body.level ?? scanned.level;
  const errors = [];
  if (order(GRADES, grade) < order(GRADES, scanned.grade)) {
    errors.push({ path: 'body.grade', message: `may not be lower than ${scanned.grade}, which the scan found` });
  }
  if (order(LEVELS, level) < order(LEVELS, scanned.level)) {
    errors.push({ path: 'body.level', message: `may not be lower than ${scanned.level}, which the scan found` });
  }
  if (errors.length) {
    throw unprocessable('grade-below-scan', 'A grade or level may be raised above the scan, never lowered', errors);
  }
  return { doc, grade, level };
}

/**
 * Registers a draft that has a sample at once (no public notice; see registration.service for the
 * notice period): checks it (checkRegistrable) and issues the certificate (issueCertificate).
 */
export async function registerResource(
  p: Principal,
  id: string,
  body: ResourceRegisterBody,
): Promise<{ resource: ResourceView; certificate: Certificate }> {
  const { doc, grade, level } = await checkRegistrable(p, id, body);
  return issueCertificate(p, doc, grade, level);
}

/**
 * Issues the registration certificate of a resource (a draft, or one whose public notice ended):
 * allocates DR-<region>-<yyyy>-<seq>, and inserts the registration record (unique per resource)
 * with the certificate and its `resource.registered` ledger event, then applies it to the resource.
 * A resource registered meanwhile (a concurrent request or finaliser) is a 409.
 */
export async function issueCertificate(
  p: Principal | undefined,
  doc: ResourceDoc,
  grade: Grade,
  level: Level,
  by: unknown = p?.id,
): Promise<{ resource: ResourceView; certificate: Certificate }> {
  const issuedAt = now();
  const year = SHANGHAI_YEAR.format(issuedAt);
  const counter = `resource:${doc.regionCode}:${year}`;
  const plain = doc.toObject();
  const registered = { ...plain, grade, level };
  const snapshot = { ...certificateBody(registered, { number: '', issuedAt }), sample: plain.sample, scan: plain.scan };
  let record: LeanRegistration | undefined;
  for (let attempt = 0, seq = 0; !record; attempt++) {
    seq = Math.max(await nextSequence(counter), seq + 1);
    const number = `DR-${doc.regionCode}-${year}-${String(seq).padStart(6, '0')}`;
    const certificate = { number, issuedAt, digest: certificateDigest(registered, { number, issuedAt }) };
    try {
      const created = await ResourceRegistrationModel.create({
        resourceId: doc._id,
        number,
        ownerOrgId: doc.ownerOrgId,
        by,
        at: issuedAt,
        grade,
        level,
        certificate,
        snapshot: { ...snapshot, number },
        outbox: [
          outboxPush({
            type: 'resource.registered',
            ref: String(doc._id),
            resourceId: String(doc._id),
            grade,
            orgIds: [String(doc.ownerOrgId)],
            at: issuedAt,
          }).$push.outbox,
        ],
      });
      record = created.toObject() as LeanRegistration;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await ResourceRegistrationModel.exists({ resourceId: doc._id })) {
        throw conflict('The resource was registered by a concurrent request');
      }
      // The number was taken (the counter handed it out twice): draw the next one.
      if (attempt >= MAX_NUMBER_ATTEMPTS) throw err;
    }
  }
  await applyRegistration(record);
  await flushOutbox(ResourceRegistrationModel, record._id);
  const updated = (await ResourceModel.findById(doc._id))!;
  return { resource: view(p, updated), certificate: record.certificate as Certificate };
}

/**
 * Projects a registration record onto its resource: status, number, certificate, grade and level,
 * and the metadata and sample exactly as certified. Idempotent; a resource that moved on
 * (retired) is left alone.
 */
async function applyRegistration(r: LeanRegistration): Promise<void> {
  const snap = r.snapshot as CertifiedMetadata & { sample: unknown; scan: unknown };
  await updateIf(
    ResourceModel,
    { _id: r.resourceId, status: { $in: ['draft', 'publicizing'] } },
    {
      $set: {
        status: 'registered',
        registrationNumber: r.number,
        certificate: r.certificate,
        grade: r.grade,
        level: r.level,
        registeredAt: r.at,
        name: snap.name,
        description: snap.description,
        holderDepartment: snap.holderDepartment,
        regionCode: snap.regionCode,
        domain: snap.domain,
        openness: snap.openness,
        fields: snap.fields,
        updateFrequency: snap.updateFrequency,
        recordCount: snap.recordCount,
        sample: snap.sample,
        scan: snap.scan,
        searchTerms: resourceSearchTerms({ ...snap, registrationNumber: r.number }),
      },
    },
  );
}

registerOutbox(ResourceRegistrationModel, {
  async afterAppend(docId) {
    const r = await ResourceRegistrationModel.findById(docId).lean<LeanRegistration>();
    if (r) await applyRegistration(r);
  },
});

/** One resource: drafts only for their owner. */
export async function getResource(p: Principal | undefined, id: string): Promise<ResourceView> {
  return view(p, await loadVisible(p, id));
}

const SORTS: Record<ResourceQuery['sort'], Record<string, SortOrder>> = {
  newest: { createdAt: -1, _id: -1 },
  name: { name: 1, _id: 1 },
};

/**
 * The catalog: registered and retired resources for everyone plus the caller's own drafts
 * (`mine` = only the caller's organisation's). `q` matches Chinese and Latin text through the
 * stored search terms; `region` is a code prefix (41 Henan, 4101 Zhengzhou).
 */
export async function listResources(p: Principal | undefined, q: ResourceQuery): Promise<Page<ResourceView>> {
  const and: FilterQuery<Resource>[] = [];
  if (q.mine) {
    if (!p) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    and.push({ ownerOrgId: p.orgId });
  } else if (p && (p.role === 'authority' || p.role === 'provider')) {
    and.push({ $or: [{ status: { $in: ['registered', 'retired'] } }, { ownerOrgId: p.orgId }] });
  } else {
    and.push({ status: { $in: ['registered', 'retired'] } });
  }
  if (q.status) and.push({ status: q.status });
  if (q.domain) and.push({ domain: q.domain });
  if (q.grade) and.push({ grade: q.grade });
  if (q.level) and.push({ level: q.level });
  if (q.openness) and.push({ openness: q.openness });
  if (q.region) and.push({ regionCode: { $regex: `^${escapeRegExp(q.region)}` } });
  const terms = q.q ? queryTerms(q.q) : [];
  if (terms.length) and.push({ searchTerms: { $all: terms } });

  const filter: FilterQuery<Resource> = { $and: and };
  const [total, docs] = await Promise.all([
    ResourceModel.countDocuments(filter),
    ResourceModel.find(filter, { searchTerms: 0 })
      .sort(SORTS[q.sort])
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize),
  ]);
  return { items: docs.map((d) => view(p, d)), total, page: q.page, pageSize: q.pageSize };
}

/** The sample file of a resource, for the owner, the authority, exchange staff and regulators. */
export async function sampleFile(
  p: Principal,
  id: string,
): Promise<{ stream: Readable } & Pick<StoredSample, 'filename' | 'format' | 'encoding' | 'size' | 'sha256'>> {
  const doc = await loadVisible(p, id);
  if (!canReadSample(p, doc))
    throw forbidden('The sample is for the owner, the authority, exchange staff and regulators');
  const sample = doc.sample;
  if (!sample || !(await fileInfo(sample.fileId))) throw notFound('Sample');
  return {
    stream: openFile(sample.fileId),
    filename: sample.filename,
    format: sample.format as StoredSample['format'],
    encoding: (sample.encoding ?? undefined) as StoredSample['encoding'],
    size: sample.size,
    sha256: sample.sha256,
  };
}

/** A resource as stored, for other modules' reads. */
export type ResourceRecord = Resource & { _id: Types.ObjectId };
const resourceRecords = recordReader<ResourceRecord>(ResourceModel);

/** One resource with the fields asked for (all when none are named); null when there is none. */
export const resourceById = resourceRecords.byId;

/**
 * The resources with these ids (unknown ones left out) with the fields asked for, in one `$in`
 * query; where the embedded engine would decode the whole collection, read them one by one with
 * `resourceById`.
 */
export const resourcesByIds = resourceRecords.byIds;

/** The id of the resource registered under this number (DR-…), or null. */
export async function resourceIdByRegistrationNumber(registrationNumber: string): Promise<string | null> {
  const r = await ResourceModel.findOne({ registrationNumber }, { _id: 1 }).lean();
  return r ? String(r._id) : null;
}
