import type { ApplicationBody, ApplicationDecisionBody, ApplicationStatus, FeeCaps, Page } from '@zdec/shared';
import type { DeliveryMode, ProductType } from '@zdec/shared';
import type { z } from 'zod';
import { api, type Query } from './http';
import type { AuthorizationView, ResourceRef } from './types';

type In<T extends z.ZodType> = z.input<T>;
const enc = encodeURIComponent;

/** 授权运营申请 as GET /authorization-applications answers (server: authorizations/applications.service). */
export interface ApplicationView {
  id: string;
  operatorOrgId: string;
  operator: { id: string; name?: string; creditCode?: string } | null;
  resourceIds: string[];
  resources: ResourceRef[];
  purpose: string;
  allowedProductTypes: ProductType[];
  allowedDeliveryModes: DeliveryMode[];
  validFrom: string;
  validTo: string;
  renewalOf?: string;
  /** The authorization a renewal continues. */
  renewal: { id: string; number: string; validTo: string; feeCaps: FeeCaps } | null;
  at: string;
  status: ApplicationStatus;
  decision?: {
    decision: 'approve' | 'reject';
    reasons?: string;
    authorizationId?: string;
    /** The number of the authorization an approval granted. */
    number?: string;
    at: string;
  };
}

export const applicationsApi = {
  list: (query: Query, signal?: AbortSignal) =>
    api.get<Page<ApplicationView>>('/authorization-applications', query, signal),
  apply: (body: In<typeof ApplicationBody>) => api.post<ApplicationView>('/authorization-applications', body),
  decide: (id: string, body: In<typeof ApplicationDecisionBody>) =>
    api.post<ApplicationView>(`/authorization-applications/${enc(id)}/decision`, body),
  /** The authorization a renewal starts from. */
  authorization: (id: string, signal?: AbortSignal) =>
    api.get<AuthorizationView>(`/authorizations/${enc(id)}`, undefined, signal),
};
