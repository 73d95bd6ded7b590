import {
  operations,
  type ApplicationBody,
  type ApplicationDecisionBody,
  type ApplicationView as ApplicationReply,
} from '@zdec/shared';
import type { z } from 'zod';
import { call, type Query } from './http';

type In<T extends z.ZodType> = z.input<T>;

/** 授权运营申请 as the registry declares it (server: authorizations/applications.service). */
export type ApplicationView = z.input<typeof ApplicationReply>;

const ops = operations.authorizations;

export const applicationsApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.listApplications, { query, signal }),
  apply: (body: In<typeof ApplicationBody>) => call(ops.apply, { body }),
  decide: (id: string, body: In<typeof ApplicationDecisionBody>) => call(ops.decide, { params: { id }, body }),
  /** The authorization a renewal starts from. */
  authorization: (id: string, signal?: AbortSignal) => call(ops.get, { params: { id }, signal }),
};
