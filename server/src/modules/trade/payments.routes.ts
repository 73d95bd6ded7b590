import express, { Router } from 'express';
import type { AppDeps } from '../../platform/http/deps';
import { AppError } from '../../platform/errors';
import { handleStripeEvent } from './payments.service';
import { verifyWebhook } from './stripe';

/** Routes that need the raw request body (the Stripe webhook); mounted before the JSON parser. */
export function paymentsWebhookRouter(deps: AppDeps): Router {
  const router = Router();
  router.post('/payments/stripe/webhook', express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      throw new AppError('unsupported-media-type', 415, 'A Stripe event comes as application/json');
    }
    const event = verifyWebhook(deps.config, req.body, req.get('stripe-signature'));
    res.json({ received: true, ...(await handleStripeEvent(deps, event)) });
  });
  return router;
}
