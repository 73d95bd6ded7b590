import { Router } from 'express';
import { ApplicationBody, ApplicationDecisionBody, ApplicationQuery, IdParams } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import * as applications from './applications.service';

/** 授权运营申请: operators apply, the authority approves (grants) or rejects with reasons. */
export function applicationsRouter({ auth }: AppDeps): Router {
  const router = Router();
  router.post(
    '/authorization-applications',
    auth.requireAuth,
    requireRole('provider'),
    validate({ body: ApplicationBody }),
    async (req, res) => {
      res.status(201).json(await applications.apply(principal(req), parsed(res, 'body', ApplicationBody)));
    },
  );
  router.get(
    '/authorization-applications',
    auth.requireAuth,
    requireRole('authority', 'provider', 'regulator'),
    validate({ query: ApplicationQuery }),
    async (req, res) => {
      res.json(await applications.listApplications(principal(req), parsed(res, 'query', ApplicationQuery)));
    },
  );
  router.post(
    '/authorization-applications/:id/decision',
    auth.requireAuth,
    requireRole('authority'),
    validate({ params: IdParams, body: ApplicationDecisionBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await applications.decide(principal(req), id, parsed(res, 'body', ApplicationDecisionBody)));
    },
  );
  return router;
}
