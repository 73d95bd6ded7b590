import { z } from 'zod';
import { UPDATE_FREQUENCIES } from '../constants';
import { PageQuery } from './common';
import { ResourceField } from './resources';

/** Where a registration notice (公示) stands. */
export const NOTICE_STATUSES = ['publicizing', 'certified', 'objection_upheld'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
export const OBJECTION_STATUSES = ['pending', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
/** 变更 (the resource itself changed) and 更正 (the registered record held an error). */
export const AMENDMENT_KINDS = ['change', 'correction'] as const;
export type AmendmentKind = (typeof AMENDMENT_KINDS)[number];

const Reason = z.string().trim().min(2).max(1000);

/** 异议: anyone signed in may object while a registration is under notice. */
export const ObjectionBody = z.strictObject({
  reason: Reason,
  /** How the registering body may reach the objector (shown to the authority and the owner only). */
  contact: z.string().trim().max(200).default(''),
});
export type ObjectionBody = z.infer<typeof ObjectionBody>;

/** The authority's ruling on an objection, always with reasons. */
export const ObjectionRulingBody = z.strictObject({
  decision: z.enum(['uphold', 'dismiss']),
  reasons: Reason,
});
export type ObjectionRulingBody = z.infer<typeof ObjectionRulingBody>;

/** The registered metadata a change or correction may set (grade, domain, openness and region are not amended: register anew). */
export const AmendmentFields = z
  .strictObject({
    name: z.string().trim().min(2).max(120),
    description: z.string().trim().max(2000),
    holderDepartment: z.string().trim().min(2).max(120),
    fields: z.array(ResourceField).min(1).max(500),
    updateFrequency: z.enum(UPDATE_FREQUENCIES),
    recordCount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .partial()
  .refine((f) => Object.keys(f).length > 0, { message: 'name at least one field to amend' });

/** 变更登记 / 更正登记 of a registered resource. */
export const AmendmentBody = z.strictObject({
  kind: z.enum(AMENDMENT_KINDS),
  reason: Reason,
  changes: AmendmentFields,
});
export type AmendmentBody = z.infer<typeof AmendmentBody>;

/** 注销登记. */
export const CancellationBody = z.strictObject({ reason: Reason });
export type CancellationBody = z.infer<typeof CancellationBody>;

export const NoticeQuery = PageQuery.extend({
  status: z.enum(NOTICE_STATUSES).default('publicizing'),
});
export type NoticeQuery = z.infer<typeof NoticeQuery>;
