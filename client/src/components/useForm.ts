import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { asApiError, type ApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { validateWith, type FieldErrors } from './forms';

export interface FormState {
  errors: FieldErrors;
  problem: ApiError | undefined;
  pending: boolean;
  /** Validates `value` with the shared schema; on failure shows the errors and returns undefined. */
  check: <S extends z.ZodType>(schema: S, value: unknown, prefix?: string) => z.output<S> | undefined;
  /** Runs the call (undefined when it failed); a problem answer puts its field errors next to the fields and the rest in the alert. */
  submit: <T>(call: () => Promise<T>) => Promise<{ value: T } | undefined>;
  setErrors: (errors: FieldErrors) => void;
  reset: () => void;
}

export function useForm(): FormState {
  const i18n = useI18n();
  const [errors, setErrorsState] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiError>();
  const [pending, setPending] = useState(false);

  const check = useCallback(
    <S extends z.ZodType>(schema: S, value: unknown, prefix = 'body') => {
      const result = validateWith(schema, value, i18n, prefix);
      if (result.ok) {
        setErrorsState({});
        return result.data;
      }
      setErrorsState(result.errors);
      setProblem(undefined);
      return undefined;
    },
    [i18n],
  );

  const submit = useCallback(
    async <T>(call: () => Promise<T>): Promise<{ value: T } | undefined> => {
      setPending(true);
      setProblem(undefined);
      try {
        const value = await call();
        setErrorsState({});
        return { value };
      } catch (e) {
        const err = asApiError(e);
        const fieldErrors: FieldErrors = {};
        for (const [path, message] of Object.entries(err.fieldErrors())) {
          // Some services name body fields without the `body.` prefix the validator uses.
          const key = /^(body|query|params|rules)\./.test(path) || path === '(root)' ? path : `body.${path}`;
          fieldErrors[key] = i18n.tMessage(message);
        }
        setErrorsState(fieldErrors);
        setProblem(err);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [i18n],
  );

  const reset = useCallback(() => {
    setErrorsState({});
    setProblem(undefined);
  }, []);

  /** Shows errors found by the form itself (beyond the schema) and clears any earlier problem. */
  const setErrors = useCallback((next: FieldErrors) => {
    setErrorsState(next);
    setProblem(undefined);
  }, []);

  return { errors, problem, pending, check, submit, setErrors, reset };
}
