import { model, Schema, type InferSchemaType } from 'mongoose';
import { refuseChanges } from '../../platform/mongo';

/**
 * A signed checkpoint (签名检查点): the ledger head at the end of one UTC day. One per day (`_id` is
 * the day, so writing the same day twice is a duplicate-key no-op), never changed once written.
 */
const checkpointSchema = new Schema(
  {
    /** The UTC day again, so that the one-per-day rule is the primary key. */
    _id: { type: String, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    seq: { type: Number, required: true, min: 1 },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
    signedAt: { type: Date, required: true },
    /** The signed Merkle tree head of the same size (merkle.service); absent on checkpoints cut before the tree. */
    tree: {
      type: new Schema(
        { size: Number, root: String, time: String, keyId: String, signature: String },
        { _id: false, versionKey: false },
      ),
      required: false,
    },
  },
  { versionKey: false, strict: 'throw' },
);
checkpointSchema.index({ day: 1 }, { unique: true });
refuseChanges(checkpointSchema, 'checkpoint record');
checkpointSchema.set('toJSON', {
  versionKey: false,
  transform(_doc, ret: Record<string, unknown>) {
    delete ret._id;
    return ret;
  },
});

export type Checkpoint = InferSchemaType<typeof checkpointSchema>;
export const CheckpointModel = model('LedgerCheckpoint', checkpointSchema, 'ledger_checkpoints');
