import { z } from 'zod';
import { LEDGER_TYPES } from '../constants';
import { DateEndInput, DateInput, ObjectIdString, PageQuery } from './common';
import { FIELD_MESSAGES } from './messages';

export const LedgerFilter = z.object({
  from: DateInput.optional(),
  to: DateEndInput.optional(),
  type: z.enum(LEDGER_TYPES).optional(),
  org: ObjectIdString.optional(),
  listingCode: z
    .string()
    .regex(/^ZDEC-\d{4}-\d{6}$/, FIELD_MESSAGES.listingCode)
    .optional(),
  minAmountFen: z.coerce.number().int().optional(),
});
export type LedgerFilter = z.infer<typeof LedgerFilter>;

export const LedgerQuery = PageQuery.extend(LedgerFilter.shape);
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const VerifyQuery = z
  .object({
    from: z.coerce.number().int().min(1).optional(),
    to: z.coerce.number().int().min(1).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    path: ['to'],
    message: FIELD_MESSAGES.range,
  });
export type VerifyQuery = z.infer<typeof VerifyQuery>;

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  headSeq: number;
  headHash: string | null;
}

export interface TargetsResponse {
  asOf: string;
  listings: { cumulative: number; target: number; progress: number };
  volume: { cumulativeFen: number; targetFen: number; progress: number };
  deadline: string;
  monthly: { month: string; listed: number; volumeFen: number }[];
  projection: {
    window: { from: string; to: string; months: number };
    listingsAtDeadline: number;
    volumeFenAtDeadline: number;
    onTrack: { listings: boolean; volume: boolean };
  };
}
