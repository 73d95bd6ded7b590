import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { listEntries, verifyChain, writeLedgerCsv } from './audit.service';
import { allCheckpoints, listCheckpoints, publicKeyView, signingKey } from './checkpoint.service';

const ops = operations.ledger;

/**
 * Audit of the ledger (regulator and exchange) and its public proofs. There is no route that writes
 * an entry or a checkpoint: entries come from business events through `append`, checkpoints from
 * the background job (`startCheckpointJob`), once per completed UTC day.
 */
export function ledgerRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config); // a bad LEDGER_SIGNING_KEY stops the start, naming the variable
  const { on } = operationRouter(router, auth, config);

  on(ops.list, ({ query }) => listEntries(query));
  on(ops.verify, ({ query }) => verifyChain(query, key));
  on(ops.exportCsv, async ({ query }, _req, res) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="zdec-ledger-${stamp}Z.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    await writeLedgerCsv(query, res);
    res.end();
  });
  on(ops.checkpoints, ({ query }) => listCheckpoints(query));
  // Every checkpoint in one file, for `npm run ledger:verify -- <export.csv> --checkpoints <file>`.
  on(ops.allCheckpoints, (_input, _req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="zdec-ledger-checkpoints.json"');
    return allCheckpoints();
  });
  on(ops.publicKey, () => Promise.resolve(publicKeyView(config)));
  on(ops.publicKeyPem, (_input, _req, res) => {
    res.type('application/x-pem-file').send(key.publicKeyPem);
    return Promise.resolve();
  });
  return router;
}
