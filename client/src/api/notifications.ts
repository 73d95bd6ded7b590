import type { Page } from '@zdec/shared';
import { api, type Query } from './http';

export interface NotificationView {
  id: string;
  n: number;
  kind: string;
  params: Record<string, unknown>;
  link: string;
  at: string;
  read: boolean;
}

/** The signed-in user's inbox (server: modules/notifications). */
export const notificationsApi = {
  list: (query: Query, signal?: AbortSignal) =>
    api.get<Page<NotificationView> & { unread: number }>('/notifications', query, signal),
  unread: (signal?: AbortSignal) =>
    api.get<{ unread: number; capped: boolean }>('/notifications/unread-count', undefined, signal),
  read: (id: string) => api.post<NotificationView>(`/notifications/${encodeURIComponent(id)}/read`, {}),
  readAll: () => api.post<{ unread: number }>('/notifications/read-all', {}),
};

/** Lets the header badge know the inbox changed (read, read all). */
export const INBOX_CHANGED = 'zdec:inbox-changed';
