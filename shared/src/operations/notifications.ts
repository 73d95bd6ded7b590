import { z } from 'zod';
import { EmptyBody, PageQuery } from '../schemas/common';
import { operation } from './define';
import { pageOf, Timestamp } from './views';

/** One message of a user's inbox (站内消息); `kind` and `params` are rendered in the reader's language. */
export const NotificationView = z.object({
  id: z.string(),
  n: z.number().int(),
  kind: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  link: z.string(),
  at: Timestamp,
  read: z.boolean(),
});

/** Every signed-in user's inbox. */
export const notificationOperations = {
  inbox: operation({
    method: 'get',
    path: '/notifications',
    tag: 'notifications',
    summary: "The caller's inbox, newest first, with the unread count",
    access: 'signed-in',
    query: PageQuery,
    reply: { json: pageOf(NotificationView).extend({ unread: z.number().int().min(0) }) },
  }),
  unreadCount: operation({
    method: 'get',
    path: '/notifications/unread-count',
    tag: 'notifications',
    summary: 'Unread notifications (capped at 99)',
    access: 'signed-in',
    reply: { json: z.object({ unread: z.number().int().min(0), capped: z.boolean() }) },
  }),
  readAll: operation({
    method: 'post',
    path: '/notifications/read-all',
    tag: 'notifications',
    summary: 'Mark every notification read',
    access: 'signed-in',
    body: EmptyBody,
    reply: { json: z.object({ unread: z.number().int().min(0) }) },
  }),
  read: operation({
    method: 'post',
    path: '/notifications/{id}/read',
    tag: 'notifications',
    summary: 'Mark one notification read (id `<userId>:<n>`)',
    access: 'signed-in',
    params: z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}:\d{1,9}$/, 'a notification id') }),
    body: EmptyBody,
    reply: { json: NotificationView },
  }),
};
