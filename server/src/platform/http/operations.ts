import type { Request, RequestHandler, Response, Router } from 'express';
import type { ZodType } from 'zod';
import { expressPath, operationKey, type Access, type Operation, type ParsedInput, type Reply } from '@zdec/shared';
import { AppError } from '../errors';
import type { AuthMiddleware, Principal } from './auth';
import { requireDuty, requireRole } from './auth';
import { zodToFieldErrors } from './problem';
import { validate } from './validate';

type UserOf<A extends Access> = A extends 'public'
  ? undefined
  : A extends 'public-or-signed-in'
    ? Principal | undefined
    : Principal;

type AccessOf<O> = O extends { access: infer A extends Access } ? A : never;
type ReplyOf<O> = O extends { reply: infer R extends Reply } ? R : never;

/** What a handler gets: the validated request parts and the caller. */
export type Input<O> = ParsedInput<O> & { user: UserOf<AccessOf<O>> };

/**
 * A handler returns the JSON body of a `json` reply (the route sends it with the declared status
 * and, under test, checks it against the declared schema: services return Dates and ObjectIds,
 * which the schema sees as the strings they serialise to); for `produces` and `empty` replies it
 * writes the response itself.
 */
export type Handler<O> = (
  input: Input<O>,
  req: Request,
  res: Response,
) => Promise<ReplyOf<O> extends { json: ZodType } ? unknown : void>;

/** A JSON body with another status than the declared one (a replayed create answers 200, not 201). */
export class WithStatus {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
export function withStatus(status: number, body: unknown): WithStatus {
  return new WithStatus(status, body);
}

function accessChain(auth: AuthMiddleware, access: Access): RequestHandler[] {
  if (access === 'public') return [];
  if (access === 'public-or-signed-in') return [auth.optionalAuth];
  if (access === 'signed-in') return [auth.requireAuth];
  const chain = [auth.requireAuth, requireRole(...access.roles)];
  if (access.duty) chain.push(requireDuty(access.duty));
  return chain;
}

/**
 * The route's own middlewares: `before` run after the access check and before validation (rate
 * limiters that count refused requests too), `after` between validation and the handler (uploads).
 * A bare array means `after`.
 */
export type Middlewares = RequestHandler[] | { before?: RequestHandler[]; after?: RequestHandler[] };

export interface OperationRouter {
  /** Mounts one operation: `method path → access → before → validate(params, query, body) → after → handler`. */
  on<O extends Operation>(op: O, handler: Handler<O>): void;
  on<O extends Operation>(op: O, middlewares: Middlewares, handler: Handler<O>): void;
}

/**
 * The route chains of a router, each derived from its operation in the shared registry: the registry
 * says who may call it and what it takes and answers; the router line names the service that does it.
 */
export function operationRouter(
  router: Router,
  auth: AuthMiddleware,
  opts: { CHECK_RESPONSES: boolean },
): OperationRouter {
  return {
    on<O extends Operation>(op: O, a: Middlewares | Handler<O>, b?: Handler<O>) {
      const given = typeof a === 'function' ? {} : Array.isArray(a) ? { after: a } : a;
      const handler = (typeof a === 'function' ? a : b) as Handler<O>;
      const reply = op.reply;
      const run: RequestHandler = async (req, res) => {
        const input = {
          params: res.locals.params,
          query: res.locals.query,
          body: res.locals.body,
          user: req.user,
        } as Input<O>;
        const out = await handler(input, req, res);
        if ('json' in reply) {
          if (res.headersSent) return; // answered by itself (e.g. a redirect)
          const [status, body] = out instanceof WithStatus ? [out.status, out.body] : [reply.status ?? 200, out];
          if (opts.CHECK_RESPONSES) checkReply(op, reply.json, body);
          res.status(status).json(body);
        } else if ('empty' in reply && !res.headersSent) {
          res.status(204).end();
        }
      };
      const schemas = { params: op.params, query: op.query, body: op.body };
      router[op.method](
        expressPath(op.path),
        ...accessChain(auth, op.access),
        ...(given.before ?? []),
        validate(schemas),
        ...(given.after ?? []),
        run,
      );
    },
  };
}

/**
 * Under test every JSON reply is checked against its declared schema, as the client will read it
 * (after JSON serialisation): a reply that drifts from the registry fails the test that caused it.
 */
function checkReply(op: Operation, schema: ZodType, body: unknown): void {
  const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = schema.safeParse(sent);
  if (!result.success) {
    throw new AppError('response-schema', 500, `The reply of ${operationKey(op)} does not match its declared schema`, {
      errors: zodToFieldErrors(result.error, 'reply'),
    });
  }
}
