import { z } from 'zod';
import Stripe from 'stripe';
import type { Config } from '../../config';
import { AppError } from '../../platform/errors';

const clients = new WeakMap<Config, Stripe>();

/**
 * The Stripe client of a configuration, or null when no secret key is configured (then only bank
 * transfer is offered). Host, port and protocol come from configuration so tests use stripe-mock.
 */
export function stripeClient(config: Config): Stripe | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  let client = clients.get(config);
  if (!client) {
    client = new Stripe(config.STRIPE_SECRET_KEY, {
      host: config.STRIPE_API_HOST,
      port: config.STRIPE_API_PORT,
      protocol: config.STRIPE_API_PROTOCOL,
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: 'zdec-platform' },
    });
    clients.set(config, client);
  }
  return client;
}

/** The client, or 422 `stripe-unavailable` when Stripe is not configured. */
export function requireStripe(config: Config): Stripe {
  const client = stripeClient(config);
  if (!client)
    throw new AppError(
      'stripe-unavailable',
      422,
      'Card, Alipay and WeChat Pay are not available; pay by bank transfer',
    );
  return client;
}

/** A failure talking to Stripe becomes 502 with Stripe's message (never our secrets). */
export function stripeFailure(err: unknown): AppError {
  const message = err instanceof Stripe.errors.StripeError ? err.message : 'Stripe could not be reached';
  return new AppError('stripe-error', 502, `Stripe refused or failed: ${message}`, { cause: err });
}

/** Verifies a webhook delivery over its exact bytes; 400 when the signature does not match. */
export function verifyWebhook(config: Config, rawBody: Buffer, signature: string | undefined): Stripe.Event {
  if (!config.STRIPE_WEBHOOK_SECRET) {
    throw new AppError('webhook-not-configured', 503, 'The Stripe webhook secret is not configured');
  }
  if (!signature) throw new AppError('bad-signature', 400, 'The Stripe-Signature header is missing');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, config.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    throw new AppError('bad-signature', 400, 'The Stripe signature does not verify', { cause: err });
  }
  // A signature proves who sent the bytes, not that they are an event we can key and act on.
  const shape = StripeEventShape.safeParse(event);
  if (!shape.success) {
    throw new AppError('bad-event', 400, 'The payload is not a Stripe event (id, type and data.object are required)');
  }
  return event;
}

const StripeEventShape = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
