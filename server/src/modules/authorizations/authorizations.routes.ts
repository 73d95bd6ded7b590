import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import * as authorizations from './authorizations.service';

const ops = operations.authorizations;

/**
 * 授权运营. Grant, suspend, resume and revoke are the granting authority's; revoke is final.
 * Suspend and revoke suspend every listed product built on the authorization; resume restores
 * exactly those. Reads: authority (granted), provider (operated), exchange and regulator (all).
 */
export function authorizationsRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.grant, ({ user, body }) => authorizations.grant(user, body));
  on(ops.list, ({ user, query }) => authorizations.list(user, query));
  on(ops.get, ({ user, params }) => authorizations.get(user, params.id));
  on(ops.suspend, ({ user, params, body }) => authorizations.suspend(user, params.id, body.reason));
  on(ops.resume, ({ user, params, body }) => authorizations.resume(user, params.id, body.reason));
  on(ops.revoke, ({ user, params, body }) => authorizations.revoke(user, params.id, body.reason));
  return router;
}
