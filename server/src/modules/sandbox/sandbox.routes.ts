import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import * as sandbox from './sandbox.service';

const ops = operations.sandbox;

/** The query sandbox (数据可用不可见) of sandbox entitlements, and its audit. Nothing of it is cached. */
export function sandboxRouter(deps: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, deps.auth, deps.config);

  on(ops.workspace, ({ user, params }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return sandbox.workspace(deps, user, params.id);
  });
  on(ops.runQuery, ({ user, params, body }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return sandbox.runQuery(deps, user, params.id, body.sql);
  });
  on(ops.orderQueries, ({ user, params, query }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return sandbox.orderQueries(user, params.id, query);
  });
  on(ops.audit, ({ user, query }, _req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    return sandbox.auditList(user, query);
  });
  return router;
}
