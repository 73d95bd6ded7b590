import express, { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { AppError } from '../../platform/errors';
import { operationRouter } from '../../platform/http/operations';
import { handleStripeEvent } from './payments.service';
import { verifyWebhook } from './stripe';

/**
 * Routes that need the raw request body (the Stripe webhook); mounted before the JSON parser. The
 * operation declares no body schema, so its `validate` step reads nothing and the raw-body parser
 * can run as its `extra` middleware: the signature is checked over the exact bytes.
 */
export function paymentsWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, deps.auth, deps.config);
  on(operations.trade.stripeWebhook, [express.raw({ type: 'application/json', limit: '1mb' })], async (_input, req) => {
    if (!Buffer.isBuffer(req.body)) {
      throw new AppError('unsupported-media-type', 415, 'A Stripe event comes as application/json');
    }
    const event = verifyWebhook(deps.config, req.body, req.get('stripe-signature'));
    return { received: true, ...(await handleStripeEvent(deps, event)) };
  });
  return router;
}
