import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { ExchangeDuty, Role } from '@zdec/shared';
import type { Config } from '../../config';
import { AppError } from '../errors';

/** Who is calling, as every protected handler sees it (`req.user`). */
export interface Principal {
  id: string;
  role: Role;
  orgId: string;
  email: string;
  /** Exchange staff only: their duty (separation of duties). */
  duty?: ExchangeDuty;
}

/** The duty of an exchange user; one stored without a duty (created before the split) reviews. */
export function exchangeDuty(u: { role: string; duty?: string | null }): ExchangeDuty | undefined {
  if (u.role !== 'exchange') return undefined;
  return u.duty === 'clearing' ? 'clearing' : 'review';
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends Principal {}
  }
}

const ALGORITHM = 'HS256' as const;

/**
 * Signs a bearer token for a user: pinned algorithm, expiry, issuer and audience, and the user's
 * token version (`ver`), which logout, a password change and deactivation raise to end older tokens.
 */
export function signToken(
  config: Config,
  user: { id: string; role: Role; orgId: string; tokenVersion?: number },
): string {
  return jwt.sign({ role: user.role, org: user.orgId, ver: user.tokenVersion ?? 0 }, config.JWT_SECRET, {
    algorithm: ALGORITHM,
    subject: user.id,
    expiresIn: config.JWT_EXPIRES_IN_SECONDS,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
}

export interface AuthMiddleware {
  /** 401 unless a valid bearer token of an active user comes with the request. */
  requireAuth: RequestHandler;
  /** Sets `req.user` when a valid token comes along; never refuses (for public routes that show owners more). */
  optionalAuth: RequestHandler;
}

/**
 * The principal a token's user and token version stand for, or null when the user is unknown,
 * inactive or the version is no longer theirs (the accounts module answers it).
 */
export type FindActivePrincipal = (userId: string, tokenVersion: number) => Promise<Principal | null>;

/** Builds the passport-jwt strategy for one app; the user is re-read so a deactivated account stops at once. */
export function createAuth(config: Config, findActivePrincipal: FindActivePrincipal): AuthMiddleware {
  const passport = new Passport();
  passport.use(
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKey: config.JWT_SECRET,
        algorithms: [ALGORITHM],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      },
      (
        payload: { sub?: unknown; exp?: unknown; ver?: unknown },
        done: (err: unknown, user?: Principal | false) => void,
      ) => {
        if (typeof payload.sub !== 'string' || !/^[a-f0-9]{24}$/.test(payload.sub)) return done(null, false);
        // jsonwebtoken checks `exp` only when it is there: a token without one would never expire.
        if (typeof payload.exp !== 'number' || typeof payload.ver !== 'number') return done(null, false);
        const ver = payload.ver;
        findActivePrincipal(payload.sub, ver)
          .then((user) => done(null, user ?? false))
          .catch(done);
      },
    ),
  );

  const authenticate =
    (required: boolean): RequestHandler =>
    (req, res, next) => {
      if (!required && !req.headers.authorization) return next();
      passport.authenticate('jwt', { session: false }, (err: unknown, user: Principal | false) => {
        if (err) return next(err);
        if (!user) {
          if (!required) return next();
          res.setHeader('WWW-Authenticate', 'Bearer');
          return next(new AppError('unauthorized', 401, 'A valid bearer token is required'));
        }
        req.user = user;
        next();
      })(req, res, next);
    };

  return { requireAuth: authenticate(true), optionalAuth: authenticate(false) };
}

/** 403 unless the authenticated user has one of the roles. Goes after `requireAuth`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) throw new AppError('unauthorized', 401, 'A valid bearer token is required');
    if (!roles.includes(req.user.role)) {
      throw new AppError('forbidden', 403, `This needs one of the roles: ${roles.join(', ')}`);
    }
    next();
  };
}

/**
 * 403 when an exchange user lacks the duty (separation of duties, issue 12 #8); callers of other
 * roles pass through to the route's own role check. Goes after `requireRole`.
 */
export function requireDuty(duty: ExchangeDuty): RequestHandler {
  return (req, _res, next) => {
    if (req.user?.role === 'exchange' && exchangeDuty(req.user) !== duty) {
      throw new AppError(
        'forbidden',
        403,
        `This is the exchange's ${duty} work; your duty is ${exchangeDuty(req.user)} (separation of duties)`,
      );
    }
    next();
  };
}

/** The authenticated principal; only for handlers behind `requireAuth`. */
export function principal(req: Express.Request): Principal {
  if (!req.user) throw new AppError('unauthorized', 401, 'A valid bearer token is required');
  return req.user;
}
