import { useEffect, useRef, useState } from 'react';
import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { useI18n } from '../../i18n/I18nProvider';

/**
 * The Stripe Payment Element. Stripe.js is imported (and fetched from js.stripe.com) only when
 * this component mounts, i.e. only for an order that carries a client secret.
 */
export function StripePayment({
  clientSecret,
  publishableKey,
  onPaid,
}: {
  clientSecret: string;
  publishableKey: string;
  onPaid: () => void;
}) {
  const { t, locale } = useI18n();
  const mountPoint = useRef<HTMLDivElement>(null);
  const stripeRef = useRef<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'paying' | 'done' | 'failed'>('loading');
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    let unmount: (() => void) | undefined;
    import('@stripe/stripe-js/pure')
      .then(({ loadStripe }) => loadStripe(publishableKey, { locale: locale === 'en' ? 'en' : 'zh' }))
      .then((stripe) => {
        if (cancelled || !mountPoint.current) return;
        if (!stripe) throw new Error('Stripe.js did not load');
        const elements = stripe.elements({ clientSecret, locale: locale === 'en' ? 'en' : 'zh' });
        const payment = elements.create('payment');
        payment.mount(mountPoint.current);
        payment.on('ready', () => setStatus('ready'));
        unmount = () => payment.destroy();
        stripeRef.current = { stripe, elements };
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setStatus('failed');
        setMessage(err instanceof Error ? err.message : String(err));
      });
    return () => {
      cancelled = true;
      unmount?.();
    };
  }, [clientSecret, publishableKey, locale]);

  async function pay() {
    const s = stripeRef.current;
    if (!s) return;
    setStatus('paying');
    setMessage(undefined);
    const result = await s.stripe.confirmPayment({
      elements: s.elements,
      redirect: 'if_required',
      confirmParams: { return_url: window.location.href },
    });
    if (result.error) {
      setStatus('ready');
      setMessage(result.error.message ?? t('pay.failed'));
      return;
    }
    setStatus('done');
    onPaid();
  }

  return (
    <div className="stripe-payment" data-testid="stripe-payment" data-status={status}>
      {status === 'loading' && <p className="muted">{t('pay.loadingStripe')}</p>}
      <div ref={mountPoint} className="stripe-payment__element" />
      {message && (
        <div className="alert alert--error" role="alert" data-testid="stripe-error">
          {status === 'failed' ? t('pay.stripeUnavailable') : message}
        </div>
      )}
      {status === 'done' ? (
        <div className="alert alert--success" role="status" data-testid="stripe-done">
          {t('pay.submitted')}
        </div>
      ) : (
        status !== 'failed' && (
          <button
            type="button"
            className="btn btn--primary"
            disabled={status !== 'ready'}
            onClick={pay}
            data-testid="stripe-pay"
          >
            {status === 'paying' ? t('common.working') : t('pay.payNow')}
          </button>
        )
      )}
    </div>
  );
}
