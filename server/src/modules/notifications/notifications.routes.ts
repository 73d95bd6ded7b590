import { Router } from 'express';
import { z } from 'zod';
import { PageQuery } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { catchUpLedger } from './notifications.events';
import * as inbox from './notifications.service';

const SlotParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}:\d{1,9}$/, 'a notification id') });
const EmptyBody = z.strictObject({});

/** Every signed-in user's inbox (站内消息). Reading it first turns new ledger entries into notifications. */
export function notificationsRouter({ auth, log }: AppDeps): Router {
  const router = Router();
  router.get('/notifications', auth.requireAuth, validate({ query: PageQuery }), async (req, res) => {
    await catchUpLedger(200, log);
    res.json(await inbox.listInbox(principal(req), parsed(res, 'query', PageQuery)));
  });
  router.get('/notifications/unread-count', auth.requireAuth, async (req, res) => {
    await catchUpLedger(200, log);
    res.json(await inbox.unreadCount(principal(req)));
  });
  router.post('/notifications/read-all', auth.requireAuth, validate({ body: EmptyBody }), async (req, res) => {
    res.json(await inbox.markAllRead(principal(req)));
  });
  router.post(
    '/notifications/:id/read',
    auth.requireAuth,
    validate({ params: SlotParams, body: EmptyBody }),
    async (req, res) => {
      res.json(await inbox.markRead(principal(req), parsed(res, 'params', SlotParams).id));
    },
  );
  return router;
}
