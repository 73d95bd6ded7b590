import type {
  AdminCreateUserBody,
  ChangePasswordBody,
  ConfirmTransferBody,
  LoginBody,
  OrderCreateBody,
  RegisterBody,
  ResourceCreateBody,
  ResourceRegisterBody,
  ReviewBody,
  AuthorizationCreateBody,
  ListingCreateBody,
  ListingUpdateBody,
  RefundBody,
  RefundDeclineBody,
  RefundRequestBody,
} from '@zdec/shared';
import type { z } from 'zod';
import { operations } from '@zdec/shared';
import { call, callUpload, downloadWithToken, type Query } from './http';

/** Request bodies are what the shared schemas accept (their input side, before defaults apply). */
type In<T extends z.ZodType> = z.input<T>;

const ops = operations;

export const authApi = {
  login: (body: In<typeof LoginBody>) => call(ops.accounts.login, { body }),
  register: (body: In<typeof RegisterBody>) => call(ops.accounts.register, { body }),
  me: (signal?: AbortSignal) => call(ops.accounts.me, { signal }),
  // sessions (issue 12 #7)
  logout: () => call(ops.accounts.logout),
  changePassword: (body: In<typeof ChangePasswordBody>) => call(ops.accounts.changePassword, { body }),
  adminCreateUser: (body: In<typeof AdminCreateUserBody>) => call(ops.accounts.createUser, { body }),
};

export const resourcesApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.resources.list, { query, signal }),
  get: (id: string, signal?: AbortSignal) => call(ops.resources.get, { params: { id }, signal }),
  create: (body: In<typeof ResourceCreateBody>) => call(ops.resources.create, { body }),
  uploadSample: (id: string, file: File, onProgress: (f: number) => void) =>
    callUpload(ops.resources.uploadSample, { id }, file, onProgress),
  register: (id: string, body: In<typeof ResourceRegisterBody>) =>
    call(ops.resources.register, { params: { id }, body }),
};

export const authorizationsApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.authorizations.list, { query, signal }),
  create: (body: In<typeof AuthorizationCreateBody>) => call(ops.authorizations.grant, { body }),
  /** suspend | resume | revoke, each with a reason. */
  act: (id: string, action: 'suspend' | 'resume' | 'revoke', reason: string) =>
    call(ops.authorizations[action], { params: { id }, body: { reason } }),
};

export const listingsApi = {
  search: (query: Query, signal?: AbortSignal) => call(ops.listings.search, { query, signal }),
  get: (id: string, signal?: AbortSignal) => call(ops.listings.get, { params: { id }, signal }),
  create: (body: In<typeof ListingCreateBody>) => call(ops.listings.create, { body }),
  update: (id: string, body: In<typeof ListingUpdateBody>) => call(ops.listings.update, { params: { id }, body }),
  submit: (id: string) => call(ops.listings.submit, { params: { id } }),
  /** `sample` (what buyers preview) or `data` (the deliverable), multipart field `file`. */
  uploadFile: (id: string, which: 'sample' | 'data', file: File, onProgress: (f: number) => void) =>
    callUpload(which === 'sample' ? ops.listings.uploadSample : ops.listings.uploadData, { id }, file, onProgress),
  review: (id: string, body: In<typeof ReviewBody>) => call(ops.listings.review, { params: { id }, body }),
  delist: (id: string, reason: string) => call(ops.listings.delist, { params: { id }, body: { reason } }),
};

export const ordersApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.trade.listOrders, { query, signal }),
  get: (id: string, signal?: AbortSignal) => call(ops.trade.getOrder, { params: { id }, signal }),
  /** The buyer's payment instructions for a pending order: `{order, payment}`. */
  payment: (id: string, signal?: AbortSignal) => call(ops.trade.orderPayment, { params: { id }, signal }),
  create: (body: In<typeof OrderCreateBody>, idempotencyKey: string) =>
    call(ops.trade.createOrder, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  confirmTransfer: (id: string, body: In<typeof ConfirmTransferBody>) =>
    call(ops.trade.confirmTransfer, { params: { id }, body }),
  refund: (id: string, body: In<typeof RefundBody>) => call(ops.trade.refund, { params: { id }, body }),
  // buyers' refund requests (issue 16 item 5)
  requestRefund: (id: string, body: In<typeof RefundRequestBody>) =>
    call(ops.trade.requestRefund, { params: { id }, body }),
  declineRefundRequest: (id: string, body: In<typeof RefundDeclineBody>) =>
    call(ops.trade.declineRefundRequest, { params: { id }, body }),
  refundRequests: (query: Query, signal?: AbortSignal) => call(ops.trade.listRefundRequests, { query, signal }),
  delivery: (id: string, signal?: AbortSignal) => call(ops.delivery.orderDelivery, { params: { id }, signal }),
  /** A new API key (shown once); the previous one stops working. */
  rotateApiKey: (id: string) => call(ops.delivery.rotateApiKey, { params: { id } }),
};

export const ledgerApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.ledger.list, { query, signal }),
  verify: (query?: Query) => call(ops.ledger.verify, { query }),
  exportCsv: (query: Query) => downloadWithToken(ops.ledger.exportCsv.path, query, 'ledger.csv'),
};

export const statsApi = {
  targets: (signal?: AbortSignal) => call(ops.stats.targets, { signal }),
};
