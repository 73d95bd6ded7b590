import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { fieldMessageCode } from '@zdec/shared';
import { AppError, statusTitle, type FieldError } from '../errors';
import { isDuplicateKey } from '../db';

const PROBLEM_TYPE = 'urn:zdec:problem:';

/** Writes an RFC 9457 problem document. */
export function sendProblem(
  res: Response,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
  extra?: Record<string, unknown>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: PROBLEM_TYPE + code,
        title: statusTitle(status),
        status,
        detail,
        ...(errors && errors.length ? { errors: errors.map(withCode) } : {}),
        ...(extra ?? {}),
        instance: res.req.originalUrl,
        requestId: res.req.id,
      }),
    );
}

/** A field error with the stable code of its message where the shared schemas define one (else zod's issue code, if any). */
function withCode(e: FieldError): FieldError {
  const code = fieldMessageCode(e.message) ?? e.code;
  return code ? { ...e, code } : e;
}

/** Issues that are about the shape of the request (wrong type, unknown key) are 400; the rest 422. */
const SHAPE_ISSUES = new Set(['invalid_type', 'unrecognized_keys', 'invalid_union']);

export function zodToFieldErrors(err: ZodError, prefix = ''): FieldError[] {
  return err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: i.message,
    code: i.code,
  }));
}

export function zodStatus(err: ZodError): 400 | 422 {
  return err.issues.some((i) => SHAPE_ISSUES.has(i.code)) ? 400 : 422;
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}
interface MulterLikeError extends Error {
  code?: string;
  field?: string;
}

/** Maps every error to problem+json; nothing internal reaches the client. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  if (err instanceof AppError) {
    if (err.status >= 500) req.log?.error({ err }, err.message);
    return sendProblem(res, err.status, err.code, err.message, err.errors, err.extra);
  }
  if (err instanceof ZodError) {
    return sendProblem(res, zodStatus(err), 'validation', 'The request is not valid', zodToFieldErrors(err));
  }
  if (err instanceof mongoose.Error.CastError) {
    return sendProblem(res, 400, 'bad-id', `Invalid value for ${err.path}`);
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const errors = Object.entries(err.errors).map(([path, e]) => ({ path, message: e.message }));
    return sendProblem(res, 422, 'validation', 'The record is not valid', errors);
  }
  const e = err as BodyParserError & MulterLikeError & { code?: unknown };
  if (e && typeof e === 'object') {
    const code: unknown = e.code;
    if (isDuplicateKey(e) && (code === 11000 || code === 11001 || e.name === 'MongoServerError')) {
      return sendProblem(res, 409, 'duplicate', 'A record with the same unique value already exists');
    }
    switch (e.type) {
      case 'entity.parse.failed':
        return sendProblem(res, 400, 'malformed-json', 'The request body is not valid JSON');
      case 'entity.too.large':
        return sendProblem(res, 413, 'too-large', 'The request body is too large');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return sendProblem(res, 415, 'unsupported-encoding', e.message);
      case 'request.aborted':
        return sendProblem(res, 400, 'aborted', 'The request was aborted');
    }
    if (e.name === 'MulterError') {
      if (e.code === 'LIMIT_FILE_SIZE') return sendProblem(res, 413, 'too-large', 'The file is too large');
      return sendProblem(res, 400, 'bad-upload', `Upload refused: ${e.message}${e.field ? ` (${e.field})` : ''}`);
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendProblem(
        res,
        e.status,
        'bad-request',
        (e as { expose?: boolean }).expose === false ? statusTitle(e.status) : e.message,
      );
    }
  }
  req.log?.error({ err }, 'unhandled error');
  return sendProblem(res, 500, 'internal', 'An unexpected error occurred; quote the request id when reporting it');
};

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, 'no-route', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
};
