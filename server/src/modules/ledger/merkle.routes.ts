import { Router } from 'express';
import { ConsistencyQuery, ProofQuery, SeqParams } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { parsed, validate } from '../../platform/http/validate';
import { signingKey } from './checkpoint.service';
import { consistencyBundle, proofBundle } from './merkle.service';

/**
 * Public Merkle proofs of the ledger (RFC 9162). Anyone may ask: a proof's siblings are hashes, and
 * the entry itself is shown as its viewer may see it (a trade's parties and amount only to them,
 * the exchange and the regulator; see merkle.service `maySeeInFull`).
 */
export function merkleRouter({ config, auth }: AppDeps): Router {
  const router = Router();
  const key = signingKey(config);

  router.get(
    '/ledger/proofs/:seq',
    auth.optionalAuth,
    validate({ params: SeqParams, query: ProofQuery }),
    async (req, res) => {
      const { seq } = parsed(res, 'params', SeqParams);
      const { size } = parsed(res, 'query', ProofQuery);
      res.setHeader('Cache-Control', 'no-store');
      res.json(await proofBundle(seq, key, { viewer: req.user, size }));
    },
  );

  router.get('/ledger/consistency', validate({ query: ConsistencyQuery }), async (_req, res) => {
    const { from, to } = parsed(res, 'query', ConsistencyQuery);
    res.json(await consistencyBundle(from, to));
  });

  return router;
}
