import type { ReactNode } from 'react';
import type { z } from 'zod';
import { FormActions } from './FormActions';
import { ReasonField } from './ReasonField';
import { FormAlert, type PathFilter } from './ui';
import { useZodForm } from './useZodForm';

/**
 * A decision's reasons and its submit button (a rejection, a suspension, a refund request …): the
 * text goes through the shared schema as `{ reason }` (or as `toBody` builds it), then to `send`;
 * `onDone` follows when the server took it. Test ids: `<testId>-form`, `-reason`, `-submit`.
 */
export function ReasonForm<S extends z.ZodType>({
  schema,
  send,
  onDone,
  toBody = (reason) => ({ reason }),
  path = 'body.reason',
  shownPaths = [path],
  initial = '',
  label,
  hint,
  rows = 2,
  submitLabel,
  danger = false,
  showWorking,
  onCancel,
  testId,
  reasonTestId = `${testId}-reason`,
  alertTestId,
  className = 'form inline-form',
  children,
}: {
  schema: S;
  send: (body: z.output<S>) => Promise<unknown>;
  onDone?: () => void;
  toBody?: (reason: string) => unknown;
  /** Where the schema and the server put the reason's errors. */
  path?: string;
  shownPaths?: PathFilter;
  initial?: string;
  label: string;
  hint?: string;
  rows?: number;
  submitLabel: string;
  danger?: boolean;
  showWorking?: boolean;
  onCancel?: () => void;
  testId: string;
  reasonTestId?: string;
  alertTestId?: string;
  className?: string;
  /** What the form says above the reasons (a heading, a warning). */
  children?: ReactNode;
}) {
  const form = useZodForm({
    schema,
    defaultValues: { reason: initial },
    toBody: ({ reason }: { reason: string }) => toBody(reason),
  });
  const onSubmit = form.onSubmit(async (body) => {
    if (await form.submit(() => send(body))) onDone?.();
  });
  return (
    <form className={className} onSubmit={onSubmit} noValidate data-testid={`${testId}-form`}>
      {children}
      <ReasonField
        label={label}
        hint={hint}
        field={form.register('reason')}
        errors={form.errors}
        path={path}
        testId={reasonTestId}
        rows={rows}
      />
      <FormAlert form={form} shownPaths={shownPaths} testId={alertTestId} />
      <FormActions
        label={submitLabel}
        pending={form.pending}
        danger={danger}
        showWorking={showWorking}
        testId={`${testId}-submit`}
        onCancel={onCancel}
      />
    </form>
  );
}
