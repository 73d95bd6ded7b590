import { Router, type RequestHandler } from 'express';
import { IdempotencyKey, operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { AppError } from '../../platform/errors';
import { operationRouter, withStatus } from '../../platform/http/operations';
import * as orders from './orders.service';
import { confirmTransfer } from './payments.service';
import { refundOrder } from './refunds.service';
import * as refundRequests from './refund-requests.service';

const ops = operations.trade;

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

/**
 * 交易. Buyers order and ask for refunds; exchange clearing staff confirm bank transfers, refund and
 * decline requests; every party of an order (and the exchange and regulator) reads it.
 */
export function tradeRouter(deps: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, deps.auth, deps.config);

  // The header is checked before the body, as before the registry.
  on(ops.createOrder, { before: [idempotencyKey] }, async ({ user, body }, _req, res) => {
    const key = res.locals.idempotencyKey as string | undefined;
    const result = await orders.createOrder(deps, user, body, key);
    const reply = { order: result.order, payment: result.payment };
    if (!result.replayed) return reply;
    // The same order again: 200 instead of the declared 201 (and checked against the same schema).
    res.setHeader('Idempotent-Replayed', 'true');
    return withStatus(200, reply);
  });
  on(ops.listOrders, ({ user, query }) => orders.listOrders(user, query));
  on(ops.getOrder, ({ user, params }) => orders.getOrder(user, params.id));
  on(ops.orderPayment, ({ user, params }) => orders.orderPayment(deps, user, params.id));
  on(ops.cancelOrder, ({ user, params }) => orders.cancelOrder(deps, user, params.id));
  on(ops.confirmTransfer, ({ user, params, body }) => confirmTransfer(deps, user, params.id, body));
  on(ops.refund, ({ user, params, body }) => refundOrder(deps, user, params.id, body));
  // buyers' refund requests (issue 16 item 5): the buyer asks, clearing staff refund (above) or decline
  on(ops.requestRefund, ({ user, params, body }) => refundRequests.requestRefund(user, params.id, body, deps.log));
  on(ops.declineRefundRequest, ({ user, params, body }) =>
    refundRequests.declineRefundRequest(user, params.id, body, deps.log),
  );
  on(ops.listRefundRequests, ({ query }) => refundRequests.listRefundRequests(query));
  return router;
}
