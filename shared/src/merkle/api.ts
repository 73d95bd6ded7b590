import { z } from 'zod';
import { ObjectIdString } from '../schemas/common';
import { RECEIPT_KINDS } from './bundle';
import { FIELD_MESSAGES } from '../schemas/messages';

/** Requests of the proof and receipt routes (server validation, OpenAPI, client). */
const Size = z.coerce.number().int().min(1).max(1e12);

export const SeqParams = z.strictObject({ seq: Size });
export const ProofQuery = z.strictObject({ size: Size.optional() });
export const ConsistencyQuery = z
  .strictObject({ from: Size, to: Size.optional() })
  .refine((q) => q.to === undefined || q.to >= q.from, { path: ['to'], message: FIELD_MESSAGES.range });
export type ConsistencyQuery = z.infer<typeof ConsistencyQuery>;

export const ReceiptParams = z.strictObject({ kind: z.enum(RECEIPT_KINDS), id: ObjectIdString });
export const DigestParams = z.strictObject({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex') });

/** A certificate number, listing code or order number typed on the verify page. */
export const RecordNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(DR-\d{6}-\d{4}-\d{6}|ZDEC-\d{4}-\d{6}|ORD-\d{4}-\d{6})$/, 'must be a DR-…, ZDEC-… or ORD-… number');
export const LookupQuery = z.strictObject({ q: RecordNumber });

/** What the verify page reads from a QR code: the verify URL with the bundle's digest. */
export function parseVerifyInput(text: string): { digest: string } | { number: string } | { seq: number } | null {
  const t = text.trim();
  const d = /[?&#]d=([0-9a-f]{64})\b/.exec(t) ?? /^([0-9a-f]{64})$/.exec(t);
  if (d) return { digest: d[1]! };
  const n = RecordNumber.safeParse(t);
  if (n.success) return { number: n.data };
  const s = /^#?(\d{1,12})$/.exec(t);
  if (s) return { seq: Number(s[1]) };
  return null;
}
