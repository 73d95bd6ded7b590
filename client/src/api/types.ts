/**
 * What the client reads from API responses. Requests and, more and more, replies are the registry's
 * schemas (shared/src/operations; the server is checked against them under test); the shapes still
 * written by hand here are those of operations whose calls have not moved onto `call()` yet.
 */
import type { z } from 'zod';
import type {
  AuthorizationView as AuthorizationReply,
  CertificateView,
  LedgerEntryView as LedgerEntryReply,
  RefundQueueItemView as RefundQueueItemReply,
  RefundRequestView as RefundRequestReply,
  ListingDetailView,
  ListingFullView,
  ListingPublicView,
  ResourceView as ResourceReply,
  DeliveryMode,
  Grade,
  Level,
  OrderStatus,
  PaymentMethod,
  Pricing,
  ProductType,
} from '@zdec/shared';

export type { Page, TargetsResponse, UserView, AuthResponse, VerifyResult } from '@zdec/shared';
export type { ScanResult, ScanFinding, FieldScan } from '@zdec/shared';

/** A reference that the server may send as an id or as a populated object. */
export type Ref = string | { id?: string; _id?: string; name?: string | null; title?: string; code?: string } | null;

/** The certificate of a registered resource (数据资源登记证书). */
export type Certificate = z.input<typeof CertificateView>;

export interface StoredFile {
  filename?: string;
  format?: string;
  size?: number;
  sha256?: string;
  uploadedAt?: string;
}

/** A resource as GET /resources/:id answers (the registry's ResourceView). */
export type ResourceView = z.input<typeof ResourceReply>;

/** A resource as an authorization or a listing names it. */
export interface ResourceRef {
  id: string;
  registrationNumber?: string | null;
  name?: string | null;
  grade?: Grade | null;
  level?: Level | null;
}

/** An authorization as the registry declares it (`expired` in effectiveStatus is derived from the date). */
export type AuthorizationView = z.input<typeof AuthorizationReply>;

/** One compliance rule of the exchange review, as submit previews and review records it. */
export interface RuleResult {
  rule: string;
  ok: boolean;
  detail?: string;
}

/**
 * A listing as the replies carry it: the public fields always, the owner's and staff's fields when
 * the caller may see them, and on GET /listings/:id its sources, authorization and purchasability.
 */
export type ListingView = z.input<typeof ListingPublicView> &
  Partial<z.input<typeof ListingFullView>> &
  Partial<Pick<z.input<typeof ListingDetailView>, 'sources' | 'authorization' | 'purchasable'>>;
export type ReviewEntry = NonNullable<ListingView['reviews']>[number];

export interface OrderView {
  id: string;
  number?: string;
  listingId?: string;
  listingCode?: string;
  snapshot?: {
    title?: string;
    productType?: ProductType;
    grade?: Grade;
    deliveryMode?: DeliveryMode;
    pricing?: Pricing;
  };
  buyerOrgId?: string;
  providerOrgId?: string;
  quantity?: number;
  amountFen?: number;
  paymentMethod?: PaymentMethod;
  status?: OrderStatus;
  /** How it was settled (not the instructions): received amount, bank reference. */
  payment?: { method?: string; receivedFen?: number; bankReference?: string; at?: string } | null;
  terms?: { downloadLimit?: number; callQuota?: number; validDays?: number };
  createdAt?: string;
  paidAt?: string;
  settledAt?: string;
  /** GET /orders/:id: the buyer's latest refund request, or null (issue 16 item 5). */
  refundRequest?: RefundRequestView | null;
}

/** A buyer's refund request (退款申请) and, once decided, the decision (the registry's RefundRequestView). */
export type RefundRequestView = z.input<typeof RefundRequestReply>;

/** A request in the clearing desk's queue, with what it needs of the order (the registry's RefundQueueItemView). */
export type RefundQueueItem = z.input<typeof RefundQueueItemReply>;

/** A ledger entry as GET /ledger lists it (the registry's LedgerEntryView). */
export type LedgerEntryView = z.input<typeof LedgerEntryReply>;

/** An entitlement as the server shows it (GET /orders/:id/entitlement, and inside a delivery). */
export interface EntitlementView {
  kind?: DeliveryMode;
  validUntil?: string | null;
  revokedAt?: string | null;
  revokeReason?: string | null;
  downloadLimit?: number;
  downloadsLeft?: number;
  callQuota?: number;
  callsLeft?: number;
  apiKeyPrefix?: string | null;
  workspaceId?: string | null;
}

/** GET /orders/:id/delivery: a download link, an API key (shown once), or sandbox access. */
export interface DeliveryView {
  kind?: DeliveryMode;
  /** download */
  url?: string;
  expiresAt?: string;
  downloadsLeft?: number;
  file?: StoredFile;
  /** api */
  endpoint?: string;
  header?: string;
  apiKey?: string;
  apiKeyPrefix?: string | null;
  callsLeft?: number;
  /** sandbox */
  workspace?: { id?: string | null; listingCode?: string; validUntil?: string | null };
  instructions?: string;
  entitlement?: EntitlementView;
}
