import { Router } from 'express';
import { AuthorizationActionBody, AuthorizationCreateBody, AuthorizationQuery, IdParams } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import * as authorizations from './authorizations.service';

/**
 * 授权运营. Grant, suspend, resume and revoke are the granting authority's; revoke is final.
 * Suspend and revoke suspend every listed product built on the authorization; resume restores
 * exactly those. Reads: authority (granted), provider (operated), exchange and regulator (all).
 */
export function authorizationsRouter({ auth }: AppDeps): Router {
  const router = Router();

  router.post(
    '/authorizations',
    auth.requireAuth,
    requireRole('authority'),
    validate({ body: AuthorizationCreateBody }),
    async (req, res) => {
      res.status(201).json(await authorizations.grant(principal(req), parsed(res, 'body', AuthorizationCreateBody)));
    },
  );
  router.get(
    '/authorizations',
    auth.requireAuth,
    requireRole('authority', 'provider', 'exchange', 'regulator'),
    validate({ query: AuthorizationQuery }),
    async (req, res) => {
      res.json(await authorizations.list(principal(req), parsed(res, 'query', AuthorizationQuery)));
    },
  );
  router.get(
    '/authorizations/:id',
    auth.requireAuth,
    requireRole('authority', 'provider', 'exchange', 'regulator'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.json(await authorizations.get(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  for (const action of ['suspend', 'resume', 'revoke'] as const) {
    router.post(
      `/authorizations/:id/${action}`,
      auth.requireAuth,
      requireRole('authority'),
      validate({ params: IdParams, body: AuthorizationActionBody }),
      async (req, res) => {
        const { id } = parsed(res, 'params', IdParams);
        const { reason } = parsed(res, 'body', AuthorizationActionBody);
        res.json(await authorizations[action](principal(req), id, reason));
      },
    );
  }
  return router;
}
