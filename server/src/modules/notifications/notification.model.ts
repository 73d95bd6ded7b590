import { model, Schema, type InferSchemaType } from 'mongoose';

/*
 * A user's inbox, laid out so that the embedded engine (which pushes down nothing but `_id` equality) never
 * scans: notification n of user u has `_id` "<u>:<n>" (n = 1, 2, 3 … per user), so a page is a
 * handful of `_id` reads counted down from the head; the head and the read mark are one document
 * per user each, keyed by the user id. A slot is taken by a unique insert (two deliveries racing
 * for slot n collide and the loser takes n+1), and the unique (userId, key) index makes delivering
 * the same event twice a no-op — across processes and retries after a crash.
 */
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    n: { type: Number, required: true, min: 1 },
    /** What happened, once per user: e.g. `listing.submitted:<listingId>:<round>`. */
    key: { type: String, required: true },
    kind: { type: String, required: true },
    /** Values the message is written from (title, code, amount …), shown by the client in its language. */
    params: { type: Schema.Types.Mixed, default: {} },
    /** Where in the client the work is. */
    link: { type: String, default: '' },
    at: { type: Date, required: true },
    readAt: { type: Date },
  },
  { versionKey: false },
);
notificationSchema.index({ userId: 1, key: 1 }, { unique: true });
export type Notification = InferSchemaType<typeof notificationSchema>;
export const NotificationModel = model('Notification', notificationSchema, 'notifications');

const counterSchema = new Schema(
  { _id: { type: String, required: true }, n: { type: Number, required: true } },
  { versionKey: false },
);
/** Per user: the highest slot some delivery saw (a hint: readers walk on past it). */
export const InboxHeadModel = model('InboxHead', counterSchema, 'inbox_heads');
/** Per user: every slot up to `n` counts as read ("mark all read"). */
export const InboxReadModel = model('InboxRead', counterSchema, 'inbox_reads');
/** `ledger`: the last ledger seq turned into notifications. */
export const NotifierCursorModel = model('NotifierCursor', counterSchema, 'notifier_cursors');
