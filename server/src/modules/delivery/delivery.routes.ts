import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { sampleContentType } from '../samples/samples.store';
import * as delivery from './delivery.service';

const ops = operations.delivery;

/**
 * 交付. The buyer's organisation fetches its delivery (a download token, the API key, the sandbox);
 * clearing staff revoke. Downloads and the data API take their own credential (the token, the
 * X-Api-Key), not a bearer token.
 */
export function deliveryRouter(deps: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, deps.auth, deps.config);

  on(ops.orderDelivery, ({ user, params }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return delivery.orderDelivery(deps, user, params.id);
  });
  on(ops.rotateApiKey, ({ user, params }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return delivery.rotateApiKey(user, params.id);
  });
  on(ops.getEntitlement, ({ user, params }) => delivery.getEntitlement(user, params.id));
  on(ops.revokeEntitlement, ({ user, params, body }) => delivery.revokeOrderEntitlement(user, params.id, body.reason));
  on(ops.download, async ({ params }, _req, res) => {
    const file = await delivery.openDownload(params.token);
    res.attachment(file.filename);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Downloads-Left', String(file.downloadsLeft));
    await pipeline(file.stream, res);
  });
  on(ops.dataRows, async ({ params, query }, req, res) => {
    const result = await delivery.dataRows(deps, req.get('X-Api-Key'), params.listingCode, query);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Calls-Remaining', String(result.callsLeft));
    return result;
  });
  return router;
}
