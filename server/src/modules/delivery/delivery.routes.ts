import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import {
  DataQuery,
  DeliveryTokenParams,
  EmptyBody,
  IdParams,
  ListingCodeParams,
  RevokeEntitlementBody,
} from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireDuty, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { sampleContentType } from '../samples/samples.store';
import * as delivery from './delivery.service';

export function deliveryRouter(deps: AppDeps): Router {
  const { auth } = deps;
  const router = Router();

  router.get(
    '/orders/:id/delivery',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await delivery.orderDelivery(deps, principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/orders/:id/delivery/api-key',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams, body: EmptyBody }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await delivery.rotateApiKey(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.get(
    '/orders/:id/entitlement',
    auth.requireAuth,
    requireRole('buyer', 'provider', 'exchange', 'regulator'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.json(await delivery.getEntitlement(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/orders/:id/entitlement/revoke',
    auth.requireAuth,
    requireRole('exchange'),
    requireDuty('clearing'),
    validate({ params: IdParams, body: RevokeEntitlementBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(
        await delivery.revokeOrderEntitlement(principal(req), id, parsed(res, 'body', RevokeEntitlementBody).reason),
      );
    },
  );

  // The token is the credential: no bearer token.
  router.get('/deliveries/:token', validate({ params: DeliveryTokenParams }), async (_req, res) => {
    const file = await delivery.openDownload(parsed(res, 'params', DeliveryTokenParams).token);
    res.attachment(file.filename);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Downloads-Left', String(file.downloadsLeft));
    await pipeline(file.stream, res);
  });

  // The API key (X-Api-Key) is the credential: no bearer token.
  router.get('/data/:listingCode', validate({ params: ListingCodeParams, query: DataQuery }), async (req, res) => {
    const page = parsed(res, 'query', DataQuery);
    const result = await delivery.dataRows(
      deps,
      req.get('X-Api-Key'),
      parsed(res, 'params', ListingCodeParams).listingCode,
      page,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Calls-Remaining', String(result.callsLeft));
    res.json(result);
  });
  return router;
}
