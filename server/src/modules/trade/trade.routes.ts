import { Router, type RequestHandler } from 'express';
import {
  ConfirmTransferBody,
  EmptyBody,
  IdempotencyKey,
  IdParams,
  OrderCreateBody,
  OrderQuery,
  RefundBody,
  RefundDeclineBody,
  RefundRequestBody,
  RefundRequestQuery,
} from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { AppError } from '../../platform/errors';
import { principal, requireDuty, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import * as orders from './orders.service';
import { confirmTransfer } from './payments.service';
import { refundOrder } from './refunds.service';
import * as refundRequests from './refund-requests.service';

/** Validates the optional Idempotency-Key header into `res.locals.idempotencyKey`. */
const idempotencyKey: RequestHandler = (req, res, next) => {
  const given = req.get('Idempotency-Key');
  if (given !== undefined) {
    const result = IdempotencyKey.safeParse(given);
    if (!result.success) {
      throw new AppError('validation', 400, 'The Idempotency-Key header is not valid', {
        errors: [{ path: 'headers.idempotency-key', message: result.error.issues[0]?.message ?? 'invalid' }],
      });
    }
    res.locals.idempotencyKey = result.data;
  }
  next();
};

export function tradeRouter(deps: AppDeps): Router {
  const { auth } = deps;
  const router = Router();

  router.post(
    '/orders',
    auth.requireAuth,
    requireRole('buyer'),
    idempotencyKey,
    validate({ body: OrderCreateBody }),
    async (req, res) => {
      const result = await orders.createOrder(
        deps,
        principal(req),
        parsed(res, 'body', OrderCreateBody),
        res.locals.idempotencyKey as string | undefined,
      );
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(result.replayed ? 200 : 201).json({ order: result.order, payment: result.payment });
    },
  );
  router.get(
    '/orders',
    auth.requireAuth,
    requireRole('buyer', 'provider', 'exchange', 'regulator'),
    validate({ query: OrderQuery }),
    async (req, res) => {
      res.json(await orders.listOrders(principal(req), parsed(res, 'query', OrderQuery)));
    },
  );
  router.get(
    '/orders/:id',
    auth.requireAuth,
    requireRole('buyer', 'provider', 'exchange', 'regulator'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.json(await orders.getOrder(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.get(
    '/orders/:id/payment',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.json(await orders.orderPayment(deps, principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/orders/:id/cancel',
    auth.requireAuth,
    requireRole('buyer', 'exchange'),
    requireDuty('clearing'),
    validate({ params: IdParams, body: EmptyBody }),
    async (req, res) => {
      res.json(await orders.cancelOrder(deps, principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/orders/:id/confirm-transfer',
    auth.requireAuth,
    requireRole('exchange'),
    requireDuty('clearing'),
    validate({ params: IdParams, body: ConfirmTransferBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await confirmTransfer(deps, principal(req), id, parsed(res, 'body', ConfirmTransferBody)));
    },
  );
  router.post(
    '/orders/:id/refund',
    auth.requireAuth,
    requireRole('exchange'),
    requireDuty('clearing'),
    validate({ params: IdParams, body: RefundBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await refundOrder(deps, principal(req), id, parsed(res, 'body', RefundBody)));
    },
  );
  // buyers' refund requests (issue 16 item 5): the buyer asks, clearing staff refund (above) or decline
  router.post(
    '/orders/:id/refund-request',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams, body: RefundRequestBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      const body = parsed(res, 'body', RefundRequestBody);
      res.status(201).json(await refundRequests.requestRefund(principal(req), id, body, deps.log));
    },
  );
  router.post(
    '/orders/:id/refund-request/decline',
    auth.requireAuth,
    requireRole('exchange'),
    requireDuty('clearing'),
    validate({ params: IdParams, body: RefundDeclineBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      const body = parsed(res, 'body', RefundDeclineBody);
      res.json(await refundRequests.declineRefundRequest(principal(req), id, body, deps.log));
    },
  );
  router.get(
    '/refund-requests',
    auth.requireAuth,
    requireRole('exchange', 'regulator'),
    requireDuty('clearing'),
    validate({ query: RefundRequestQuery }),
    async (_req, res) => {
      res.json(await refundRequests.listRefundRequests(parsed(res, 'query', RefundRequestQuery)));
    },
  );
  return router;
}
