import { useState, type FormEvent } from 'react';
import { ConfirmTransferBody, RefundBody } from '@zdec/shared';
import { ordersApi } from '../../api/endpoints';
import type { OrderView } from '../../api/types';
import { validateWith } from '../../components/forms';
import { Field, FormAlert } from '../../components/ui';
import { useForm } from '../../components/useForm';
import { fenToYuanInput, parseYuan } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';

/** Exchange staff confirm that the bank transfer arrived: reference and amount as on the statement. */
export function ConfirmTransferForm({ order, onDone }: { order: OrderView; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const form = useForm();
  const [bankReference, setReference] = useState('');
  const [amount, setAmount] = useState(fenToYuanInput(order.amountFen));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const amountFen = parseYuan(amount);
    const result = validateWith(ConfirmTransferBody, { bankReference, amountFen: amountFen ?? undefined }, i18n);
    if (amountFen === null || !result.ok) {
      form.setErrors({
        ...(result.ok ? {} : result.errors),
        ...(amountFen === null ? { 'body.amountFen': t('validation.yuan') } : {}),
      });
      return;
    }
    if (await form.submit(() => ordersApi.confirmTransfer(order.id, result.data))) onDone();
  }

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate data-testid="confirm-transfer-form">
      <div className="grid-2">
        <Field label={t('orders.bankReference')} path="body.bankReference" errors={form.errors} required>
          {(p) => (
            <input
              {...p}
              spellCheck={false}
              value={bankReference}
              onChange={(e) => setReference(e.target.value)}
              data-testid="confirm-reference"
            />
          )}
        </Field>
        <Field
          label={t('orders.receivedAmount')}
          path="body.amountFen"
          errors={form.errors}
          hint={t('orders.receivedAmountHint')}
          required
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              data-testid="confirm-amount"
            />
          )}
        </Field>
      </div>
      <FormAlert form={form} shownPaths={['body.bankReference', 'body.amountFen']} testId="confirm-error" />
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.pending} data-testid="confirm-submit">
          {form.pending ? t('common.working') : t('orders.confirmTransfer')}
        </button>
      </div>
    </form>
  );
}

/** Exchange staff refund a settled order; the ledger records a negative entry. */
export function RefundForm({ order, onDone }: { order: OrderView; onDone: () => void }) {
  const { t } = useI18n();
  const form = useForm();
  const [reason, setReason] = useState('');

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = form.check(RefundBody, { reason });
    if (!body) return;
    if (await form.submit(() => ordersApi.refund(order.id, body.reason))) onDone();
  }

  return (
    <form className="form inline-form" onSubmit={onSubmit} noValidate data-testid="refund-form">
      <Field label={t('orders.refundReason')} path="body.reason" errors={form.errors} required>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="refund-reason"
          />
        )}
      </Field>
      <FormAlert form={form} shownPaths={['body.reason']} testId="refund-error" />
      <div className="form__actions">
        <button type="submit" className="btn btn--danger" disabled={form.pending} data-testid="refund-submit">
          {form.pending ? t('common.working') : t('orders.refund')}
        </button>
      </div>
    </form>
  );
}

export const canConfirm = (o: OrderView) => o.status === 'pending_payment' && o.paymentMethod === 'bank_transfer';
export const canRefund = (o: OrderView) => o.status === 'paid' || o.status === 'delivered';
