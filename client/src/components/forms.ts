import { fieldMessageCode } from '@zdec/shared';
import type { z } from 'zod';
import type { MessageKey } from '../i18n/zh';

/** What validation needs of the i18n (`useI18n()` is one): messages by key, and field errors by code. */
export interface Localize {
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  tField: (error: { message: string; code?: string }) => string;
}

/** Field errors keyed by the path the server uses: `body.org.creditCode`. */
export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

function localizeIssue(issue: Issue, i18n: Localize): string {
  const { t, tField } = i18n;
  switch (issue.code) {
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? t('validation.required') : t('validation.minChars', { n });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { n });
      return t('validation.minNumber', { n });
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation.maxChars', { n });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { n });
      return t('validation.maxNumber', { n });
    }
    case 'invalid_type':
      return issue.input === undefined ? t('validation.required') : t('validation.invalid');
    case 'invalid_value':
      return t('validation.choose');
    case 'unrecognized_keys':
      return t('validation.invalid');
    default:
      // A shared schema's own message: the same table the server takes its code from.
      return tField({ message: issue.message, code: fieldMessageCode(issue.message) });
  }
}

/** `body` + `['org', 'creditCode']` → `body.org.creditCode` (the server's spelling). */
export function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.') || '(root)';
}

/**
 * Validates a request body with the same shared zod schema the server uses, before sending it.
 * Errors come back keyed like the server's problem `errors[].path`, so one display serves both.
 */
export function validateWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  i18n: Localize,
  prefix = 'body',
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issuePath(prefix, issue.path);
    if (!(path in errors)) errors[path] = localizeIssue(issue, i18n);
  }
  return { ok: false, errors };
}

/**
 * The shared schema's check of a form's body plus what the form found itself (`extra`, e.g. an
 * amount it could not read), shown together; the body is only valid when neither found anything.
 */
export function checkForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  i18n: Localize,
  extra: FieldErrors = {},
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = validateWith(schema, body, i18n);
  const errors = { ...(result.ok ? {} : result.errors), ...extra };
  if (result.ok && Object.keys(errors).length === 0) return result;
  return { ok: false, errors };
}

/** A problem's error path as the form keys it: some services name body fields without the `body.` prefix. */
export function problemPath(path: string): string {
  return /^(body|query|params|rules)\./.test(path) || path === '(root)' ? path : `body.${path}`;
}

/** Errors as react-hook-form holds them, each keyed by its whole path at the top level. */
export function errorTree(errors: FieldErrors): Record<string, { type: string; message: string }> {
  return Object.fromEntries(Object.entries(errors).map(([path, message]) => [path, { type: 'schema', message }]));
}

/**
 * react-hook-form's errors (leaves carry a `type`; `setError('body.org.name')` nests them) back to
 * dotted paths, so the schema's, the form's and the server's errors show by the same keys.
 */
export function flattenErrors(tree: unknown, prefix = '', out: FieldErrors = {}): FieldErrors {
  if (!tree || typeof tree !== 'object') return out;
  for (const [key, node] of Object.entries(tree as Record<string, unknown>)) {
    if (!node || typeof node !== 'object') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const leaf = node as { type?: unknown; message?: unknown };
    if (typeof leaf.type === 'string') {
      if (typeof leaf.message === 'string' && !(path in out)) out[path] = leaf.message;
    } else flattenErrors(node, path, out);
  }
  return out;
}
