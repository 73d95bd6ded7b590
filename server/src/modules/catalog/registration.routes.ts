import { Router } from 'express';
import { z } from 'zod';
import {
  AmendmentBody,
  CancellationBody,
  IdParams,
  NoticeQuery,
  OBJECTION_STATUSES,
  ObjectionBody,
  ObjectionRulingBody,
  PageQuery,
} from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import * as registration from './registration.service';

const NoticeParams = z.strictObject({
  id: z.string().regex(/^[a-f0-9]{24}#\d{1,4}$/, 'a notice id <resource id>#<n>'),
});
const ObjectionQuery = PageQuery.extend({ status: z.enum(OBJECTION_STATUSES).optional() });

/**
 * The registration lifecycle (公示, 异议, 变更、更正、注销). Notices are public, objections need a
 * signed-in user, the authority rules on them; amendments are the owner's.
 */
export function registrationRouter({ auth }: AppDeps): Router {
  const router = Router();
  const owners = [auth.requireAuth, requireRole('authority', 'provider')];

  router.get('/registration-notices', auth.optionalAuth, validate({ query: NoticeQuery }), async (req, res) => {
    res.json(await registration.listNotices(req.user, parsed(res, 'query', NoticeQuery)));
  });
  router.get('/registration-notices/:id', auth.optionalAuth, validate({ params: NoticeParams }), async (req, res) => {
    res.json(await registration.getNotice(req.user, parsed(res, 'params', NoticeParams).id));
  });
  router.post(
    '/registration-notices/:id/objections',
    auth.requireAuth,
    validate({ params: NoticeParams, body: ObjectionBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', NoticeParams);
      res.status(201).json(await registration.fileObjection(principal(req), id, parsed(res, 'body', ObjectionBody)));
    },
  );
  router.get(
    '/registration-objections',
    auth.requireAuth,
    requireRole('authority', 'regulator'),
    validate({ query: ObjectionQuery }),
    async (req, res) => {
      res.json(await registration.listObjections(principal(req), parsed(res, 'query', ObjectionQuery)));
    },
  );
  router.post(
    '/registration-objections/:id/ruling',
    auth.requireAuth,
    requireRole('authority'),
    validate({ params: IdParams, body: ObjectionRulingBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await registration.ruleObjection(principal(req), id, parsed(res, 'body', ObjectionRulingBody)));
    },
  );
  router.get(
    '/resources/:id/registration-history',
    auth.requireAuth,
    validate({ params: IdParams }),
    async (req, res) => {
      res.json(await registration.registrationHistory(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/resources/:id/amendments',
    ...owners,
    validate({ params: IdParams, body: AmendmentBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res
        .status(201)
        .json(await registration.amendRegistration(principal(req), id, parsed(res, 'body', AmendmentBody)));
    },
  );
  router.post(
    '/resources/:id/cancel',
    ...owners,
    validate({ params: IdParams, body: CancellationBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await registration.cancelRegistration(principal(req), id, parsed(res, 'body', CancellationBody)));
    },
  );
  return router;
}
