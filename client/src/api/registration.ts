import {
  operations,
  type AmendmentBody,
  type CancellationBody,
  type NoticeView as NoticeReply,
  type ObjectionBody,
  type ObjectionRulingBody,
  type ObjectionView as ObjectionReply,
  type ReplyBody,
} from '@zdec/shared';
import type { z } from 'zod';
import { call, type Query } from './http';

type In<T extends z.ZodType> = z.input<T>;
const ops = operations.resources;

export type ObjectionView = z.input<typeof ObjectionReply> & {
  /** In the authority's queue: the notice it objects to. */
  notice?: { id: string; name?: string; endsAt: string; status: string };
};
export type NoticeView = z.input<typeof NoticeReply>;
export type NoticeSnapshot = NoticeView['snapshot'];
export type RegistrationHistory = ReplyBody<typeof ops.history>;
export type AmendmentView = RegistrationHistory['amendments'][number];

/** The registration lifecycle: 公示, 异议, 变更、更正、注销 (server: catalog/registration.routes). */
export const registrationApi = {
  notices: (query: Query, signal?: AbortSignal) => call(ops.listNotices, { query, signal }),
  notice: (id: string, signal?: AbortSignal) => call(ops.getNotice, { params: { id }, signal }),
  object: (id: string, body: In<typeof ObjectionBody>) => call(ops.object, { params: { id }, body }),
  objections: (query: Query, signal?: AbortSignal) => call(ops.listObjections, { query, signal }),
  rule: (objectionId: string, body: In<typeof ObjectionRulingBody>) =>
    call(ops.rule, { params: { id: objectionId }, body }),
  history: (resourceId: string, signal?: AbortSignal) => call(ops.history, { params: { id: resourceId }, signal }),
  amend: (resourceId: string, body: In<typeof AmendmentBody>) => call(ops.amend, { params: { id: resourceId }, body }),
  cancel: (resourceId: string, body: In<typeof CancellationBody>) =>
    call(ops.cancel, { params: { id: resourceId }, body }),
};

/** The last minute of a notice period (its end is the first instant after it: midnight Shanghai). */
export const lastMinuteOf = (endsAt: string) => new Date(new Date(endsAt).getTime() - 60_000);
