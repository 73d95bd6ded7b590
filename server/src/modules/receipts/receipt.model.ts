import { model, Schema } from 'mongoose';
import { refuseChanges } from '../../platform/mongo';

/**
 * Issued receipts, two kinds of document in one small collection, both found by `_id`:
 * - `_id` = the bundle's digest (what the QR code carries): `bundle`, the canonical JSON as issued;
 * - `_id` = "kind:recordId": `digest` of the receipt issued for that record, so every download of a
 *   record's receipt shows the same QR code for ever (the first issuance wins a race).
 */
const receiptSchema = new Schema(
  {
    _id: { type: String, required: true },
    bundle: { type: String },
    digest: { type: String },
    issuedAt: { type: Date, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
refuseChanges(receiptSchema, 'receipt record');
export const ReceiptModel = model('Receipt', receiptSchema, 'receipts');
