import { fileObjection, submitRegistration } from '../../server/src/modules/resources/registration.service';
import type { Principal } from '../../server/src/platform/http/auth';
import { apply } from '../../server/src/modules/authorizations/applications.service';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { notify } from '../../server/src/modules/notifications/notifications.service';
import type { TestApp } from '../helpers/app';
import type { Actor } from '../helpers/factories';
import { draftResource } from './world';

export const principalOf = (a: Actor): Principal => ({
  id: a.user.id,
  role: a.user.role as Principal['role'],
  orgId: a.org.id,
  email: a.user.email,
});

/** A registration of `owner` under a 10-working-day notice (the matrix app itself registers at once). */
export async function noticeOf(t: TestApp, owner: Actor): Promise<string> {
  const id = await draftResource(t, owner, { withSample: true });
  const { notice } = await submitRegistration(principalOf(owner), id, {}, { noticeWorkingDays: 10 });
  return notice!.id;
}

/** A pending objection by `objector` to a fresh notice of `owner`. */
export async function objectionTo(t: TestApp, owner: Actor, objector: Actor): Promise<string> {
  const noticeId = await noticeOf(t, owner);
  return (await fileObjection(principalOf(objector), noticeId, { reason: '权属存在争议', contact: '' })).id;
}

/** `make` that builds its record once and hands the same one to every cell (for reads). */
export function once(make: () => Promise<string>): () => Promise<string> {
  let made: Promise<string> | undefined;
  return () => (made ??= make());
}

let notificationSeq = 0;
/** A notification in `owner`'s inbox; returns its id. */
export async function notificationOf(owner: Actor): Promise<string> {
  await notify({ orgIds: [owner.org.id] }, { key: `matrix:${++notificationSeq}:${Date.now()}`, kind: 'test' });
  const head = await NotificationModel.findOne({ userId: owner.user.id }).sort({ n: -1 }).lean();
  return head!._id;
}

/** A pending authorization application of `operator` over one resource; returns its id. */
export async function applicationOf(operator: Actor, resourceId: string): Promise<string> {
  const a = await apply(principalOf(operator), {
    resourceIds: [resourceId],
    purpose: '客流分析产品开发',
    allowedProductTypes: ['dataset'],
    allowedDeliveryModes: ['download'],
    validFrom: new Date('2027-01-01T00:00:00+08:00'),
    validTo: new Date('2027-12-31T23:59:59+08:00'),
  });
  return a.id;
}
