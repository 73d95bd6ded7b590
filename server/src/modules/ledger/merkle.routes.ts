import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { signingKey } from './checkpoint.service';
import { consistencyBundle, proofBundle } from './merkle.service';

const ops = operations.ledger;

/**
 * Public Merkle proofs of the ledger (RFC 9162). Anyone may ask: a proof's siblings are hashes, and
 * the entry itself is shown as its viewer may see it (a trade's parties and amount only to them,
 * the exchange and the regulator; see merkle.service `maySeeInFull`).
 */
export function merkleRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config);
  const { on } = operationRouter(router, auth, config);

  on(ops.proof, ({ user, params, query }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return proofBundle(params.seq, key, { viewer: user, size: query.size });
  });
  on(ops.consistency, ({ query }) => consistencyBundle(query.from, query.to));
  return router;
}
