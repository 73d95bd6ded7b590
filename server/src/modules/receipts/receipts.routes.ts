import { Router, type Request } from 'express';
import { DigestParams, LookupQuery, ReceiptParams } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { parsed, validate } from '../../platform/http/validate';
import { signingKey } from '../ledger/checkpoint.service';
import { receiptPdf, receiptQrSvg } from './receipts.pdf';
import { issueReceipt, proofByNumber, receiptByDigest } from './receipts.service';

/**
 * Certificates and receipts (登记证书, 挂牌证书, 交易凭证). Downloading one is for its holder (the
 * record's owner organisation; a trade's buyer and seller) and the exchange and regulator; checking
 * one is for anyone: the QR code's digest fetches the bundle, and a number fetches the public proof.
 */
export function receiptsRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config);
  const base = (req: Request) => config.PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  router.get('/receipts/by-digest/:digest', validate({ params: DigestParams }), async (_req, res) => {
    res.json(await receiptByDigest(parsed(res, 'params', DigestParams).digest));
  });

  router.get('/receipts/lookup', auth.optionalAuth, validate({ query: LookupQuery }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await proofByNumber(parsed(res, 'query', LookupQuery).q, key, req.user));
  });

  router.get('/receipts/:kind/:id', auth.requireAuth, validate({ params: ReceiptParams }), async (req, res) => {
    const { kind, id } = parsed(res, 'params', ReceiptParams);
    const r = await issueReceipt(kind, id, req.user!, key, base(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...r, qrSvg: await receiptQrSvg(r) });
  });

  router.get('/receipts/:kind/:id/pdf', auth.requireAuth, validate({ params: ReceiptParams }), async (req, res) => {
    const { kind, id } = parsed(res, 'params', ReceiptParams);
    const r = await issueReceipt(kind, id, req.user!, key, base(req));
    const pdf = await receiptPdf(r);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="zdec-${kind}-${r.digest.slice(0, 12)}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(pdf);
  });

  return router;
}
