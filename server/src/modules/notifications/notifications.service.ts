import type { ExchangeDuty, Page, Role } from '@zdec/shared';
import { isDuplicateKey } from '../../platform/db';
import { now } from '../../platform/clock';
import { notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import type { Logger } from '../../platform/logger';
import { activeUsersOf } from '../accounts/accounts.service';
import { InboxHeadModel, InboxReadModel, NotificationModel, type Notification } from './notification.model';

/** What a notification says: its kind (the client words it), the values it needs and where the work is. */
export interface NotificationEvent {
  /** Unique per event: the same key is delivered to a user once. */
  key: string;
  kind: string;
  params?: Record<string, unknown>;
  link?: string;
  at?: Date;
}

/** Who gets it: users of organisations and/or of roles (active users only). */
export interface Audience {
  orgIds?: string[];
  roles?: Role[];
  /** Of exchange staff, only those with this duty (a user stored without one reviews). */
  duty?: ExchangeDuty;
}

export interface NotificationView {
  id: string;
  n: number;
  kind: string;
  params: Record<string, unknown>;
  link: string;
  at: Date;
  read: boolean;
}

/**
 * Events dated more than this before the wall clock notify nobody: the history a seeder lays down
 * (through the same services, with the platform clock moved back) and old ledger entries a first
 * catch-up walks past are not work waiting for anyone.
 */
export const LOOKBACK_MS = 7 * 86_400_000;

/** The most unread notifications counted one by one; above it the client shows "99+". */
export const UNREAD_CAP = 99;
const MAX_SLOT_ATTEMPTS = 1000;

const slotId = (userId: string, n: number) => `${userId}:${n}`;

/** The users an audience names (the users collection is small: one document per person). */
async function recipients(a: Audience): Promise<string[]> {
  const users = await activeUsersOf(a);
  return users.filter((u) => !a.duty || u.role !== 'exchange' || (u.duty ?? 'review') === a.duty).map((u) => u.id);
}

/** The user's newest slot: the hint, walked forward past deliveries that did not move it. */
async function headOf(userId: string): Promise<number> {
  let n = (await InboxHeadModel.findById(userId).lean())?.n ?? 0;
  while (await NotificationModel.exists({ _id: slotId(userId, n + 1) })) n++;
  return n;
}

async function moveHead(userId: string, n: number): Promise<void> {
  await InboxHeadModel.updateOne({ _id: userId, n: { $lt: n } }, { $set: { n } }, { upsert: true }).catch(
    (err: unknown) => {
      if (!isDuplicateKey(err)) throw err; // the head is at or past n already
    },
  );
}

/** Puts the event in one user's inbox, once. */
async function deliver(userId: string, e: NotificationEvent): Promise<void> {
  let n = (await headOf(userId)) + 1;
  for (let attempt = 0; attempt < MAX_SLOT_ATTEMPTS; attempt++, n++) {
    try {
      await NotificationModel.create({
        _id: slotId(userId, n),
        userId,
        n,
        key: e.key,
        kind: e.kind,
        params: e.params ?? {},
        link: e.link ?? '',
        at: e.at ?? now(),
      });
      await moveHead(userId, n);
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const occupant = await NotificationModel.findById(slotId(userId, n), { key: 1 }).lean();
      if (!occupant || occupant.key === e.key) return; // the event itself was there already
    }
  }
  throw new Error(`no inbox slot for ${userId} after ${MAX_SLOT_ATTEMPTS} attempts`);
}

// Deliveries of one process run one after another: they never race each other for a slot (only
// other processes' do), and a burst of N events costs N inserts per user instead of N² collisions.
let queue: Promise<void> = Promise.resolve();

/**
 * Delivers an event to everyone in the audience (idempotent per user and key), after the deliveries
 * already queued in this process. Services call it after their change is stored and wait for it, so
 * that a request's notifications are there when it answers; a failure is logged and never undoes or
 * fails that change.
 */
export function notify(audience: Audience, e: NotificationEvent, log?: Logger): Promise<void> {
  const at = e.at ?? now();
  if (Date.now() - at.getTime() > LOOKBACK_MS) return Promise.resolve();
  const run = async () => {
    try {
      for (const userId of await recipients(audience)) await deliver(userId, { ...e, at });
    } catch (err) {
      if (log) log.error({ err, key: e.key }, 'notification could not be delivered');
      else console.error('notification could not be delivered', e.key, err);
    }
  };
  queue = queue.then(run);
  return queue;
}

/** Waits until this process's queued deliveries are done (readers of an inbox, tests). */
export function drainNotifications(): Promise<void> {
  return queue;
}

function view(doc: Notification & { _id: string }, readThrough: number): NotificationView {
  return {
    id: doc._id,
    n: doc.n,
    kind: doc.kind,
    params: (doc.params ?? {}) as Record<string, unknown>,
    link: doc.link ?? '',
    at: doc.at,
    read: doc.n <= readThrough || !!doc.readAt,
  };
}

const readMark = async (userId: string) => (await InboxReadModel.findById(userId).lean())?.n ?? 0;

/** Unread notifications of the caller (at most UNREAD_CAP + 1 are looked at). */
export async function unreadCount(p: Principal): Promise<{ unread: number; capped: boolean }> {
  await drainNotifications();
  const [head, read] = await Promise.all([headOf(p.id), readMark(p.id)]);
  if (head - read > UNREAD_CAP) return { unread: UNREAD_CAP, capped: true };
  const slots = Array.from({ length: head - read }, (_, i) => slotId(p.id, read + 1 + i));
  const docs = await Promise.all(slots.map((id) => NotificationModel.findById(id, { readAt: 1 }).lean()));
  return { unread: docs.filter((d) => d && !d.readAt).length, capped: false };
}

/** The caller's inbox, newest first: `_id` reads counted down from the head. */
export async function listInbox(
  p: Principal,
  q: { page: number; pageSize: number },
): Promise<Page<NotificationView> & { unread: number }> {
  await drainNotifications();
  const [head, read] = await Promise.all([headOf(p.id), readMark(p.id)]);
  const top = head - (q.page - 1) * q.pageSize;
  const slots = Array.from({ length: Math.max(0, Math.min(q.pageSize, top)) }, (_, i) => slotId(p.id, top - i));
  const docs = await Promise.all(
    slots.map((id) => NotificationModel.findById(id).lean<Notification & { _id: string }>()),
  );
  const items = docs.filter((d): d is Notification & { _id: string } => !!d).map((d) => view(d, read));
  return { items, total: head, page: q.page, pageSize: q.pageSize, unread: (await unreadCount(p)).unread };
}

/** Marks one of the caller's notifications read (another user's is 404). */
export async function markRead(p: Principal, id: string): Promise<NotificationView> {
  if (!id.startsWith(`${p.id}:`)) throw notFound('Notification');
  const doc = await NotificationModel.findById(id).lean<Notification & { _id: string }>();
  if (!doc) throw notFound('Notification');
  if (!doc.readAt) await NotificationModel.updateOne({ _id: id }, { $set: { readAt: now() } });
  return view({ ...doc, readAt: doc.readAt ?? now() }, await readMark(p.id));
}

/** Marks everything up to the current head read. */
export async function markAllRead(p: Principal): Promise<{ unread: number }> {
  const head = await headOf(p.id);
  await InboxReadModel.updateOne({ _id: p.id, n: { $lt: head } }, { $set: { n: head } }, { upsert: true }).catch(
    (err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    },
  );
  return { unread: 0 };
}
