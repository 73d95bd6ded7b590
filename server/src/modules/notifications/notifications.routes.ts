import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { catchUpLedger } from './notifications.events';
import * as inbox from './notifications.service';

const ops = operations.notifications;

/** Every signed-in user's inbox (站内消息). Reading it first turns new ledger entries into notifications. */
export function notificationsRouter({ auth, config, log }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.inbox, async ({ user, query }) => {
    await catchUpLedger(200, log);
    return inbox.listInbox(user, query);
  });
  on(ops.unreadCount, async ({ user }) => {
    await catchUpLedger(200, log);
    return inbox.unreadCount(user);
  });
  on(ops.readAll, ({ user }) => inbox.markAllRead(user));
  on(ops.read, ({ user, params }) => inbox.markRead(user, params.id));
  return router;
}
