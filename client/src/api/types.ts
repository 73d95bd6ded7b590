/**
 * What the client reads from API responses. The request bodies are the shared zod schemas; the
 * response shapes follow the server's views (SPEC section 4) and are read defensively, with
 * optional fields, since the server modules are still moving.
 */
import type {
  AuthorizationStatus,
  DeliveryMode,
  Domain,
  FeeCaps,
  Grade,
  LedgerType,
  Level,
  ListingStatus,
  Openness,
  OrderStatus,
  PaymentMethod,
  Pricing,
  ProductType,
  ResourceStatus,
  ScanResult,
} from '@zdec/shared';

export type { Page, TargetsResponse, UserView, AuthResponse, VerifyResult } from '@zdec/shared';
export type { ScanResult, ScanFinding, FieldScan } from '@zdec/shared';

/** A reference that the server may send as an id or as a populated object. */
export type Ref = string | { id?: string; _id?: string; name?: string | null; title?: string; code?: string } | null;

export interface Certificate {
  number: string;
  issuedAt: string;
  digest: string;
}

export interface StoredFile {
  filename?: string;
  format?: string;
  size?: number;
  sha256?: string;
  uploadedAt?: string;
}

export interface ResourceView {
  id: string;
  kind?: 'public' | 'enterprise';
  registrationNumber?: string | null;
  name: string;
  description?: string;
  holderDepartment?: string;
  regionCode?: string;
  domain?: Domain;
  openness?: Openness;
  fields?: { name: string; type: string; description?: string }[];
  updateFrequency?: string;
  recordCount?: number;
  status?: ResourceStatus;
  grade?: Grade | null;
  level?: Level | null;
  scan?: ScanResult | null;
  sample?: StoredFile | null;
  certificate?: Certificate | null;
  ownerOrgId?: string;
  createdAt?: string;
}

/** A resource as an authorization or a listing names it. */
export interface ResourceRef {
  id: string;
  registrationNumber?: string | null;
  name?: string | null;
  grade?: Grade | null;
  level?: Level | null;
}

export interface AuthorizationView {
  id: string;
  number?: string;
  authority?: { id: string; name?: string } | null;
  operator?: { id: string; name?: string; creditCode?: string } | null;
  operatorOrgId?: string;
  resourceIds?: string[];
  resources?: ResourceRef[];
  purpose?: string;
  allowedProductTypes?: ProductType[];
  allowedDeliveryModes?: DeliveryMode[];
  validFrom?: string;
  validTo?: string;
  feeCaps?: FeeCaps;
  status?: AuthorizationStatus;
  /** `expired` is derived from the date; `status` is what is stored. */
  effectiveStatus?: AuthorizationStatus;
  statusReason?: string | null;
}

/** One compliance rule of the exchange review, as submit previews and review records it. */
export interface RuleResult {
  rule: string;
  ok: boolean;
  detail?: string;
}

export interface ReviewEntry {
  at?: string;
  by?: string;
  decision?: 'approve' | 'reject';
  reasons?: string[];
  checklist?: RuleResult[];
}

export interface ListingView {
  id: string;
  code?: string | null;
  title: string;
  summary?: string;
  productType?: ProductType;
  providerOrgId?: string;
  providerName?: string;
  sourceResourceIds?: string[];
  /** On GET /listings/:id: the sources with their names and grades. */
  sources?: ResourceRef[];
  authorizationId?: string | null;
  authorization?: { id: string; number?: string; effectiveStatus?: AuthorizationStatus } | null;
  purchasable?: boolean;
  grade?: Grade | null;
  level?: Level | null;
  domains?: Domain[];
  deIdentified?: boolean;
  deliveryMode?: DeliveryMode;
  pricing?: Pricing;
  sample?: StoredFile | null;
  dataFile?: StoredFile | null;
  sampleScan?: ScanResult | null;
  tags?: string[];
  status?: ListingStatus;
  statusReason?: string | null;
  reviews?: ReviewEntry[];
  listedAt?: string | null;
  submittedAt?: string | null;
  settledCount?: number;
  createdAt?: string;
  updatedAt?: string;
}

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

/** A buyer's refund request (退款申请) and, once decided, the decision. */
export interface RefundRequestView {
  id: string;
  orderId: string;
  round: number;
  status: 'open' | 'declined' | 'refunded';
  reason: string;
  at: string;
  buyerOrgId: string;
  decision?: { kind: 'refunded' | 'declined'; reason: string; at: string };
}

/** A request in the clearing desk's queue, with what it needs of the order. */
export interface RefundQueueItem extends RefundRequestView {
  order: {
    id: string;
    number: string;
    title: string;
    listingCode: string;
    amountFen: number;
    paymentMethod: PaymentMethod;
    status: OrderStatus;
  };
}

export interface LedgerEntryView {
  id?: string;
  seq: number;
  at: string;
  type: LedgerType | string;
  ref?: string;
  orderId?: string | null;
  listingCode?: string | null;
  orgIds?: string[];
  amountFen?: number | null;
  grade?: Grade | null;
  prevHash?: string;
  hash?: string;
}

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
  workspace?: { id?: string; listingCode?: string; validUntil?: string | null };
  instructions?: string;
  entitlement?: EntitlementView;
}
