import type { ConsistencyBundle, ProofBundle, ReceiptBundle, ReceiptKind } from '@zdec/shared';
import { api, downloadWithToken } from '../../api/http';

export interface IssuedReceiptView {
  digest: string;
  verifyUrl: string;
  qrSvg: string;
  bundle: ReceiptBundle;
}

const enc = encodeURIComponent;

/** The receipt and proof calls (verifiable receipts, issue 15). */
export const receiptsApi = {
  issue: (kind: ReceiptKind, id: string, signal?: AbortSignal) =>
    api.get<IssuedReceiptView>(`/receipts/${enc(kind)}/${enc(id)}`, undefined, signal),
  pdf: (kind: ReceiptKind, id: string, digest: string) =>
    downloadWithToken(`/receipts/${enc(kind)}/${enc(id)}/pdf`, undefined, `zdec-${kind}-${digest.slice(0, 12)}.pdf`),
  byDigest: (digest: string, signal?: AbortSignal) =>
    api.get<ReceiptBundle>(`/receipts/by-digest/${enc(digest)}`, undefined, signal),
  lookup: (q: string, signal?: AbortSignal) =>
    api.get<{ number: string; receipt: ReceiptKind; proof: ProofBundle }>('/receipts/lookup', { q }, signal),
  proof: (seq: number, signal?: AbortSignal) => api.get<ProofBundle>(`/ledger/proofs/${seq}`, undefined, signal),
  consistency: (from: number, signal?: AbortSignal) =>
    api.get<ConsistencyBundle>('/ledger/consistency', { from }, signal),
  publicKey: (signal?: AbortSignal) =>
    api.get<{ algorithm: string; keyId: string; publicKeyPem: string }>('/ledger/public-key', undefined, signal),
};
