import { useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ordersApi } from '../../api/endpoints';
import { asApiError, type ApiError } from '../../api/errors';
import { orderListing, paymentInstructions, type PaymentInstructions } from '../../api/refs';
import type { DeliveryView, OrderView } from '../../api/types';
import { useAuth } from '../../auth/AuthProvider';
import { AsyncBlock, Badge, Facts, Notice, PageHeader, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useInvalidate } from '../../components/useChange';
import { formatMoney } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import {
  canConfirm,
  canRefund,
  ConfirmTransferForm,
  DeclineRefundForm,
  RefundForm,
  RefundRequestSection,
} from './OrderActions';
import { StripePayment } from './StripePayment';
import { BusyButton } from '../../components/FormActions';
import { SandboxLink } from '../sandbox/SandboxLink'; // sandbox (issue 14)
import { ReceiptLink } from '../receipts/ReceiptPage'; // verifiable receipts (issue 15)

const ENV_PUBLISHABLE_KEY = import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY;

export function OrderDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: unknown } | null)?.created;
  const state = useQuery({ queryKey: keys.orders.detail(id), queryFn: ({ signal }) => ordersApi.get(id, signal) });
  return <AsyncBlock state={state}>{(order) => <OrderDetail order={order} created={created} />}</AsyncBlock>;
}

function OrderDetail({ order: o, created }: { order: OrderView; created: unknown }) {
  const { t, tEnum, dateTime, number } = useI18n();
  const { role, user } = useAuth();
  const listing = orderListing(o);
  const isBuyer = role === 'buyer';
  const settled = o.status === 'paid' || o.status === 'delivered';

  return (
    <div data-testid="order-detail" data-id={o.id} data-status={o.status}>
      <p className="breadcrumb">
        <Link to="/orders">{t('nav.orders')}</Link> / {o.number ?? o.id}
      </p>
      <PageHeader title={t('orders.detailTitle', { number: o.number ?? o.id.slice(-8) })} subtitle={listing.title} />
      {Boolean(created) && (
        <Notice kind="success" testId="order-created">
          {t('orders.created')}
        </Notice>
      )}
      <section className="card" aria-labelledby="order-facts">
        <h2 id="order-facts">{t('orders.summary')}</h2>
        <Facts
          items={[
            [t('orders.status'), <Badge kind="orderStatus" value={o.status} testId="order-status" />],
            [
              t('orders.product'),
              listing.id ? <Link to={`/listings/${listing.id}`}>{listing.title ?? listing.id}</Link> : listing.title,
            ],
            [t('listing.code'), <span className="code">{listing.code ?? '—'}</span>],
            [t('listing.deliveryMode'), tEnum('deliveryMode', o.snapshot?.deliveryMode)],
            [t('orders.unitPrice'), formatMoney(listing.priceFen)],
            [t('orders.quantity'), number(o.quantity)],
            [t('orders.amount'), <strong data-testid="order-amount">{formatMoney(o.amountFen)}</strong>],
            [t('orders.paymentMethod'), tEnum('paymentMethod', o.paymentMethod)],
            ...(o.payment?.bankReference
              ? [
                  [t('orders.bankReference'), <span className="code">{o.payment.bankReference}</span>] as [
                    string,
                    ReactNode,
                  ],
                ]
              : []),
            [t('common.createdAt'), dateTime(o.createdAt)],
            ...(o.paidAt || o.settledAt
              ? [[t('orders.paidAt'), dateTime(o.paidAt ?? o.settledAt)] as [string, ReactNode]]
              : []),
          ]}
        />
      </section>

      {isBuyer && o.status === 'pending_payment' && <PaymentSection order={o} created={created} />}
      {isBuyer && settled && <DeliverySection orderId={o.id} mode={o.snapshot?.deliveryMode} />}
      {((isBuyer && settled) || o.refundRequest) && <RefundRequestSection order={o} asBuyer={isBuyer} />}
      {(settled || o.status === 'refunded') && role !== null && role !== 'admin' && (
        <p className="actions">
          <ReceiptLink kind="trade" id={o.id} />
        </p>
      )}
      {role === 'exchange' && user?.duty === 'clearing' && (canConfirm(o) || canRefund(o)) && (
        <section className="card" aria-labelledby="order-actions">
          <h2 id="order-actions">{t('orders.exchangeActions')}</h2>
          {canConfirm(o) && <ConfirmTransferForm order={o} />}
          {canRefund(o) && <RefundForm order={o} />}
          {o.refundRequest?.status === 'open' && <DeclineRefundForm orderId={o.id} />}
        </section>
      )}
    </div>
  );
}

/**
 * How to pay a pending order. The instructions come with the order when it was just placed;
 * otherwise (a later visit) from GET /orders/:id/payment.
 */
function PaymentSection({ order, created }: { order: OrderView; created: unknown }) {
  const { t } = useI18n();
  const fromCreate = paymentInstructions(created);
  const hasCreate = fromCreate.method !== undefined;
  const state = useQuery({
    queryKey: keys.payments.instructions(order.id),
    queryFn: ({ signal }) => ordersApi.payment(order.id, signal),
    enabled: !hasCreate,
  });
  const fetched = paymentInstructions(state.data);
  const instructions: PaymentInstructions = hasCreate ? fromCreate : fetched;
  const publishableKey = instructions.publishableKey ?? ENV_PUBLISHABLE_KEY;
  const invalidate = useInvalidate();

  return (
    <section className="card" aria-labelledby="order-payment" data-testid="payment-instructions">
      <h2 id="order-payment">{t('pay.title')}</h2>
      {!hasCreate && state.isFetching ? (
        <p className="muted">{t('common.loading')}</p>
      ) : !hasCreate && state.error ? (
        <ProblemAlert error={state.error} testId="payment-error" />
      ) : order.paymentMethod === 'bank_transfer' ? (
        <div data-testid="bank-transfer">
          <p>{t('pay.bankIntro')}</p>
          <Facts
            items={[
              [
                t('pay.reference'),
                <strong className="code big" data-testid="bank-reference">
                  {instructions.bank?.reference ?? t('pay.referencePending')}
                </strong>,
              ],
              [t('orders.amount'), <strong>{formatMoney(order.amountFen)}</strong>],
              ...optionalFact(t('pay.accountName'), instructions.bank?.accountName),
              ...optionalFact(t('pay.accountNumber'), instructions.bank?.accountNumber),
              ...optionalFact(t('pay.bankName'), instructions.bank?.bankName),
            ]}
          />
          <p className="muted small">{t('pay.bankNote')}</p>
        </div>
      ) : instructions.clientSecret && publishableKey ? (
        <StripePayment
          clientSecret={instructions.clientSecret}
          publishableKey={publishableKey}
          onPaid={() => window.setTimeout(() => invalidate([keys.orders.all]), 2000)}
        />
      ) : (
        <Notice kind="warning" testId="stripe-unconfigured">
          {instructions.clientSecret ? t('pay.noPublishableKey') : t('pay.noClientSecret')}
        </Notice>
      )}
    </section>
  );
}

function optionalFact(label: string, value: string | undefined): [string, ReactNode][] {
  return value ? [[label, value]] : [];
}

function DeliverySection({ orderId, mode }: { orderId: string; mode?: string }) {
  const { t } = useI18n();
  const [delivery, setDelivery] = useState<DeliveryView>();
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);

  async function run(call: () => Promise<DeliveryView>) {
    setPending(true);
    setError(undefined);
    try {
      const next = await call();
      setDelivery((prev) => ({ ...prev, ...next }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="order-delivery" data-testid="delivery">
      <h2 id="order-delivery">{t('delivery.title')}</h2>
      <p className="muted">{t('delivery.intro')}</p>
      <div className="row-actions">
        <BusyButton
          label={delivery ? t('delivery.refresh') : t('delivery.get')}
          busy={pending}
          onClick={() => run(() => ordersApi.delivery(orderId))}
          testId="delivery-load"
        />
        {delivery?.kind === 'api' && (
          <button
            type="button"
            className="btn btn--secondary"
            disabled={pending}
            onClick={() => run(() => ordersApi.rotateApiKey(orderId))}
            data-testid="delivery-rotate-key"
          >
            {t('delivery.rotateKey')}
          </button>
        )}
        {mode === 'sandbox' && <SandboxLink orderId={orderId} /> /* sandbox (issue 14) */}
      </div>
      <ProblemAlert error={error} testId="delivery-error" />
      {delivery && <DeliveryDetails delivery={delivery} />}
    </section>
  );
}

/** The entitlement as the server describes it: a download link, an API key, or sandbox access. */
function DeliveryDetails({ delivery: d }: { delivery: DeliveryView }) {
  const { t, tEnum, dateTime, number } = useI18n();
  const e = d.entitlement ?? {};
  const kind = d.kind ?? e.kind;
  const items: [string, ReactNode][] = [[t('listing.deliveryMode'), tEnum('deliveryMode', kind)]];
  if (kind === 'download' && d.url) {
    items.push([
      t('delivery.download'),
      <a href={d.url} className="btn btn--primary btn--small" download data-testid="delivery-download">
        {t('delivery.downloadFile')}
        {d.file?.filename ? ` · ${d.file.filename}` : ''}
      </a>,
    ]);
    items.push([t('delivery.linkExpiresAt'), dateTime(d.expiresAt)]);
  }
  const downloadsLeft = d.downloadsLeft ?? e.downloadsLeft;
  if (downloadsLeft !== undefined) items.push([t('delivery.downloadsLeft'), number(downloadsLeft)]);
  if (kind === 'api') {
    if (d.apiKey) {
      items.push([t('delivery.apiKey'), <CopyValue value={d.apiKey} testId="delivery-api-key" />]);
      items.push(['', <strong className="small">{t('delivery.apiKeyOnce')}</strong>]);
    } else {
      const prefix = d.apiKeyPrefix ?? e.apiKeyPrefix;
      items.push([t('delivery.apiKey'), <span className="code">{prefix ? `${prefix}…` : '—'}</span>]);
    }
    if (d.endpoint) items.push([t('delivery.endpoint'), <span className="code">{d.endpoint}</span>]);
    if (d.header) items.push([t('delivery.header'), <span className="code">{d.header}</span>]);
  }
  const callsLeft = d.callsLeft ?? e.callsLeft;
  if (callsLeft !== undefined) items.push([t('delivery.quota'), number(callsLeft)]);
  if (kind === 'sandbox' && d.workspace?.id) {
    items.push([
      t('delivery.sandbox'),
      <span className="code" data-testid="delivery-sandbox">
        {d.workspace.id}
      </span>,
    ]);
  }
  if (d.instructions) items.push([t('delivery.instructions'), d.instructions]);
  const validUntil = e.validUntil ?? d.workspace?.validUntil;
  if (validUntil) items.push([t('delivery.expiresAt'), dateTime(validUntil)]);
  return (
    <div data-testid="delivery-entitlement" data-mode={kind ?? ''}>
      <Facts items={items} />
    </div>
  );
}

function CopyValue({ value, testId }: { value: string; testId: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-value">
      <code data-testid={testId}>{value}</code>{' '}
      <button
        type="button"
        className="btn btn--secondary btn--small"
        onClick={() => {
          navigator.clipboard
            ?.writeText(value)
            .then(() => setCopied(true))
            .catch(() => setCopied(false));
        }}
      >
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </span>
  );
}
