import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { sampleContentType } from '../samples/samples.store';
import { sampleUpload } from '../samples/samples.upload';
import * as resources from './resources.service';
import * as registration from './registration.service';

const ops = operations.resources;

/**
 * 数据资源登记. The authority (public data) and providers (their own enterprise data) create drafts,
 * edit them, upload a sample (scanned on arrival), register (certificate + ledger) and retire;
 * every signed-in user searches the resource catalog. Another organisation's draft is 404 everywhere.
 */
export function resourcesRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);
  const noticeWorkingDays = config.REGISTRATION_NOTICE_WORKING_DAYS;

  on(ops.list, ({ user, query }) => resources.listResources(user, query));
  on(ops.get, ({ user, params }) => resources.getResource(user, params.id));
  on(ops.downloadSample, async ({ user, params }, _req, res) => {
    const file = await resources.sampleFile(user, params.id);
    res.attachment(file.filename);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('X-Content-SHA256', file.sha256);
    await pipeline(file.stream, res);
  });
  on(ops.create, ({ user, body }) => resources.createResource(user, body));
  on(ops.update, ({ user, params, body }) => resources.updateResource(user, params.id, body));
  on(ops.uploadSample, [sampleUpload], ({ user, params }, req) => resources.uploadSample(user, params.id, req.file!));
  on(ops.register, ({ user, params, body }) =>
    registration.submitRegistration(user, params.id, body, { noticeWorkingDays }),
  );
  // 注销 without a stated reason (the older form of POST /resources/:id/cancel).
  on(ops.retire, async ({ user, params }) => {
    const reason = '注销登记 / retired by the owner';
    return (await registration.cancelRegistration(user, params.id, { reason })).resource;
  });
  return router;
}
