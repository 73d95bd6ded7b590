import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter, withStatus } from '../../platform/http/operations';
import { productDossier } from './dossier.service';
import { unwatch, watch, watchlist } from './watchlist.service';

const ops = operations.products;

/**
 * What a buyer reads before paying: the product dossier (public for listed products, like the
 * listing), and the buyer's own watch list, kept on the server per user.
 */
export function productsRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.dossier, ({ user, params }) => productDossier(user, params.id));
  on(ops.watchlist, ({ user, query }) => watchlist(user, query));
  on(ops.watch, async ({ user, body }) => {
    const result = await watch(user, body.listingId);
    return result.created ? result : withStatus(200, result);
  });
  on(ops.unwatch, ({ user, params }) => unwatch(user, params.listingId));
  return router;
}
