import { Router } from 'express';
import { z } from 'zod';
import { IdParams, ObjectIdString, PageQuery, WatchBody } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { productDossier } from './dossier.service';
import { unwatch, watch, watchlist } from './watchlist.service';

const ListingParams = z.strictObject({ listingId: ObjectIdString });
const WatchlistQuery = z.strictObject(PageQuery.shape);

/**
 * What a buyer reads before paying: the product dossier (public for listed products, like the
 * listing), and the buyer's own watch list, kept on the server per user.
 */
export function productsRouter({ auth }: AppDeps): Router {
  const router = Router();
  const buyers = [auth.requireAuth, requireRole('buyer')];

  router.get('/listings/:id/dossier', auth.optionalAuth, validate({ params: IdParams }), async (req, res) => {
    res.json(await productDossier(req.user, parsed(res, 'params', IdParams).id));
  });

  router.get('/watchlist', ...buyers, validate({ query: WatchlistQuery }), async (req, res) => {
    res.json(await watchlist(principal(req), parsed(res, 'query', WatchlistQuery)));
  });
  router.post('/watchlist', ...buyers, validate({ body: WatchBody }), async (req, res) => {
    const result = await watch(principal(req), parsed(res, 'body', WatchBody).listingId);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.delete('/watchlist/:listingId', ...buyers, validate({ params: ListingParams }), async (req, res) => {
    await unwatch(principal(req), parsed(res, 'params', ListingParams).listingId);
    res.status(204).end();
  });

  return router;
}
