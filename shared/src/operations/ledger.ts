import { z } from 'zod';
import { LEDGER_TYPES } from '../constants';
import { ConsistencyQuery, ProofQuery, SeqParams } from '../merkle/api';
import { PROOF_KIND } from '../merkle/bundle';
import { PageQuery } from '../schemas/common';
import { LedgerFilter, LedgerQuery, VerifyQuery } from '../schemas/ledger';
import { operation, type Access } from './define';
import { GradeValue, Id, pageOf, Timestamp } from './views';
import { FIELD_MESSAGES } from '../schemas/messages';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

// Unknown query parameters are refused rather than silently ignored (a typo must not widen an audit).
const ListQuery = z.strictObject(LedgerQuery.shape);
const ExportQuery = z.strictObject(LedgerFilter.shape);
const ChainQuery = z
  .strictObject(VerifyQuery.shape)
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    path: ['to'],
    message: FIELD_MESSAGES.range,
  });
const CheckpointsQuery = z.strictObject(PageQuery.shape);

/** A ledger entry as stored; the references only where the event has them. */
export const LedgerEntryFields = z.object({
  seq: z.number().int().min(1),
  at: Timestamp,
  month: z.string(),
  type: z.enum(LEDGER_TYPES),
  ref: z.string(),
  orderId: z.string().optional(),
  listingId: z.string().optional(),
  listingCode: z.string().optional(),
  resourceId: z.string().optional(),
  authorizationId: z.string().optional(),
  orgIds: z.array(z.string()),
  amountFen: z.number().int(),
  grade: GradeValue.optional(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});

export const LedgerEntryView = LedgerEntryFields.extend({ id: Id });

export const VerifyReportView = z.object({
  ok: z.boolean(),
  checked: z.number().int().min(0),
  firstBrokenSeq: z.number().int().optional(),
  reason: z
    .enum([
      'hash-mismatch',
      'prev-hash-mismatch',
      'missing-entry',
      'seq-out-of-place',
      'checkpoint-mismatch',
      'checkpoint-signature',
    ])
    .optional(),
  headSeq: z.number().int().min(0),
  headHash: Sha256Hex.nullable(),
  checkpointsChecked: z.number().int().min(0),
});

/** A signed Merkle tree head (RFC 9162): the root of the first `size` entries, signed at `time`. */
export const SignedTreeHeadView = z.object({
  size: z.number().int().min(0),
  root: Sha256Hex,
  time: Timestamp,
  keyId: z.string(),
  signature: z.string(),
});

/** A signed daily checkpoint: the head at the end of one UTC day (and the tree head of that size). */
export const CheckpointView = z.object({
  day: z.iso.date(),
  seq: z.number().int().min(1),
  hash: Sha256Hex,
  keyId: z.string(),
  signature: z.string(),
  signedAt: Timestamp,
  tree: SignedTreeHeadView.optional(),
});

export const PublicKeyView = z.object({ algorithm: z.literal('Ed25519'), keyId: z.string(), publicKeyPem: z.string() });

/** An entry as a proof shows it: in full, or a trade with its private fields withheld (`withheld` names them). */
export const ProofEntryView = LedgerEntryFields.partial({
  ref: true,
  orderId: true,
  orgIds: true,
  amountFen: true,
}).extend({ withheld: z.array(z.string()).optional() });

export const InclusionProofView = z.object({
  leafIndex: z.number().int().min(0),
  treeSize: z.number().int().min(1),
  path: z.array(Sha256Hex),
});

export const ProofBundleView = z.object({
  kind: z.literal(PROOF_KIND),
  entry: ProofEntryView,
  inclusion: InclusionProofView,
  treeHead: SignedTreeHeadView,
});

/** Who may read the ledger itself and what is derived from it: the regulator and exchange staff. */
export const ledgerReaders = { roles: ['regulator', 'exchange'] } as const satisfies Access;

/** 交易台账: the hash-chained ledger (audit for regulator and exchange), its signed checkpoints and public proofs. */
export const ledgerOperations = {
  list: operation({
    method: 'get',
    path: '/ledger',
    tag: 'ledger',
    summary: 'Ledger entries with filters',
    access: ledgerReaders,
    query: ListQuery,
    reply: { json: pageOf(LedgerEntryView) },
  }),
  verify: operation({
    method: 'get',
    path: '/ledger/verify',
    tag: 'ledger',
    summary: 'Recompute the hash chain over a seq range',
    access: ledgerReaders,
    query: ChainQuery,
    reply: { json: VerifyReportView },
  }),
  exportCsv: operation({
    method: 'get',
    path: '/ledger/export.csv',
    tag: 'ledger',
    summary: 'Streamed CSV (UTF-8 with BOM) of the filtered ledger',
    access: ledgerReaders,
    query: ExportQuery,
    reply: { produces: 'text/csv', description: 'The filtered ledger, oldest first (UTF-8 with BOM, CRLF)' },
  }),
  checkpoints: operation({
    method: 'get',
    path: '/ledger/checkpoints',
    tag: 'ledger',
    summary: 'Signed daily heads',
    access: 'public',
    query: CheckpointsQuery,
    reply: { json: pageOf(CheckpointView) },
  }),
  allCheckpoints: operation({
    method: 'get',
    path: '/ledger/checkpoints.json',
    tag: 'ledger',
    summary: 'Every signed checkpoint in one file (for the offline verifier)',
    access: 'public',
    reply: { json: z.array(CheckpointView) },
  }),
  publicKey: operation({
    method: 'get',
    path: '/ledger/public-key',
    tag: 'ledger',
    summary: 'Ed25519 public key of the checkpoints',
    access: 'public',
    reply: { json: PublicKeyView },
  }),
  publicKeyPem: operation({
    method: 'get',
    path: '/ledger/public-key.pem',
    tag: 'ledger',
    summary: 'The Ed25519 public key as PEM (for the offline verifier)',
    access: 'public',
    reply: { produces: 'application/x-pem-file', description: 'The SPKI public key, PEM' },
  }),
  proof: operation({
    method: 'get',
    path: '/ledger/proofs/{seq}',
    tag: 'ledger',
    summary: 'An entry (as its viewer may see it) and its RFC 9162 inclusion proof under the latest signed tree head',
    access: 'public-or-signed-in',
    params: SeqParams,
    query: ProofQuery,
    reply: { json: ProofBundleView },
  }),
  consistency: operation({
    method: 'get',
    path: '/ledger/consistency',
    tag: 'ledger',
    summary: 'RFC 9162 consistency proof between two signed tree heads (to: latest by default)',
    access: 'public',
    query: ConsistencyQuery,
    reply: { json: z.object({ from: SignedTreeHeadView, to: SignedTreeHeadView, path: z.array(Sha256Hex) }) },
  }),
};
