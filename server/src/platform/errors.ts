/** One issue of a failed validation, as problem+json `errors[]` carries it. */
export interface FieldError {
  path: string;
  message: string;
  /** zod's issue code, or the code of a message of the shared schemas (FIELD_MESSAGES); added when sent. */
  code?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

/**
 * The one error class of the platform. `code` is a stable slug (it becomes the problem `type`),
 * `detail` a sentence for humans; services throw these and the error handler renders them.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;

  constructor(
    code: string,
    status: number,
    detail: string,
    opts: { cause?: unknown; errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail, { cause: opts.cause });
    this.code = code;
    this.status = status;
    this.errors = opts.errors;
    this.extra = opts.extra;
  }
}

export const notFound = (what: string) => new AppError('not-found', 404, `${what} not found`);
export const forbidden = (detail = 'You may not do this') => new AppError('forbidden', 403, detail);
/** 409; `code` names the conflict when a client should tell it apart (the problem type's last segment). */
export const conflict = (detail: string, extra?: Record<string, unknown>, code = 'conflict') =>
  new AppError(code, 409, detail, { extra });
export const unprocessable = (code: string, detail: string, errors?: FieldError[]) =>
  new AppError(code, 422, detail, { errors });
