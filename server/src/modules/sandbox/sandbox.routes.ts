import { Router } from 'express';
import { IdParams, SandboxAuditQuery, SandboxQueryBody } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import * as sandbox from './sandbox.service';

/** The query sandbox (数据可用不可见) of sandbox entitlements, and its audit. */
export function sandboxRouter(deps: AppDeps): Router {
  const { auth } = deps;
  const router = Router();

  router.get(
    '/orders/:id/sandbox',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await sandbox.workspace(deps, principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/orders/:id/sandbox/queries',
    auth.requireAuth,
    requireRole('buyer'),
    validate({ params: IdParams, body: SandboxQueryBody }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const { id } = parsed(res, 'params', IdParams);
      res.json(await sandbox.runQuery(deps, principal(req), id, parsed(res, 'body', SandboxQueryBody).sql));
    },
  );
  router.get(
    '/orders/:id/sandbox/queries',
    auth.requireAuth,
    requireRole('buyer', 'provider', 'regulator'),
    validate({ params: IdParams, query: SandboxAuditQuery }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const { id } = parsed(res, 'params', IdParams);
      res.json(await sandbox.orderQueries(principal(req), id, parsed(res, 'query', SandboxAuditQuery)));
    },
  );
  router.get(
    '/sandbox/queries',
    auth.requireAuth,
    requireRole('buyer', 'provider', 'regulator'),
    validate({ query: SandboxAuditQuery }),
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(await sandbox.auditList(principal(req), parsed(res, 'query', SandboxAuditQuery)));
    },
  );
  return router;
}
