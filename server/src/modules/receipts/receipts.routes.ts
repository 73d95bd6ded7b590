import { Router, type Request } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { signingKey } from '../ledger/checkpoint.service';
import { receiptPdf, receiptQrSvg } from './receipts.pdf';
import { issueReceipt, proofByNumber, receiptByDigest } from './receipts.service';

const ops = operations.receipts;

/**
 * Certificates and receipts (登记证书, 挂牌证书, 交易凭证). Downloading one is for its holder (the
 * record's owner organisation; a trade's buyer and seller) and the exchange and regulator; checking
 * one is for anyone: the QR code's digest fetches the bundle, and a number fetches the public proof.
 */
export function receiptsRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config);
  const base = (req: Request) => config.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const { on } = operationRouter(router, auth, config);

  on(ops.byDigest, ({ params }) => receiptByDigest(params.digest));
  on(ops.lookup, ({ user, query }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return proofByNumber(query.q, key, user);
  });
  on(ops.issue, async ({ user, params }, req, res) => {
    const r = await issueReceipt(params.kind, params.id, user, key, base(req));
    res.setHeader('Cache-Control', 'no-store');
    return { ...r, qrSvg: await receiptQrSvg(r) };
  });
  on(ops.pdf, async ({ user, params }, req, res) => {
    const r = await issueReceipt(params.kind, params.id, user, key, base(req));
    const pdf = await receiptPdf(r);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="zdec-${params.kind}-${r.digest.slice(0, 12)}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(pdf);
  });
  return router;
}
