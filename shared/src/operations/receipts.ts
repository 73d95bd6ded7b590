import { z } from 'zod';
import { DigestParams, LookupQuery, ReceiptParams } from '../merkle/api';
import { RECEIPT_KIND, RECEIPT_KINDS } from '../merkle/bundle';
import { operation } from './define';
import { InclusionProofView, ProofBundleView, ProofEntryView, Sha256Hex, SignedTreeHeadView } from './ledger';

/** A receipt bundle: the proof of the record's ledger entry and the claims printed on the receipt. */
export const ReceiptBundleView = z.object({
  kind: z.literal(RECEIPT_KIND),
  receipt: z.enum(RECEIPT_KINDS),
  claims: z.record(z.string(), z.union([z.string(), z.number()])),
  entry: ProofEntryView,
  inclusion: InclusionProofView,
  treeHead: SignedTreeHeadView,
});

/**
 * What is stored under a digest, served unchanged: the receipt bundle the exchange issued or, from a
 * tampered store or copy, anything else. Its shape is not vouched for: the verifier
 * (shared/src/merkle) judges it, and a forged bundle has to reach the verifier to be reported.
 */
const StoredBundleView = z.union([ReceiptBundleView, z.looseObject({ kind: z.string() })]);

/** 登记证书, 挂牌证书, 交易凭证: issued to their holders, checked by anyone. */
export const receiptOperations = {
  byDigest: operation({
    method: 'get',
    path: '/receipts/by-digest/{digest}',
    tag: 'receipts',
    summary: 'The receipt bundle a QR code names by its digest, as stored (the verifier judges it)',
    access: 'public',
    params: DigestParams,
    reply: { json: StoredBundleView },
  }),
  lookup: operation({
    method: 'get',
    path: '/receipts/lookup',
    tag: 'receipts',
    summary: 'The proof behind a certificate number, listing code or order number',
    access: 'public-or-signed-in',
    query: LookupQuery,
    reply: { json: z.object({ number: z.string(), receipt: z.enum(RECEIPT_KINDS), proof: ProofBundleView }) },
  }),
  issue: operation({
    method: 'get',
    path: '/receipts/{kind}/{id}',
    tag: 'receipts',
    summary: 'Issue (once) and show the certificate or receipt of a record, with its QR code; for its holder',
    access: 'signed-in',
    params: ReceiptParams,
    reply: {
      json: z.object({ digest: Sha256Hex, verifyUrl: z.string(), bundle: ReceiptBundleView, qrSvg: z.string() }),
    },
  }),
  pdf: operation({
    method: 'get',
    path: '/receipts/{kind}/{id}/pdf',
    tag: 'receipts',
    summary: 'The certificate or receipt as PDF (Chinese font embedded); for its holder',
    access: 'signed-in',
    params: ReceiptParams,
    reply: { produces: 'application/pdf', description: 'The certificate or receipt, with its QR code' },
  }),
};
