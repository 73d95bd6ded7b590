import { useState, type ReactNode } from 'react';
import { ConfirmTransferBody, RefundBody, RefundDeclineBody, RefundRequestBody } from '@zdec/shared';
import { ordersApi } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';
import type { OrderView } from '../../api/types';
import { TextField } from '../../components/TextField';
import { Facts, Field } from '../../components/ui';
import type { FieldErrors } from '../../components/forms';
import { ReasonForm } from '../../components/ReasonForm';
import { useZodForm } from '../../components/useZodForm';
import { useChange } from '../../components/useChange';
import { fenToYuanInput, parseYuan } from '../../i18n/format';
import { useI18n, type MessageKey } from '../../i18n/I18nProvider';
import { FormFooter } from '../../components/FormActions';

/** What a settlement or a refund changes: the order (its lists and the refund queue) and the ledger. */
const SETTLEMENT_CHANGES = [keys.orders.all, keys.ledger.all];

/** Exchange staff confirm that the bank transfer arrived: reference and amount as on the statement. */
export function ConfirmTransferForm({ order, onDone }: { order: OrderView; onDone?: () => void }) {
  const { t } = useI18n();
  const form = useZodForm({
    schema: ConfirmTransferBody,
    defaultValues: { bankReference: '', amount: fenToYuanInput(order.amountFen) },
    toBody: ({ bankReference, amount }: { bankReference: string; amount: string }) => ({
      bankReference,
      amountFen: parseYuan(amount) ?? undefined,
    }),
    refine: ({ amount }): FieldErrors => (parseYuan(amount) === null ? { 'body.amountFen': t('validation.yuan') } : {}),
  });
  const confirm = useChange(
    (body: ConfirmTransferBody) => ordersApi.confirmTransfer(order.id, body),
    SETTLEMENT_CHANGES,
  );

  const onSubmit = form.onSubmit(async (body) => {
    if (await form.submit(() => confirm.mutateAsync(body))) onDone?.();
  });

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate data-testid="confirm-transfer-form">
      <div className="grid-2">
        <TextField
          label={t('orders.bankReference')}
          path="body.bankReference"
          errors={form.errors}
          field={form.register('bankReference')}
          testId="confirm-reference"
        />
        <Field
          label={t('orders.receivedAmount')}
          path="body.amountFen"
          errors={form.errors}
          hint={t('orders.receivedAmountHint')}
          required
        >
          {(p) => <input {...p} inputMode="decimal" {...form.register('amount')} data-testid="confirm-amount" />}
        </Field>
      </div>
      <FormFooter
        form={form}
        shownPaths={['body.bankReference', 'body.amountFen']}
        alertTestId="confirm-error"
        label={t('orders.confirmTransfer')}
        testId="confirm-submit"
      />
    </form>
  );
}

/**
 * Exchange staff refund a settled order; the ledger records a negative entry. An order paid by
 * bank transfer is refunded by a transfer back, whose reference the server requires.
 */
export function RefundForm({ order, onDone }: { order: Pick<OrderView, 'id' | 'paymentMethod'>; onDone?: () => void }) {
  const { t } = useI18n();
  const byTransfer = order.paymentMethod === 'bank_transfer';
  const form = useZodForm({
    schema: RefundBody,
    defaultValues: { reason: '', bankReference: '' },
    toBody: ({ reason, bankReference }: { reason: string; bankReference: string }) => ({
      reason,
      ...(byTransfer ? { bankReference } : {}),
    }),
  });
  const refund = useChange((body: RefundBody) => ordersApi.refund(order.id, body), SETTLEMENT_CHANGES);

  const onSubmit = form.onSubmit(async (body) => {
    if (await form.submit(() => refund.mutateAsync(body))) onDone?.();
  });

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate data-testid="refund-form">
      <TextField
        label={t('orders.refundReason')}
        path="body.reason"
        errors={form.errors}
        field={form.register('reason')}
        testId="refund-reason"
        multiline
      />
      {byTransfer && (
        <TextField
          label={t('orders.refundBankReference')}
          path="body.bankReference"
          errors={form.errors}
          field={form.register('bankReference')}
          testId="refund-bank-reference"
          hint={t('orders.refundBankReferenceHint')}
        />
      )}
      <FormFooter
        form={form}
        shownPaths={['body.reason', 'body.bankReference']}
        alertTestId="refund-error"
        label={t('orders.refund')}
        testId="refund-submit"
        danger
      />
    </form>
  );
}

/** Clearing staff decline a buyer's open refund request, with reasons the buyer reads. */
export function DeclineRefundForm({ orderId, onDone }: { orderId: string; onDone?: () => void }) {
  const { t } = useI18n();
  const decline = useChange(
    (body: RefundDeclineBody) => ordersApi.declineRefundRequest(orderId, body),
    [keys.orders.all],
  );
  return (
    <ReasonForm
      schema={RefundDeclineBody}
      label={t('refunds.declineReason')}
      submitLabel={t('refunds.decline')}
      testId="refund-decline"
      alertTestId="refund-decline-error"
      send={decline.mutateAsync}
      onDone={onDone}
    />
  );
}

/**
 * The buyer's refund request on its settled order (申请退款): its state once made (open, declined
 * with the clearing desk's reasons, refunded), and the form to make one — again after a decline.
 */
export function RefundRequestSection({
  order: o,
  asBuyer,
}: {
  order: OrderView;
  /** The buyer may ask (others see the state only). */
  asBuyer: boolean;
}) {
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const ask = useChange((body: RefundRequestBody) => ordersApi.requestRefund(o.id, body), [keys.orders.all]);
  const r = o.refundRequest;
  const mayAsk = asBuyer && canRefund(o) && (!r || r.status === 'declined');
  return (
    <section className="card" aria-labelledby="order-refund-request" data-testid="refund-request">
      <h2 id="order-refund-request">{t('refunds.title')}</h2>
      {r ? (
        <div data-testid="refund-request-state" data-status={r.status}>
          <Facts
            items={[
              [t('refunds.state'), <RefundRequestBadge status={r.status} />],
              [t('refunds.reason'), r.reason],
              [t('refunds.requestedAt'), dateTime(r.at)],
              ...(r.decision
                ? ([
                    [t('refunds.decisionReason'), r.decision.reason || '—'],
                    [t('refunds.decidedAt'), dateTime(r.decision.at)],
                  ] as [string, ReactNode][])
                : []),
            ]}
          />
          {r.status === 'open' && <p className="muted">{t('refunds.openNote')}</p>}
        </div>
      ) : (
        <p className="muted">{t('refunds.intro')}</p>
      )}
      {mayAsk &&
        (open ? (
          <ReasonForm
            schema={RefundRequestBody}
            label={t('refunds.reason')}
            hint={t('refunds.reasonHint')}
            submitLabel={t('refunds.submit')}
            testId="refund-request"
            alertTestId="refund-request-error"
            send={ask.mutateAsync}
            onDone={() => setOpen(false)}
          />
        ) : (
          <p className="actions">
            <button
              type="button"
              className="btn btn--secondary"
              onClick={() => setOpen(true)}
              data-testid="refund-request-open"
            >
              {r ? t('refunds.requestAgain') : t('refunds.request')}
            </button>
          </p>
        ))}
    </section>
  );
}

const REQUEST_TONE: Record<string, string> = { open: 'warn', declined: 'muted', refunded: 'bad' };

export function RefundRequestBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span
      className={`badge badge--${REQUEST_TONE[status] ?? 'info'}`}
      data-testid="refund-request-status"
      data-value={status}
    >
      {t(`refunds.status.${status}` as MessageKey)}
    </span>
  );
}

export const canConfirm = (o: OrderView) => o.status === 'pending_payment' && o.paymentMethod === 'bank_transfer';
export const canRefund = (o: OrderView) => o.status === 'paid' || o.status === 'delivered';
