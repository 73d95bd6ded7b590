import { Router } from 'express';
import { z } from 'zod';
import { LedgerFilter, LedgerQuery, PageQuery, VerifyQuery } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { listEntries, verifyChain, writeLedgerCsv } from './audit.service';
import { allCheckpoints, listCheckpoints, publicKeyView, signingKey } from './checkpoint.service';

// Unknown query parameters are refused rather than silently ignored (a typo must not widen an audit).
const ListQuery = z.strictObject(LedgerQuery.shape);
const ExportQuery = z.strictObject(LedgerFilter.shape);
const ChainQuery = z
  .strictObject(VerifyQuery.shape)
  .refine((q) => q.from === undefined || q.to === undefined || q.to >= q.from, {
    path: ['to'],
    message: 'must not be below from',
  });
const CheckpointsQuery = z.strictObject(PageQuery.shape);

/**
 * Audit of the ledger (regulator and exchange) and its public proofs. There is no route that writes
 * an entry or a checkpoint: entries come from business events through `append`, checkpoints from
 * the background job (`startCheckpointJob`), once per completed UTC day.
 */
export function ledgerRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config); // a bad LEDGER_SIGNING_KEY stops the start, naming the variable
  const auditors = [auth.requireAuth, requireRole('regulator', 'exchange')];

  router.get('/ledger', ...auditors, validate({ query: ListQuery }), async (_req, res) => {
    res.json(await listEntries(parsed(res, 'query', ListQuery)));
  });

  router.get('/ledger/verify', ...auditors, validate({ query: ChainQuery }), async (_req, res) => {
    res.json(await verifyChain(parsed(res, 'query', ChainQuery), key));
  });

  router.get('/ledger/export.csv', ...auditors, validate({ query: ExportQuery }), async (_req, res) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="zdec-ledger-${stamp}Z.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    await writeLedgerCsv(parsed(res, 'query', ExportQuery), res);
    res.end();
  });

  router.get('/ledger/checkpoints', validate({ query: CheckpointsQuery }), async (_req, res) => {
    res.json(await listCheckpoints(parsed(res, 'query', CheckpointsQuery)));
  });

  // Every checkpoint in one file, for `npm run ledger:verify -- <export.csv> --checkpoints <file>`.
  router.get('/ledger/checkpoints.json', async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="zdec-ledger-checkpoints.json"');
    res.json(await allCheckpoints());
  });

  router.get('/ledger/public-key', (_req, res) => {
    res.json(publicKeyView(config));
  });

  router.get('/ledger/public-key.pem', (_req, res) => {
    res.type('application/x-pem-file').send(key.publicKeyPem);
  });

  return router;
}
