import type { ListingView, OrderView, Ref } from './types';

/** The id of a reference, whether the server sent an id or a populated object. */
export function refId(ref: Ref | undefined): string | undefined {
  if (!ref) return undefined;
  if (typeof ref === 'string') return ref;
  return ref.id ?? ref._id;
}

/** A readable name for a reference: its name or title, else its id. */
export function refName(ref: Ref | undefined): string | undefined {
  if (!ref) return undefined;
  if (typeof ref === 'string') return ref;
  return ref.name ?? ref.title ?? ref.code ?? ref.id ?? ref._id;
}

export function listingCode(l: Pick<ListingView, 'code'>): string | undefined {
  return l.code ?? undefined;
}

export function listingProvider(l: ListingView): string | undefined {
  return l.providerName ?? undefined;
}

/** What the order says about its product: the snapshot taken when it was placed. */
export function orderListing(o: OrderView): { id?: string; code?: string; title?: string; priceFen?: number } {
  return {
    id: o.listingId,
    code: o.listingCode,
    title: o.snapshot?.title,
    priceFen: o.snapshot?.pricing?.priceFen,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

export interface PaymentInstructions {
  method?: 'stripe' | 'bank_transfer' | 'none';
  clientSecret?: string;
  publishableKey?: string;
  bank?: { reference?: string; accountName?: string; accountNumber?: string; bankName?: string };
}

/**
 * The payment instructions of `POST /orders` and `GET /orders/:id/payment` (`{order, payment}`):
 * a Stripe client secret (and publishable key), or the bank transfer reference and payee.
 */
export function paymentInstructions(raw: unknown): PaymentInstructions {
  if (!isRecord(raw) || !isRecord(raw.payment)) return {};
  const p = raw.payment;
  const method = p.method === 'stripe' || p.method === 'bank_transfer' || p.method === 'none' ? p.method : undefined;
  const payee = isRecord(p.payee) ? p.payee : {};
  return {
    method,
    clientSecret: str(p.clientSecret),
    publishableKey: str(p.publishableKey),
    bank:
      method === 'bank_transfer'
        ? {
            reference: str(p.reference),
            accountName: str(payee.name),
            accountNumber: str(payee.account),
            bankName: str(payee.bank),
          }
        : undefined,
  };
}

/** The order inside an order response (`{order, ...}` or the order itself). */
export function orderOf(raw: unknown): OrderView | undefined {
  if (!isRecord(raw)) return undefined;
  const inner = raw.order;
  if (isRecord(inner) && typeof inner.id === 'string') return inner as unknown as OrderView;
  if (typeof raw.id === 'string') return raw as unknown as OrderView;
  return undefined;
}
