import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import * as applications from './applications.service';

const ops = operations.authorizations;

/** 授权运营申请: operators apply, the authority approves (grants) or rejects with reasons. */
export function applicationsRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.apply, ({ user, body }) => applications.apply(user, body));
  on(ops.listApplications, ({ user, query }) => applications.listApplications(user, query));
  on(ops.decide, ({ user, params, body }) => applications.decide(user, params.id, body));
  return router;
}
