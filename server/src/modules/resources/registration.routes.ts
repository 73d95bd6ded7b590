import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import * as registration from './registration.service';

const ops = operations.resources;

/**
 * The registration lifecycle (公示, 异议, 变更、更正、注销). Notices are public, objections need a
 * signed-in user, the authority rules on them; amendments are the owner's.
 */
export function registrationRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.listNotices, ({ user, query }) => registration.listNotices(user, query));
  on(ops.getNotice, ({ user, params }) => registration.getNotice(user, params.id));
  on(ops.object, ({ user, params, body }) => registration.fileObjection(user, params.id, body));
  on(ops.listObjections, ({ user, query }) => registration.listObjections(user, query));
  on(ops.rule, ({ user, params, body }) => registration.ruleObjection(user, params.id, body));
  on(ops.history, ({ user, params }) => registration.registrationHistory(user, params.id));
  on(ops.amend, ({ user, params, body }) => registration.amendRegistration(user, params.id, body));
  on(ops.cancel, ({ user, params, body }) => registration.cancelRegistration(user, params.id, body));
  return router;
}
