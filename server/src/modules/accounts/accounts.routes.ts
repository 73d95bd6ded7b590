import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { sendProblem } from '../../platform/http/problem';
import * as accounts from './accounts.service';

const ops = operations.accounts;

export function accountsRouter({ config, auth, log }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);
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

  on(ops.register, { before: [authLimiter] }, ({ body }) => accounts.register(config, body, log));
  on(ops.login, { before: loginLimiters }, ({ body }) => accounts.login(config, body));
  // sessions (issue 12 #7): logout and password change end the user's tokens, deactivation too
  on(ops.logout, ({ user }) => accounts.logout(user.id));
  on(ops.changePassword, { before: [passwordLimiter] }, ({ user, body }) =>
    accounts.changePassword(config, user.id, body),
  );
  on(ops.deactivateUser, ({ params }) => accounts.deactivateUser(params.id));
  on(ops.me, ({ user }) => accounts.me(user.id));
  on(ops.lookupOrgs, ({ query }) => accounts.lookupOrgs(query));
  on(ops.createUser, ({ body }) => accounts.adminCreateUser(config, body));
  return router;
}
