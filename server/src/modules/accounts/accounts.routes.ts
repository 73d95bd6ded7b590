import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import {
  AdminCreateUserBody,
  ChangePasswordBody,
  EmptyBody,
  LoginBody,
  OrgLookupQuery,
  RegisterBody,
  UserIdParams,
} from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { sendProblem } from '../../platform/http/problem';
import { parsed, validate } from '../../platform/http/validate';
import * as accounts from './accounts.service';

export function accountsRouter({ config, auth, log }: AppDeps): Router {
  const router = Router();
  accounts.dummyHash(config.BCRYPT_ROUNDS); // made now, so no login pays for it
  const limiter = (limit: number, key: (req: Request) => string, failedOnly: boolean) =>
    rateLimit({
      windowMs: config.AUTH_RATE_WINDOW_SECONDS * 1000,
      limit,
      keyGenerator: key,
      skipSuccessfulRequests: failedOnly,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => sendProblem(res, 429, 'rate-limited', 'Too many attempts; try again later'),
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const account = (req: Request) => {
    const email = (req.body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
  };
  // Registration: per client address. Sign-in (issue 12 #8): failed attempts per address *and*
  // account, so one client behind a shared proxy locks out only the account it hammers, plus a looser
  // ceiling per address over all accounts against password spraying. Password change: per account.
  const authLimiter = limiter(config.AUTH_RATE_LIMIT, address, false);
  const loginLimiters = [
    limiter(config.AUTH_RATE_LIMIT, (req) => `${address(req)}|${account(req)}`, true),
    limiter(config.AUTH_IP_RATE_LIMIT, address, true),
  ];
  const passwordLimiter = limiter(config.AUTH_RATE_LIMIT, (req) => `user|${req.user?.id ?? address(req)}`, true);

  router.post('/auth/register', authLimiter, validate({ body: RegisterBody }), async (_req, res) => {
    res.status(202).json(await accounts.register(config, parsed(res, 'body', RegisterBody), log));
  });
  router.post('/auth/login', ...loginLimiters, validate({ body: LoginBody }), async (_req, res) => {
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
    passwordLimiter,
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
