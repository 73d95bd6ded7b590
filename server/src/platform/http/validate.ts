import type { RequestHandler, Response } from 'express';
import type { z, ZodType } from 'zod';
import { AppError } from '../errors';
import { zodStatus, zodToFieldErrors } from './problem';

type Part = 'body' | 'query' | 'params';
type Schemas = Partial<Record<Part, ZodType>>;

/**
 * Validates the named parts of the request and keeps the parsed values in `res.locals`
 * (`res.locals.body`, `.query`, `.params`), so no handler parses twice. Every issue is reported
 * with its path; shape errors are 400, value errors 422.
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const input: unknown = part === 'body' && req.body === undefined ? {} : req[part];
      const result = schema.safeParse(input);
      if (!result.success) {
        const status = zodStatus(result.error);
        throw new AppError('validation', status, `The request ${part} is not valid`, {
          errors: zodToFieldErrors(result.error, part),
        });
      }
      res.locals[part] = result.data;
    }
    next();
  };
}

/** The parsed value of a part validated by `validate`, typed by its schema. */
export function parsed<S extends ZodType>(res: Response, part: Part, _schema: S): z.infer<S> {
  return res.locals[part] as z.infer<S>;
}

/**
 * Refuses any key that starts with `$` or contains a `.` anywhere in the body or query:
 * such keys have no business in our API and are the stuff of operator injection.
 */
export const rejectOperatorKeys: RequestHandler = (req, _res, next) => {
  const bad = findOperatorKey(req.body, 'body') ?? findOperatorKey(req.query, 'query');
  if (bad) {
    throw new AppError('validation', 400, 'Keys starting with "$" or containing "." are not allowed', {
      errors: [{ path: bad, message: 'operator-like key refused' }],
    });
  }
  next();
};

function findOperatorKey(value: unknown, path: string, depth = 0): string | null {
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  if (Buffer.isBuffer(value)) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith('$') || k.includes('.')) return `${path}.${k}`;
    const found = findOperatorKey(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}
