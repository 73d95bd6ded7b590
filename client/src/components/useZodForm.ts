import { useCallback, useState, type FormEvent } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
} from 'react-hook-form';
import type { z } from 'zod';
import { asApiError, type ApiError } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import { checkForm, errorTree, flattenErrors, problemPath, type FieldErrors } from './forms';

export interface ZodForm<V extends FieldValues, B, R = V> extends UseFormReturn<V, unknown, B> {
  /** The errors to show, keyed by the server's path (`body.org.creditCode`): the schema's, then the server's. */
  errors: FieldErrors;
  problem: ApiError | undefined;
  pending: boolean;
  /**
   * The form's submit handler: validates with the shared schema, then runs `send` with the parsed
   * body and the body as built from the fields (for calls that send it as typed, dates as text).
   */
  onSubmit: (send: (body: B, built: R) => unknown) => (e?: FormEvent) => Promise<void>;
  /** Runs the call (undefined when it failed); a problem answer puts its field errors next to the fields and the rest in the alert. */
  submit: <T>(call: () => Promise<T>) => Promise<{ value: T } | undefined>;
  /** Shows errors found by the form itself (beyond the schema) and clears any earlier problem. */
  setErrors: (errors: FieldErrors) => void;
}

/**
 * A form on react-hook-form whose values go through the shared zod schema the server validates with
 * (messages translated as the i18n does), and whose server problem puts its field errors next to
 * the fields (`setError` by path) and the rest in the form's alert. Values are only checked on
 * submit; `toBody` builds the request body from the fields when they differ (optional parts, yuan
 * typed for fen), and `refine` adds what the form finds itself (an amount it could not read),
 * shown with the schema's errors and keeping the body from being sent.
 */
export function useZodForm<V extends FieldValues, S extends z.ZodType, R = V>({
  schema,
  defaultValues,
  toBody,
  refine,
}: {
  schema: S;
  defaultValues: DefaultValues<V>;
  toBody?: (values: V) => R;
  refine?: (values: V) => FieldErrors;
}): ZodForm<V, z.output<S>, R> {
  const i18n = useI18n();
  const [problem, setProblem] = useState<ApiError>();
  const [pending, setPending] = useState(false);

  const resolver = useCallback<Resolver<V, unknown, z.output<S>>>(
    (values) => {
      const result = checkForm(schema, toBody ? toBody(values) : values, i18n, refine?.(values));
      return result.ok
        ? { values: result.data, errors: {} }
        : { values: {}, errors: errorTree(result.errors) as never };
    },
    [schema, toBody, refine, i18n],
  );

  const form = useForm<V, unknown, z.output<S>>({
    resolver,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
    shouldFocusError: false,
  });
  const { handleSubmit, setError, clearErrors } = form;
  const errors = flattenErrors(form.formState.errors);

  const showErrors = useCallback(
    (next: FieldErrors) => {
      clearErrors();
      for (const [path, message] of Object.entries(next)) setError(path as Path<V>, { type: 'form', message });
    },
    [clearErrors, setError],
  );

  const submit = useCallback(
    async <T>(call: () => Promise<T>): Promise<{ value: T } | undefined> => {
      setPending(true);
      setProblem(undefined);
      try {
        const value = await call();
        clearErrors();
        return { value };
      } catch (e) {
        const err = asApiError(e);
        const fieldErrors: FieldErrors = {};
        for (const [path, error] of Object.entries(err.fieldErrors())) {
          fieldErrors[problemPath(path)] = i18n.tField(error);
        }
        showErrors(fieldErrors);
        setProblem(err);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [clearErrors, showErrors, i18n],
  );

  const { getValues } = form;
  const onSubmit = useCallback(
    (send: (body: z.output<S>, built: R) => unknown) =>
      handleSubmit(
        async (body) => {
          const values = getValues();
          await send(body, toBody ? toBody(values) : (values as unknown as R));
        },
        () => setProblem(undefined),
      ),
    [handleSubmit, getValues, toBody],
  );

  const setErrors = useCallback(
    (next: FieldErrors) => {
      showErrors(next);
      setProblem(undefined);
    },
    [showErrors],
  );

  return { ...form, errors, problem, pending, onSubmit, submit, setErrors };
}
