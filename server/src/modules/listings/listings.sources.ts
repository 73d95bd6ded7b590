import type { Types } from 'mongoose';
import { findAuthorization, type AuthorizationRecord } from '../authorizations/authorizations.service';
import { resourceById } from '../resources/resources.service';
import type { ListingRecord } from './listing.model';
import {
  evaluateRules,
  highestGrade,
  highestLevel,
  type RuleAuthorization,
  type RuleListing,
  type RuleResult,
  type RuleSource,
} from './listing.rules';

/** What a listing reads of a source resource. */
export type SourceRecord = RuleSource & { _id: Types.ObjectId; domain: string };

/** The sources and the authorization a listing is built from, as the rules judge them. */
export interface ListingBasis {
  sources: SourceRecord[];
  auth: AuthorizationRecord | null;
}

const SOURCE_FIELDS = [
  'kind',
  'ownerOrgId',
  'status',
  'grade',
  'level',
  'openness',
  'registrationNumber',
  'name',
  'domain',
] as const;

/**
 * The sources that exist, one `_id` lookup each: the embedded engine hands only a lone `_id` equality to
 * SQLite and decodes every resource in the collection for an `$in` (bench/listing-get: the `$in`
 * doubled the database's work per GET /listings/:id at 1,000 listings). A listing has few sources.
 */
export async function loadSources(ids: unknown[]): Promise<SourceRecord[]> {
  const found = await Promise.all([...new Set(ids.map(String))].map((id) => resourceById(id, SOURCE_FIELDS)));
  return found.filter((s) => s !== null);
}

/** The authorization with this id without its outbox; null when none is named or it is gone. */
export async function loadAuthorization(id: unknown): Promise<AuthorizationRecord | null> {
  if (id == null) return null;
  return findAuthorization(String(id));
}

/** The listing's sources and authorization, read together. */
export async function loadBasis(
  l: Pick<ListingRecord, 'sourceResourceIds' | 'authorizationId'>,
): Promise<ListingBasis> {
  const [sources, auth] = await Promise.all([loadSources(l.sourceResourceIds), loadAuthorization(l.authorizationId)]);
  return { sources, auth };
}

/** The authorization as the rules read it. */
export function asRuleAuthorization(a: AuthorizationRecord | null): RuleAuthorization | null {
  if (!a) return null;
  return { ...a, feeCaps: a.feeCaps ?? null };
}

/** The compliance rules run on a listing in its basis. */
export function rulesOn(listing: RuleListing, { sources, auth }: ListingBasis, now: Date): RuleResult[] {
  return evaluateRules({ listing, sources, authorization: asRuleAuthorization(auth), now });
}

/** Grade, level and domains follow the sources: the highest grade and level, every domain. */
export function derivedFromSources(sources: SourceRecord[]) {
  return {
    grade: highestGrade(sources.map((s) => s.grade)),
    level: highestLevel(sources.map((s) => s.level)),
    domains: [...new Set(sources.map((s) => s.domain))],
  };
}
