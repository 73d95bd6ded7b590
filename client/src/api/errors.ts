import { Problem } from '@zdec/shared';

export interface FieldError {
  path: string;
  message: string;
  /** A stable code for the message (a shared schema's FIELD_MESSAGES code or zod's issue code). */
  code?: string;
}

/**
 * Every failed call ends in one of these: an RFC 9457 problem from the server, or a synthetic one
 * for network failures (status 0) and responses that were not problem documents.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors: FieldError[];
  /** The whole problem document, members beyond RFC 9457's included (e.g. a review `checklist`). */
  readonly body: Record<string, unknown>;

  constructor(
    problem: { status: number; type: string; title: string; detail?: string; errors?: FieldError[] },
    body: Record<string, unknown> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.body = body;
  }

  /** The problem type's last segment (`urn:zdec:problem:validation` → `validation`). */
  get code(): string {
    return this.type.split(':').pop() ?? this.type;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** Field errors keyed by path (`body.org.creditCode`). The first error per path wins. */
  fieldErrors(): Record<string, FieldError> {
    const out: Record<string, FieldError> = {};
    for (const e of this.errors) if (!(e.path in out)) out[e.path] = e;
    return out;
  }

  static network(cause: unknown): ApiError {
    const err = new ApiError({ status: 0, type: 'urn:zdec:problem:network', title: 'Network error' });
    (err as { cause?: unknown }).cause = cause;
    return err;
  }

  /** Builds the error from a response body that may or may not be a problem document. */
  static fromBody(status: number, statusText: string, body: unknown): ApiError {
    const parsed = Problem.safeParse(body);
    if (parsed.success) return new ApiError(parsed.data, body as Record<string, unknown>);
    return new ApiError({ status, type: `urn:zdec:problem:http-${status}`, title: statusText || `HTTP ${status}` });
  }
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return ApiError.network(err);
}
