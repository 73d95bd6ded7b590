import { model, Schema, type InferSchemaType } from 'mongoose';
import { GRADES, LEDGER_TYPES } from '@zdec/shared';
import { jsonView, refuseChanges } from '../../platform/mongo';

/**
 * 交易台账: append-only, hash-chained. Entries are only ever inserted (by ledger.service `append`);
 * every update and delete path of the model throws, and no route changes an entry.
 */
const ledgerEntrySchema = new Schema(
  {
    /** `entryId(seq)`: the one key every backend can look up cheaply (the embedded engine only pushes `_id` equality down). */
    _id: { type: String, required: true },
    seq: { type: Number, required: true, min: 1 },
    at: { type: Date, required: true },
    /** YYYY-MM in Asia/Shanghai, so monthly figures need no date operators. */
    month: { type: String, required: true, match: /^\d{4}-\d{2}$/ },
    type: { type: String, required: true, enum: LEDGER_TYPES },
    /** The business id that makes the event unique for its type (order id, listing id, ...). */
    ref: { type: String, required: true },
    orderId: { type: String },
    listingId: { type: String },
    listingCode: { type: String },
    resourceId: { type: String },
    authorizationId: { type: String },
    /** Every organisation involved (buyer, provider, operator, authority), for the org filter. */
    orgIds: { type: [String], default: [] },
    amountFen: { type: Number, required: true, validate: Number.isSafeInteger },
    grade: { type: String, enum: GRADES },
    prevHash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
  },
  { versionKey: false, strict: 'throw' },
);

ledgerEntrySchema.index({ seq: 1 }, { unique: true });
ledgerEntrySchema.index({ type: 1, ref: 1 }, { unique: true });
ledgerEntrySchema.index({ at: 1 });
ledgerEntrySchema.index({ orgIds: 1 });
ledgerEntrySchema.index({ listingCode: 1 });
ledgerEntrySchema.index({ month: 1, type: 1 });

refuseChanges(ledgerEntrySchema, 'ledger');
jsonView(ledgerEntrySchema);

export type LedgerEntry = InferSchemaType<typeof ledgerEntrySchema>;
export const LedgerEntryModel = model('LedgerEntry', ledgerEntrySchema, 'ledger');

/** The `_id` of the entry with this seq: zero-padded so that `_id` order is seq order. */
export function entryId(seq: number): string {
  return String(seq).padStart(12, '0');
}

/**
 * A hint, never the truth: the newest `{seq, hash}` some appender saw, so an append need not search
 * the ledger for its head. Only moves forward; an appender that finds it stale walks on from it.
 */
const ledgerHeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);
export const LedgerHeadModel = model('LedgerHead', ledgerHeadSchema, 'ledger_head');
