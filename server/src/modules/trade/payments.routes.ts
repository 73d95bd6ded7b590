import { Router } from 'express';
import type { AppDeps } from '../../app';

/** Routes that need the raw request body (the Stripe webhook); mounted before the JSON parser. */
export function paymentsWebhookRouter(_deps: AppDeps): Router {
  const router = Router();
  return router;
}
