import type { z, ZodType } from 'zod';
import type { ExchangeDuty, Role } from '../constants';

export type Method = 'get' | 'post' | 'patch' | 'delete';

/**
 * Who may call an operation, as the route enforces it before any handler runs:
 * - `public`: no token needed, and none is read;
 * - `public-or-signed-in`: public, but a valid token is read (owners and staff see more);
 * - `signed-in`: any role; the service decides what the caller may see (ownership, role views);
 * - a list of roles: 403 for every other role. `duty` narrows exchange users to one duty.
 */
export type Access = 'public' | 'public-or-signed-in' | 'signed-in' | { roles: readonly Role[]; duty?: ExchangeDuty };

/** What an operation answers with on success: a JSON body, no body, or a file/stream of a media type. */
export type Reply =
  | { json: ZodType; status?: 200 | 201 | 202 }
  | { empty: true; status: 204 }
  | { produces: string; status?: 200; description: string };

/**
 * One operation of the HTTP API, declared once. The server mounts its Express chain from it, the
 * OpenAPI document is generated from it and the client's calls are typed by it. (Its examples are
 * kept beside the OpenAPI generator, server/src/platform/http/examples.ts, out of the client bundle.)
 */
export interface Operation<
  P extends ZodType | undefined = ZodType | undefined,
  Q extends ZodType | undefined = ZodType | undefined,
  B extends ZodType | undefined = ZodType | undefined,
  R extends Reply = Reply,
  A extends Access = Access,
> {
  method: Method;
  /** OpenAPI form: `/listings/{id}/review` (relative to /api/v1). */
  path: string;
  tag: string;
  summary: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart upload of one file in the field `file` (instead of a JSON body). */
  upload?: 'file';
  /** Request headers the operation reads (documented; validated by its handler). */
  headers?: Record<string, { schema: ZodType; required?: boolean; description: string }>;
  reply: R;
}

/** Declares an operation, keeping its schema types for the server's handler and the client's call. */
export function operation<
  P extends ZodType | undefined = undefined,
  Q extends ZodType | undefined = undefined,
  B extends ZodType | undefined = undefined,
  R extends Reply = Reply,
  const A extends Access = Access,
>(op: Operation<P, Q, B, R, A>): Operation<P, Q, B, R, A> {
  return op;
}

type Out<S> = S extends ZodType ? z.output<S> : undefined;

/** What a handler receives once the route has validated the request. */
export type ParsedInput<O> =
  O extends Operation<infer P, infer Q, infer B, Reply, Access>
    ? { params: Out<P>; query: Out<Q>; body: Out<B> }
    : never;

/** The JSON body an operation answers with (as sent: dates are ISO strings). */
export type ReplyBody<O> =
  O extends Operation<ZodType | undefined, ZodType | undefined, ZodType | undefined, infer R, Access>
    ? R extends { json: infer S }
      ? S extends ZodType
        ? z.input<S>
        : never
      : undefined
    : never;

/** `/listings/{id}` → `/listings/:id` (Express form). */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The path with its parameters filled in (each percent-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`path parameter ${name} missing for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** `GET /listings/{id}` */
export function operationKey(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
