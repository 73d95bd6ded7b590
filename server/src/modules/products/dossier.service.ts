import {
  DETECTOR_LEVELS,
  detectInValue,
  levelOrder,
  maskValue,
  type FieldScan,
  type Level,
  type ScanResult,
} from '@zdec/shared';
import type { Principal } from '../../platform/http/auth';
import { parseSample } from '../samples/samples.parse';
import { readFile } from '../../platform/storage';
import { findOrg } from '../accounts/accounts.service';
import { effectiveStatus } from '../authorizations/authorization.policy';
import { findAuthorization } from '../authorizations/authorizations.service';
import { resourceById } from '../resources/resources.service';
import { get as getListing } from '../listings/listings.query';
import { listingById } from '../listings/listings.service';
import { now as clockNow } from '../../platform/clock';

/*
 * The product dossier (产品说明书): what a buyer may know about a product before paying. Everything
 * here is public-registry material: the sources' field schema and registration certificates, the
 * authorization the product is built under, the compliance review it passed, and a preview of the
 * product's own sample, which review already required to scan clean of personal data (L3/L4) and
 * which is masked again here value by value, so a preview never shows what the scanner recognises as
 * personal data. No resource sample (the raw public data) is ever read for the dossier.
 */

/** Rows of the sample preview. */
export const PREVIEW_ROWS = 20;
/** Longest cell text in the preview. */
const PREVIEW_CELL_CHARS = 120;

type Scalar = string | number | boolean | null;

export interface SamplePreview {
  filename: string;
  format: string;
  size: number;
  sha256: string;
  columns: string[];
  rows: Scalar[][];
  /** Data rows in the sample file (counted through the whole file for CSV/JSON). */
  rowsInSample: number;
  /** Cells the preview masked (should be 0: review rejects samples with personal data). */
  maskedCells: number;
  /** Earliest and latest date found in date-like columns of the sample (ISO yyyy-mm-dd). */
  coverage: { from: string; to: string; columns: string[] } | null;
}

interface PreviewCacheEntry {
  preview: SamplePreview;
}

// Samples never change once stored (a new upload is a new file with a new hash): key by hash.
const previewCache = new Map<string, PreviewCacheEntry>();
const PREVIEW_CACHE_MAX = 200;

const DATE_IN_TEXT = /^(\d{4})[-/年.](\d{1,2})(?:[-/月.](\d{1,2})日?)?(?:[ T].*)?$/;

/** yyyy-mm-dd of a date-like cell (2026-01-05, 2026/1/5, 2026年1月5日, 2026-01 → 2026-01-01), or null. */
function isoDay(v: unknown): string | null {
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string') return null;
  const m = DATE_IN_TEXT.exec(v.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '1')];
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function cellText(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > PREVIEW_CELL_CHARS ? `${s.slice(0, PREVIEW_CELL_CHARS)}…` : s;
}

/** A cell with every personal-data finding (L3/L4) replaced by its masked form. */
function maskedCell(value: Scalar, field: string): { value: Scalar; masked: boolean } {
  if (value === null || typeof value === 'boolean') return { value, masked: false };
  let text = String(value);
  let masked = false;
  for (const d of detectInValue(text, field)) {
    if (levelOrder(DETECTOR_LEVELS[d.detector]) < levelOrder('L3')) continue;
    text = text.split(d.value).join(maskValue(d.detector, d.value));
    masked = true;
  }
  return masked ? { value: text, masked } : { value, masked };
}

async function samplePreview(sample: {
  fileId: unknown;
  filename: string;
  format: string;
  size: number;
  sha256: string;
}): Promise<SamplePreview> {
  const hit = previewCache.get(sample.sha256);
  if (hit) return hit.preview;
  const data = await readFile(String(sample.fileId));
  const parsed = await parseSample(data, { rowCap: 5_000 });
  const columns = parsed.columns;
  let maskedCells = 0;
  const rows = parsed.records.slice(0, PREVIEW_ROWS).map((r) =>
    columns.map((c) => {
      const m = maskedCell(cellText(r[c]), c);
      if (m.masked) maskedCells++;
      return m.value;
    }),
  );
  let from: string | null = null;
  let to: string | null = null;
  const dateColumns = columns.filter((c) => {
    const present = parsed.records.filter((r) => r[c] !== null && r[c] !== undefined && r[c] !== '');
    return present.length > 0 && present.every((r) => isoDay(r[c]) !== null);
  });
  for (const r of parsed.records) {
    for (const c of dateColumns) {
      const day = isoDay(r[c])!;
      if (from === null || day < from) from = day;
      if (to === null || day > to) to = day;
    }
  }
  const preview: SamplePreview = {
    filename: sample.filename,
    format: sample.format,
    size: sample.size,
    sha256: sample.sha256,
    columns,
    rows,
    rowsInSample: parsed.rowsRead,
    maskedCells,
    coverage: from && to ? { from, to, columns: dateColumns } : null,
  };
  if (previewCache.size >= PREVIEW_CACHE_MAX) previewCache.delete(previewCache.keys().next().value!);
  previewCache.set(sample.sha256, { preview });
  return preview;
}

/** Per field of a source: its declared type and description, and the level the registration scan found. */
function dictionary(fields: { name: string; type: string; description?: string | null }[], scan: unknown) {
  const scanned = new Map<string, FieldScan>(
    ((scan as ScanResult | null)?.fields ?? []).map((f) => [f.field, f] as const),
  );
  return fields.map((f) => {
    const s = scanned.get(f.name);
    return {
      name: f.name,
      type: f.type,
      description: f.description ?? '',
      level: (s?.level ?? null) as Level | null,
      /** What the scan recognised in the field (detector names only, never values). */
      detected: s ? s.findings.map((x) => x.detector) : [],
    };
  });
}

const orgName = async (id: unknown) => (id == null ? null : findOrg(id));

/**
 * The dossier of one product, for whoever may see the listing (everyone, when it is listed):
 * the listing itself, its data dictionary per source, record counts, update frequencies, the
 * coverage period seen in the sample, the masked sample preview, the compliance review it passed,
 * its authorization basis and its sources' registration certificates.
 */
export async function productDossier(p: Principal | undefined, id: string) {
  const listing = await getListing(p, id); // visibility: 404 unless the caller may see the listing
  const [record, sources, authorization] = await Promise.all([
    listingById(id, ['reviews', 'sample', 'sourceResourceIds', 'authorizationId']),
    // one `_id` lookup per source: the embedded engine decodes the whole collection for an `$in`
    Promise.all(
      listing.sourceResourceIds.map((rid: string) =>
        resourceById(rid, [
          'registrationNumber',
          'name',
          'kind',
          'holderDepartment',
          'regionCode',
          'domain',
          'openness',
          'fields',
          'updateFrequency',
          'recordCount',
          'grade',
          'level',
          'status',
          'scan',
          'certificate',
          'registeredAt',
          'ownerOrgId',
        ]),
      ),
    ),
    listing.authorizationId ? findAuthorization(listing.authorizationId) : null,
  ]);
  const approval = [...(record?.reviews ?? [])].reverse().find((r) => r.decision === 'approve') ?? null;
  const [operator, authority, preview] = await Promise.all([
    orgName(authorization?.operatorOrgId),
    orgName(authorization?.authorityOrgId),
    record?.sample ? samplePreview(record.sample) : null,
  ]);
  const known = sources.filter((s): s is NonNullable<typeof s> => s !== null);
  const holders = await Promise.all(known.map((s) => orgName(s.ownerOrgId)));
  return {
    listing,
    sources: known.map((s, i) => ({
      id: String(s._id),
      registrationNumber: s.registrationNumber ?? null,
      name: s.name,
      kind: s.kind,
      holderDepartment: s.holderDepartment,
      registrant: holders[i] ?? null,
      regionCode: s.regionCode,
      domain: s.domain,
      openness: s.openness,
      grade: s.grade ?? null,
      level: s.level ?? null,
      status: s.status,
      updateFrequency: s.updateFrequency,
      recordCount: s.recordCount,
      registeredAt: s.registeredAt ?? null,
      certificate: s.certificate
        ? { number: s.certificate.number, issuedAt: s.certificate.issuedAt, digest: s.certificate.digest }
        : null,
      fields: dictionary(s.fields ?? [], s.scan),
    })),
    recordCount: known.reduce((n, s) => n + (s.recordCount ?? 0), 0),
    updateFrequencies: [...new Set(known.map((s) => s.updateFrequency))],
    coverage: preview?.coverage ?? null,
    sample: preview,
    compliance: approval
      ? {
          decision: 'approve' as const,
          at: approval.at,
          rules: (approval.checklist ?? []).map((c) => ({ rule: c.rule, ok: c.ok })),
        }
      : null,
    authorization: authorization
      ? {
          id: String(authorization._id),
          number: authorization.number,
          operator,
          authority,
          purpose: authorization.purpose,
          allowedProductTypes: authorization.allowedProductTypes,
          allowedDeliveryModes: authorization.allowedDeliveryModes,
          validFrom: authorization.validFrom,
          validTo: authorization.validTo,
          effectiveStatus: effectiveStatus(authorization, clockNow()),
        }
      : null,
  };
}
export type ProductDossier = Awaited<ReturnType<typeof productDossier>>;
