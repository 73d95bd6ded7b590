import { model, Schema } from 'mongoose';
import { refuseChanges } from '../../platform/mongo';

/**
 * The Merkle tree over the ledger (RFC 9162), stored so that a proof costs O(log n) `_id` lookups:
 * one document per complete subtree, `_id` "level:index" (level 0 = leaf index seq−1), holding its
 * hash. A node's hash is a pure function of the entries below it, so writing it twice writes the
 * same bytes: concurrent appenders in any number of processes, the outbox sweep and the lazy
 * repair in `merkle.service` may all write a node, and a duplicate key only means it is there.
 */
const merkleNodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    hash: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
  },
  { versionKey: false, strict: 'throw' },
);
refuseChanges(merkleNodeSchema, 'Merkle node store');
export const MerkleNodeModel = model('LedgerMerkleNode', merkleNodeSchema, 'ledger_merkle');

/**
 * Signed tree heads (STH): `_id` is the zero-padded size, so there is one per size and the newest
 * is the highest `_id`. Written by the daily checkpoint (time = the end of the day) and on demand
 * when a proof is asked for an entry no signed head covers yet (time = when it was signed).
 */
const treeHeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    size: { type: Number, required: true, min: 1 },
    root: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    time: { type: String, required: true },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { versionKey: false, strict: 'throw' },
);
refuseChanges(treeHeadSchema, 'tree head record');
export const TreeHeadModel = model('LedgerTreeHead', treeHeadSchema, 'ledger_tree_heads');

/**
 * `_id` "type:ref" → seq: finds the entry of a business event by an `_id` lookup (on the embedded engine the
 * `(type, ref)` index of the ledger is not used, and finding it would read the whole ledger).
 */
const ledgerRefSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true, min: 1 },
  },
  { versionKey: false, strict: 'throw' },
);
export const LedgerRefModel = model('LedgerRef', ledgerRefSchema, 'ledger_refs');
