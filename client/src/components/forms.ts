import type { z } from 'zod';
import type { I18n } from '../i18n/I18nProvider';

/** Field errors keyed by the path the server uses: `body.org.creditCode`. */
export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

function localizeIssue(issue: Issue, i18n: I18n): string {
  const { t, tMessage } = i18n;
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
      return tMessage(issue.message);
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
  i18n: I18n,
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
