import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  AdminCreateUserBody,
  ChangePasswordBody,
  EmptyBody,
  LoginBody,
  OrgLookupQuery,
  RegisterBody,
  UserIdParams,
} from '@zdec/shared';
import type { AppDeps } from '../../app';
import { principal, requireRole } from '../../platform/http/auth';
import { sendProblem } from '../../platform/http/problem';
import { parsed, validate } from '../../platform/http/validate';
import * as accounts from './accounts.service';

export function accountsRouter({ config, auth, log }: AppDeps): Router {
  const router = Router();
  accounts.dummyHash(config.BCRYPT_ROUNDS); // made now, so no login pays for it
  const authLimiter = rateLimit({
    windowMs: config.AUTH_RATE_WINDOW_SECONDS * 1000,
    limit: config.AUTH_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => sendProblem(res, 429, 'rate-limited', 'Too many attempts; try again later'),
  });

  router.post('/auth/register', authLimiter, validate({ body: RegisterBody }), async (_req, res) => {
    res.status(202).json(await accounts.register(config, parsed(res, 'body', RegisterBody), log));
  });
  router.post('/auth/login', authLimiter, validate({ body: LoginBody }), async (_req, res) => {
    res.json(await accounts.login(config, parsed(res, 'body', LoginBody)));
  });
  // sessions (issue 12 #7): logout and password change end the user's tokens, deactivation too
  router.post('/auth/logout', auth.requireAuth, validate({ body: EmptyBody }), async (req, res) => {
    await accounts.logout(principal(req).id);
    res.status(204).end();
  });
  router.post(
    '/auth/password',
    auth.requireAuth,
    authLimiter,
    validate({ body: ChangePasswordBody }),
    async (req, res) => {
      res.json(await accounts.changePassword(config, principal(req).id, parsed(res, 'body', ChangePasswordBody)));
    },
  );
  router.post(
    '/admin/users/:id/deactivate',
    auth.requireAuth,
    requireRole('admin'),
    validate({ params: UserIdParams, body: EmptyBody }),
    async (_req, res) => {
      res.json(await accounts.deactivateUser(parsed(res, 'params', UserIdParams).id));
    },
  );
  router.get('/auth/me', auth.requireAuth, async (req, res) => {
    res.json(await accounts.me(principal(req).id));
  });
  router.get('/orgs', auth.requireAuth, validate({ query: OrgLookupQuery }), async (_req, res) => {
    res.json(await accounts.lookupOrgs(parsed(res, 'query', OrgLookupQuery)));
  });
  router.post(
    '/admin/users',
    auth.requireAuth,
    requireRole('admin'),
    validate({ body: AdminCreateUserBody }),
    async (_req, res) => {
      res.status(201).json(await accounts.adminCreateUser(config, parsed(res, 'body', AdminCreateUserBody)));
    },
  );
  return router;
}
