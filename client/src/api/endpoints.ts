import type {
  AdminCreateUserBody,
  AuthResponse,
  ChangePasswordBody,
  RegisterAccepted,
  ConfirmTransferBody,
  LoginBody,
  OrderCreateBody,
  Page,
  RegisterBody,
  ResourceCreateBody,
  ResourceRegisterBody,
  ReviewBody,
  TargetsResponse,
  UserView,
  VerifyResult,
  AuthorizationCreateBody,
  ListingCreateBody,
  ListingUpdateBody,
  RefundBody,
  RefundDeclineBody,
  RefundRequestBody,
} from '@zdec/shared';
import type { z } from 'zod';
import { api, downloadWithToken, uploadFile, type Query } from './http';
import type {
  AuthorizationView,
  DeliveryView,
  Certificate,
  LedgerEntryView,
  ListingView,
  OrderView,
  RefundQueueItem,
  RefundRequestView,
  ResourceView,
  RuleResult,
  ScanResult,
} from './types';

/** Request bodies are what the shared schemas accept (their input side, before defaults apply). */
type In<T extends z.ZodType> = z.input<T>;
const enc = encodeURIComponent;

export const authApi = {
  login: (body: In<typeof LoginBody>) => api.post<AuthResponse>('/auth/login', body),
  register: (body: In<typeof RegisterBody>) => api.post<RegisterAccepted>('/auth/register', body),
  me: (signal?: AbortSignal) => api.get<UserView>('/auth/me', undefined, signal),
  // sessions (issue 12 #7)
  logout: () => api.post<void>('/auth/logout'),
  changePassword: (body: In<typeof ChangePasswordBody>) => api.post<AuthResponse>('/auth/password', body),
  adminCreateUser: (body: In<typeof AdminCreateUserBody>) => api.post<UserView>('/admin/users', body),
};

export const resourcesApi = {
  list: (query: Query, signal?: AbortSignal) => api.get<Page<ResourceView>>('/resources', query, signal),
  get: (id: string, signal?: AbortSignal) => api.get<ResourceView>(`/resources/${enc(id)}`, undefined, signal),
  create: (body: In<typeof ResourceCreateBody>) => api.post<ResourceView>('/resources', body),
  uploadSample: (id: string, file: File, onProgress: (f: number) => void) =>
    uploadFile<{ resource: ResourceView; scan: ScanResult }>(`/resources/${enc(id)}/sample`, 'file', file, onProgress),
  register: (id: string, body: In<typeof ResourceRegisterBody>) =>
    api.post<{ resource: ResourceView; certificate?: Certificate }>(`/resources/${enc(id)}/register`, body),
};

export const authorizationsApi = {
  list: (query: Query, signal?: AbortSignal) => api.get<Page<AuthorizationView>>('/authorizations', query, signal),
  create: (body: In<typeof AuthorizationCreateBody>) => api.post<AuthorizationView>('/authorizations', body),
  /** suspend | resume | revoke, each with a reason. */
  act: (id: string, action: 'suspend' | 'resume' | 'revoke', reason: string) =>
    api.post<AuthorizationView>(`/authorizations/${enc(id)}/${action}`, { reason }),
};

export const listingsApi = {
  search: (query: Query, signal?: AbortSignal) => api.get<Page<ListingView>>('/listings', query, signal),
  get: (id: string, signal?: AbortSignal) => api.get<ListingView>(`/listings/${enc(id)}`, undefined, signal),
  create: (body: In<typeof ListingCreateBody>) => api.post<ListingView>('/listings', body),
  update: (id: string, body: In<typeof ListingUpdateBody>) => api.patch<ListingView>(`/listings/${enc(id)}`, body),
  submit: (id: string) => api.post<{ listing: ListingView; checklist: RuleResult[] }>(`/listings/${enc(id)}/submit`),
  /** `sample` (what buyers preview) or `data` (the deliverable), multipart field `file`. */
  uploadFile: (id: string, which: 'sample' | 'data', file: File, onProgress: (f: number) => void) =>
    uploadFile<ListingView>(`/listings/${enc(id)}/${which}`, 'file', file, onProgress),
  review: (id: string, body: In<typeof ReviewBody>) => api.post<ListingView>(`/listings/${enc(id)}/review`, body),
  delist: (id: string, reason: string) => api.post<ListingView>(`/listings/${enc(id)}/delist`, { reason }),
};

export const ordersApi = {
  list: (query: Query, signal?: AbortSignal) => api.get<Page<OrderView>>('/orders', query, signal),
  get: (id: string, signal?: AbortSignal) => api.get<OrderView>(`/orders/${enc(id)}`, undefined, signal),
  /** The buyer's payment instructions for a pending order: `{order, payment}`. */
  payment: (id: string, signal?: AbortSignal) => api.get<unknown>(`/orders/${enc(id)}/payment`, undefined, signal),
  create: (body: In<typeof OrderCreateBody>, idempotencyKey: string) =>
    api.post<unknown>('/orders', body, { 'Idempotency-Key': idempotencyKey }),
  confirmTransfer: (id: string, body: In<typeof ConfirmTransferBody>) =>
    api.post<unknown>(`/orders/${enc(id)}/confirm-transfer`, body),
  refund: (id: string, body: In<typeof RefundBody>) => api.post<unknown>(`/orders/${enc(id)}/refund`, body),
  // buyers' refund requests (issue 16 item 5)
  requestRefund: (id: string, body: In<typeof RefundRequestBody>) =>
    api.post<RefundRequestView>(`/orders/${enc(id)}/refund-request`, body),
  declineRefundRequest: (id: string, body: In<typeof RefundDeclineBody>) =>
    api.post<RefundRequestView>(`/orders/${enc(id)}/refund-request/decline`, body),
  refundRequests: (query: Query, signal?: AbortSignal) =>
    api.get<Page<RefundQueueItem>>('/refund-requests', query, signal),
  delivery: (id: string, signal?: AbortSignal) =>
    api.get<DeliveryView>(`/orders/${enc(id)}/delivery`, undefined, signal),
  /** A new API key (shown once); the previous one stops working. */
  rotateApiKey: (id: string) => api.post<Partial<DeliveryView>>(`/orders/${enc(id)}/delivery/api-key`),
};

export const ledgerApi = {
  list: (query: Query, signal?: AbortSignal) => api.get<Page<LedgerEntryView>>('/ledger', query, signal),
  verify: (query?: Query) => api.get<VerifyResult>('/ledger/verify', query),
  exportCsv: (query: Query) => downloadWithToken('/ledger/export.csv', query, 'ledger.csv'),
};

export const statsApi = {
  targets: (signal?: AbortSignal) => api.get<TargetsResponse>('/stats/targets', undefined, signal),
};
