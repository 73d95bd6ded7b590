import { z } from 'zod';
import { DOMAIN_KEYS, GRADES, LEVELS, OPENNESS, RESOURCE_STATUSES, UPDATE_FREQUENCIES } from '../constants';
import { isRegionCode } from '../regions';
import { PageQuery, SearchText } from './common';
import { FIELD_MESSAGES } from './messages';

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'geo', 'other'] as const;

export const ResourceField = z.strictObject({
  name: z.string().trim().min(1).max(64),
  type: z.enum(FIELD_TYPES),
  description: z.string().trim().max(500).default(''),
});

/** Six-digit administrative division code (GB/T 2260) that exists in the list (the server checks again). */
export const RegionCode = z
  .string()
  .regex(/^\d{6}$/, FIELD_MESSAGES.regionCode)
  .refine(isRegionCode, 'not a known administrative division code (GB/T 2260)');

export const ResourceCreateBody = z.strictObject({
  name: z.string().trim().min(2).max(120),
  description: z.string().trim().max(2000).default(''),
  holderDepartment: z.string().trim().min(2).max(120),
  regionCode: RegionCode,
  domain: z.enum(DOMAIN_KEYS),
  openness: z.enum(OPENNESS),
  fields: z.array(ResourceField).min(1).max(500),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  recordCount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type ResourceCreateBody = z.infer<typeof ResourceCreateBody>;

/** Any subset of the create fields; an absent field stays as it is (so no defaults here). */
export const ResourceUpdateBody = ResourceCreateBody.extend({ description: z.string().trim().max(2000) }).partial();
export type ResourceUpdateBody = z.infer<typeof ResourceUpdateBody>;

/** The owner may raise the grade or level the scan proposed, never lower it. */
export const ResourceRegisterBody = z.strictObject({
  grade: z.enum(GRADES).optional(),
  level: z.enum(LEVELS).optional(),
});
export type ResourceRegisterBody = z.infer<typeof ResourceRegisterBody>;

export const ResourceQuery = PageQuery.extend({
  q: SearchText.optional(),
  domain: z.enum(DOMAIN_KEYS).optional(),
  grade: z.enum(GRADES).optional(),
  level: z.enum(LEVELS).optional(),
  openness: z.enum(OPENNESS).optional(),
  region: z
    .string()
    .regex(/^\d{2,6}$/, 'a region code prefix of 2 to 6 digits')
    .optional(),
  status: z.enum(RESOURCE_STATUSES).optional(),
  /** `true`: only the caller's organisation's resources (drafts included), for consoles. */
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(['newest', 'name']).default('newest'),
});
export type ResourceQuery = z.infer<typeof ResourceQuery>;
