import { fillPath, operations, type ReceiptBundle, type ReceiptKind, type ReplyBody } from '@zdec/shared';
import { call, downloadWithToken } from '../../api/http';

export type IssuedReceiptView = ReplyBody<typeof operations.receipts.issue>;

/** The receipt and proof calls (verifiable receipts, issue 15). */
export const receiptsApi = {
  issue: (kind: ReceiptKind, id: string, signal?: AbortSignal) =>
    call(operations.receipts.issue, { params: { kind, id }, signal }),
  pdf: (kind: ReceiptKind, id: string, digest: string) =>
    downloadWithToken(
      fillPath(operations.receipts.pdf.path, { kind, id }),
      undefined,
      `zdec-${kind}-${digest.slice(0, 12)}.pdf`,
    ),
  /** Served as stored, so typed as what it claims to be: the verifier checks every part of it. */
  byDigest: (digest: string, signal?: AbortSignal) =>
    call(operations.receipts.byDigest, { params: { digest }, signal }) as Promise<ReceiptBundle>,
  lookup: (q: string, signal?: AbortSignal) => call(operations.receipts.lookup, { query: { q }, signal }),
  proof: (seq: number, signal?: AbortSignal) => call(operations.ledger.proof, { params: { seq }, signal }),
  consistency: (from: number, signal?: AbortSignal) => call(operations.ledger.consistency, { query: { from }, signal }),
  publicKey: (signal?: AbortSignal) => call(operations.ledger.publicKey, { signal }),
};
