import { GRADES, LEVELS, type Grade, type Level } from '@zdec/shared';
import { isAuthorizationUsable } from '../authorizations/authorization.policy';
import { FIELD_MESSAGES } from '@zdec/shared';

/**
 * The compliance rules of an exchange review (SPEC section 3). Approval runs all of them and is
 * impossible while any fails (422 naming the failed rules); submit runs them as a preview; every
 * decision records the checklist in the review history. Names are part of the API.
 */
export const RULES = [
  'sources-registered',
  'authorization-active',
  'authorization-covers',
  'no-core-source',
  'important-only-sandbox',
  'personal-data-deidentified',
  'sample-clean',
  'price-within-cap',
  'deliverable-present',
] as const;
export type RuleName = (typeof RULES)[number];

export interface RuleResult {
  rule: RuleName;
  ok: boolean;
  detail: string;
}

/** What the rules read about a source resource. */
export interface RuleSource {
  _id: unknown;
  kind: string;
  ownerOrgId: unknown;
  status: string;
  grade?: string | null;
  level?: string | null;
  openness: string;
  registrationNumber?: string | null;
  name: string;
}

/** What the rules read about the authorization. */
export interface RuleAuthorization {
  _id: unknown;
  number: string;
  operatorOrgId: unknown;
  resourceIds: unknown[];
  allowedProductTypes: string[];
  allowedDeliveryModes: string[];
  feeCaps?: { one_time?: number | null; subscription?: number | null; per_call?: number | null } | null;
  status: string;
  validFrom: Date;
  validTo: Date;
  revokedAt?: Date | null;
}

/** What the rules read about the listing. */
export interface RuleListing {
  providerOrgId: unknown;
  productType: string;
  deliveryMode: string;
  deIdentified?: boolean | null;
  authorizationId?: unknown;
  sourceResourceIds: unknown[];
  pricing: { model: string; priceFen: number; periodDays?: number | null };
  sample?: unknown;
  sampleScan?: unknown;
  dataFile?: unknown;
  dataScan?: unknown;
}

export interface RuleWorld {
  listing: RuleListing;
  /** The listing's sources as found (missing ones are simply absent). */
  sources: RuleSource[];
  /** The authorization the listing names, or null (none named, or not found). */
  authorization: RuleAuthorization | null;
  now: Date;
}

const label = (r: RuleSource) => r.registrationNumber ?? `${String(r._id)} (${r.name})`;

/** The highest grade among the given ones (`general` for none). */
export function highestGrade(grades: (string | null | undefined)[]): Grade {
  return grades.reduce<Grade>((max, g) => {
    const i = GRADES.indexOf(g as Grade);
    return i > GRADES.indexOf(max) ? (g as Grade) : max;
  }, 'general');
}

/** The highest level among the given ones, or undefined when none has a level. */
export function highestLevel(levels: (string | null | undefined)[]): Level | undefined {
  let max: Level | undefined;
  for (const l of levels) {
    const i = LEVELS.indexOf(l as Level);
    if (i >= 0 && (max === undefined || i > LEVELS.indexOf(max))) max = l as Level;
  }
  return max;
}

/** The most sensitive level a scan (shared ScanResult) found in any field, or undefined. */
export function scanLevel(scan: unknown): Level | undefined {
  const fields = (scan as { fields?: { level?: string; findings?: unknown[] }[] } | null)?.fields;
  if (!Array.isArray(fields)) return undefined;
  return highestLevel(fields.filter((f) => (f.findings?.length ?? 0) > 0).map((f) => f.level));
}

/**
 * Detectors with findings at L3/L4 in a scan, for the rule's detail: `field: detector×matches`.
 * A finding the scanner judged unlikely (`counted: false`, e.g. 18-digit reference numbers that pass
 * Luhn by chance) does not count, except ID numbers: every one that passes the check character,
 * birth date and province is a person's, so they fail review however few they are.
 */
function personalFindings(scan: unknown): string[] {
  const fields =
    (
      scan as {
        fields?: {
          field: string;
          findings?: { detector: string; matches: number; level: string; counted?: boolean }[];
        }[];
      }
    )?.fields ?? [];
  const out: string[] = [];
  for (const f of fields) {
    for (const d of f.findings ?? []) {
      const counts = d.counted !== false || d.detector === 'idNumber';
      if (counts && (d.level === 'L3' || d.level === 'L4')) out.push(`${f.field}: ${d.detector}×${d.matches}`);
    }
  }
  return out;
}

/**
 * Why a scan cannot vouch for its file, or undefined when it scanned all of it. Review fails closed:
 * a scan that says it left parts out, or one stored before scans said so, does not pass.
 */
function incompleteScan(scan: unknown): string | undefined {
  const s = scan as { complete?: unknown; incomplete?: unknown } | null;
  if (s?.complete === true) return undefined;
  if (s?.complete === false) {
    const why = Array.isArray(s.incomplete) ? s.incomplete.map(String).join('; ') : '';
    return `was not scanned whole${why ? ` (${why})` : ''}: upload it again`;
  }
  return 'was scanned before every row was scanned: upload it again';
}

/** Public sources need an authorization; the provider's own enterprise sources do not. */
export function needsAuthorization(listing: RuleListing, sources: RuleSource[]): boolean {
  return listing.authorizationId != null || sources.some((s) => s.kind === 'public');
}

/** Runs every rule, in the order of RULES. */
export function evaluateRules(world: RuleWorld): RuleResult[] {
  const { listing, sources, authorization: auth, now } = world;
  const results: RuleResult[] = [];
  const push = (rule: RuleName, ok: boolean, detail: string) => results.push({ rule, ok, detail });

  const found = new Set(sources.map((s) => String(s._id)));
  const missing = listing.sourceResourceIds.map(String).filter((id) => !found.has(id));
  const unregistered = sources.filter((s) => s.status !== 'registered');
  push(
    'sources-registered',
    missing.length === 0 && unregistered.length === 0 && listing.sourceResourceIds.length > 0,
    missing.length || unregistered.length
      ? `not registered: ${[...missing, ...unregistered.map(label)].join(', ')}`
      : `${sources.length} registered source(s)`,
  );

  const needsAuth = needsAuthorization(listing, sources);
  if (!needsAuth) {
    push('authorization-active', true, 'own enterprise data: no authorization needed');
  } else if (!auth) {
    push('authorization-active', false, 'public sources need an authorization, and none was found');
  } else if (String(auth.operatorOrgId) !== String(listing.providerOrgId)) {
    push('authorization-active', false, `authorization ${auth.number} was granted to another operator`);
  } else {
    const usable = isAuthorizationUsable(auth, now);
    push(
      'authorization-active',
      usable,
      usable
        ? `authorization ${auth.number} is active until ${auth.validTo.toISOString()}`
        : `authorization ${auth.number} is not in force (status ${auth.status}, term ${auth.validFrom.toISOString()} – ${auth.validTo.toISOString()})`,
    );
  }

  const problems: string[] = [];
  const covered = new Set((auth?.resourceIds ?? []).map(String));
  for (const s of sources) {
    if (s.kind === 'public' && !covered.has(String(s._id))) problems.push(`${label(s)} is not covered`);
    if (s.kind !== 'public' && String(s.ownerOrgId) !== String(listing.providerOrgId)) {
      problems.push(`${label(s)} is another organisation's enterprise data`);
    }
  }
  if (needsAuth && auth) {
    if (!auth.allowedProductTypes.includes(listing.productType)) {
      problems.push(`product type ${listing.productType} is not allowed (${auth.allowedProductTypes.join(', ')})`);
    }
    if (!auth.allowedDeliveryModes.includes(listing.deliveryMode)) {
      problems.push(`delivery mode ${listing.deliveryMode} is not allowed (${auth.allowedDeliveryModes.join(', ')})`);
    }
  }
  push(
    'authorization-covers',
    problems.length === 0 && (!needsAuth || !!auth),
    problems.length
      ? problems.join('; ')
      : !needsAuth
        ? 'all sources are own enterprise data'
        : auth
          ? `covered by ${auth.number}`
          : 'no authorization',
  );

  const core = sources.filter((s) => s.grade === 'core');
  push(
    'no-core-source',
    core.length === 0,
    core.length ? `core data (核心数据) is never listed: ${core.map(label).join(', ')}` : 'no core source',
  );

  const important = sources.filter((s) => s.grade === 'important');
  const sandboxOk = important.length === 0 || listing.deliveryMode === 'sandbox';
  push(
    'important-only-sandbox',
    sandboxOk,
    important.length === 0
      ? 'no important source'
      : sandboxOk
        ? 'important data delivered in the sandbox only'
        : `important data (${important.map(label).join(', ')}) may only be delivered by sandbox, not ${listing.deliveryMode}`,
  );

  const personal = sources.filter((s) => s.level === 'L3' || s.level === 'L4');
  const deidOk = personal.length === 0 || listing.deIdentified === true;
  push(
    'personal-data-deidentified',
    deidOk,
    personal.length === 0
      ? 'no L3/L4 source'
      : deidOk
        ? 'declared de-identified'
        : `L3/L4 sources (${personal.map(label).join(', ')}) need a product declared de-identified`,
  );

  // Every listed product shows buyers a sample, and what it shows (and what it delivers) must hold no
  // personal-information values: a product whose files carry L3/L4 values IS personal data, whatever
  // its sources are graded.
  const sampleIssues: string[] = [];
  if (!listing.sample || !listing.sampleScan) sampleIssues.push('no sample uploaded');
  else {
    const found = personalFindings(listing.sampleScan);
    if (found.length) sampleIssues.push(`the sample holds L3/L4 values (${found.join(', ')})`);
    const gap = incompleteScan(listing.sampleScan);
    if (gap) sampleIssues.push(`the sample ${gap}`);
  }
  if (listing.dataFile) {
    // A sandbox deliverable never leaves the exchange: its L3/L4 fields are usable there only through
    // declared coarsenings and never output raw (sandbox/disclosure.ts), so it may hold them. An
    // incomplete scan fails closed whatever the mode: an unscanned L3/L4 field would not be coarsened.
    if (listing.deliveryMode !== 'sandbox') {
      const found = personalFindings(listing.dataScan);
      if (found.length) sampleIssues.push(`the deliverable holds L3/L4 values (${found.join(', ')})`);
    }
    const gap = incompleteScan(listing.dataScan);
    if (gap) sampleIssues.push(`the deliverable ${gap}`);
  }
  push(
    'sample-clean',
    sampleIssues.length === 0,
    sampleIssues.length
      ? sampleIssues.join('; ')
      : `the sample scans clean (level ${scanLevel(listing.sampleScan) ?? 'L1'})`,
  );

  const { model, priceFen } = listing.pricing;
  const cap = auth?.feeCaps?.[model as 'one_time' | 'subscription' | 'per_call'];
  const priceIssues: string[] = [];
  if (!Number.isSafeInteger(priceFen) || priceFen < 0)
    priceIssues.push(`price ${priceFen} is not a whole number of fen`);
  if (model === 'subscription' && !listing.pricing.periodDays) priceIssues.push(FIELD_MESSAGES.periodDays);
  if (needsAuth && typeof cap === 'number' && priceFen > cap) {
    priceIssues.push(`price ${priceFen} fen exceeds the ${model} fee cap of ${cap} fen (政府指导价)`);
  }
  push(
    'price-within-cap',
    priceIssues.length === 0,
    priceIssues.length
      ? priceIssues.join('; ')
      : typeof cap === 'number' && needsAuth
        ? `${priceFen} ≤ cap ${cap} fen`
        : `${priceFen} fen, no cap`,
  );

  const needsFile = listing.deliveryMode === 'download' || listing.deliveryMode === 'api';
  push(
    'deliverable-present',
    !needsFile || !!listing.dataFile,
    needsFile
      ? listing.dataFile
        ? 'data file uploaded'
        : `a ${listing.deliveryMode} product needs its data file (POST /listings/:id/data)`
      : 'sandbox delivery: no file needed',
  );
  return results;
}
