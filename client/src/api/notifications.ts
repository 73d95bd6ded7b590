import { operations, type NotificationView as NotificationReply } from '@zdec/shared';
import type { z } from 'zod';
import { call, type Query } from './http';

export type NotificationView = z.input<typeof NotificationReply>;

const ops = operations.notifications;

/** The signed-in user's inbox (server: modules/notifications). */
export const notificationsApi = {
  list: (query: Query, signal?: AbortSignal) => call(ops.inbox, { query, signal }),
  unread: (signal?: AbortSignal) => call(ops.unreadCount, { signal }),
  read: (id: string) => call(ops.read, { params: { id } }),
  readAll: () => call(ops.readAll),
};
