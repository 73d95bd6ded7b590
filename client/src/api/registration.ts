import type { AmendmentBody, CancellationBody, ObjectionBody, ObjectionRulingBody, Page } from '@zdec/shared';
import type { z } from 'zod';
import { api, type Query } from './http';
import type { Certificate, ResourceView } from './types';

type In<T extends z.ZodType> = z.input<T>;
const enc = encodeURIComponent;

export interface ObjectionView {
  id: string;
  noticeId: string;
  resourceId: string;
  at: string;
  status: 'pending' | 'upheld' | 'dismissed';
  reason?: string;
  contact?: string;
  orgId?: string;
  ruling?: { decision: 'uphold' | 'dismiss'; reasons: string; at: string };
  notice?: { id: string; name?: string; endsAt: string; status: string };
}

export interface NoticeSnapshot {
  name: string;
  description?: string;
  holderDepartment: string;
  regionCode: string;
  domain: string;
  openness: string;
  kind: string;
  fields: { name: string; type: string; description?: string }[];
  updateFrequency: string;
  recordCount: number;
  grade: string;
  level: string;
  sampleSha256?: string | null;
  ownerOrgName?: string;
  ownerOrgCreditCode?: string;
}

export interface NoticeView {
  id: string;
  resourceId: string;
  attempt: number;
  ownerOrgId: string;
  publishedAt: string;
  endsAt: string;
  workingDays: number;
  status: 'publicizing' | 'certified' | 'objection_upheld';
  snapshot: NoticeSnapshot;
  decidedAt?: string;
  registrationNumber?: string;
  objections: ObjectionView[];
}

export interface AmendmentView {
  id: string;
  version: number;
  kind: 'change' | 'correction' | 'cancellation';
  reason: string;
  changes: Record<string, unknown>;
  before?: Record<string, unknown>;
  certificate?: Certificate;
  at: string;
}

export interface RegistrationHistory {
  notices: NoticeView[];
  registration: { number: string; at: string; certificate: Certificate } | null;
  amendments: AmendmentView[];
}

/** The registration lifecycle: 公示, 异议, 变更、更正、注销 (server: catalog/registration.routes). */
export const registrationApi = {
  notices: (query: Query, signal?: AbortSignal) => api.get<Page<NoticeView>>('/registration-notices', query, signal),
  notice: (id: string, signal?: AbortSignal) =>
    api.get<NoticeView>(`/registration-notices/${enc(id)}`, undefined, signal),
  object: (id: string, body: In<typeof ObjectionBody>) =>
    api.post<ObjectionView>(`/registration-notices/${enc(id)}/objections`, body),
  objections: (query: Query, signal?: AbortSignal) =>
    api.get<Page<ObjectionView>>('/registration-objections', query, signal),
  rule: (objectionId: string, body: In<typeof ObjectionRulingBody>) =>
    api.post<{ objection: ObjectionView; notice: NoticeView }>(
      `/registration-objections/${enc(objectionId)}/ruling`,
      body,
    ),
  history: (resourceId: string, signal?: AbortSignal) =>
    api.get<RegistrationHistory>(`/resources/${enc(resourceId)}/registration-history`, undefined, signal),
  amend: (resourceId: string, body: In<typeof AmendmentBody>) =>
    api.post<{ resource: ResourceView; amendment: AmendmentView }>(`/resources/${enc(resourceId)}/amendments`, body),
  cancel: (resourceId: string, body: In<typeof CancellationBody>) =>
    api.post<{ resource: ResourceView; amendment: AmendmentView }>(`/resources/${enc(resourceId)}/cancel`, body),
};

/** The last minute of a notice period (its end is the first instant after it: midnight Shanghai). */
export const lastMinuteOf = (endsAt: string) => new Date(new Date(endsAt).getTime() - 60_000);
