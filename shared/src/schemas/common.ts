import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../constants';
import { FIELD_MESSAGES } from './messages';

/** A MongoDB ObjectId as 24 hex characters; anything else (objects included) is refused. */
export const ObjectIdString = z.string().regex(/^[a-f0-9]{24}$/i, FIELD_MESSAGES.objectId);
/** `:id` path parameters: one record by its id. */
export const IdParams = z.strictObject({ id: ObjectIdString });

/** Money in integer fen (分), never a float. */
export const Fen = z.number().int(FIELD_MESSAGES.fen).min(0).max(Number.MAX_SAFE_INTEGER);

/** The exchange's time zone: a bare calendar date means that day in Asia/Shanghai. */
const SHANGHAI_OFFSET = '+08:00';
const DateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** A calendar date (2026-11-21, the start of that day in Asia/Shanghai) or an ISO date-time with offset. */
export const DateInput = DateOrDateTime.transform(
  (s) => new Date(s.length === 10 ? `${s}T00:00:00.000${SHANGHAI_OFFSET}` : s),
);

/** Like DateInput, but a bare calendar date means the END of that day in Asia/Shanghai (for "valid to", "up to"). */
export const DateEndInput = DateOrDateTime.transform(
  (s) => new Date(s.length === 10 ? `${s}T23:59:59.999${SHANGHAI_OFFSET}` : s),
);

/** page / pageSize of every list endpoint (query strings, so numbers are coerced from text). */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A free-text search query. */
export const SearchText = z.string().trim().max(200);

/** `{items, total, page, pageSize}` */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** RFC 9457 problem details as every error response carries them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  /** Field errors: the field's path, the English message and, for schema errors, a stable code (FIELD_MESSAGES or zod's issue code). */
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

/** The body of an action that takes none: an empty object (or no body); any field is refused. */
export const EmptyBody = z.strictObject({});
