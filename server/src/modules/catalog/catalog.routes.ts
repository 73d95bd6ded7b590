import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { IdParams, ResourceCreateBody, ResourceQuery, ResourceRegisterBody, ResourceUpdateBody } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { sampleContentType } from '../samples/samples.store';
import { sampleUpload } from '../samples/samples.upload';
import * as catalog from './catalog.service';
import * as registration from './registration.service';

const EmptyBody = z.strictObject({});

/**
 * 数据资源登记. The authority (public data) and providers (their own enterprise data) create drafts,
 * edit them, upload a sample (scanned on arrival), register (certificate + ledger) and retire;
 * every signed-in user searches the catalog. Another organisation's draft is 404 everywhere.
 */
export function catalogRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const owners = [auth.requireAuth, requireRole('authority', 'provider')];

  router.get('/resources', auth.requireAuth, validate({ query: ResourceQuery }), async (req, res) => {
    res.json(await catalog.listResources(principal(req), parsed(res, 'query', ResourceQuery)));
  });
  router.get('/resources/:id', auth.requireAuth, validate({ params: IdParams }), async (req, res) => {
    res.json(await catalog.getResource(principal(req), parsed(res, 'params', IdParams).id));
  });
  router.get('/resources/:id/sample', auth.requireAuth, validate({ params: IdParams }), async (req, res) => {
    const file = await catalog.sampleFile(principal(req), parsed(res, 'params', IdParams).id);
    res.attachment(file.filename);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('X-Content-SHA256', file.sha256);
    await pipeline(file.stream, res);
  });
  router.post('/resources', ...owners, validate({ body: ResourceCreateBody }), async (req, res) => {
    res.status(201).json(await catalog.createResource(principal(req), parsed(res, 'body', ResourceCreateBody)));
  });
  router.patch(
    '/resources/:id',
    ...owners,
    validate({ params: IdParams, body: ResourceUpdateBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await catalog.updateResource(principal(req), id, parsed(res, 'body', ResourceUpdateBody)));
    },
  );
  router.post('/resources/:id/sample', ...owners, validate({ params: IdParams }), sampleUpload, async (req, res) => {
    res.json(await catalog.uploadSample(principal(req), parsed(res, 'params', IdParams).id, req.file!));
  });
  router.post(
    '/resources/:id/register',
    ...owners,
    validate({ params: IdParams, body: ResourceRegisterBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      const body = parsed(res, 'body', ResourceRegisterBody);
      const noticeWorkingDays = config.REGISTRATION_NOTICE_WORKING_DAYS;
      res.json(await registration.submitRegistration(principal(req), id, body, { noticeWorkingDays }));
    },
  );
  router.post('/resources/:id/retire', ...owners, validate({ params: IdParams, body: EmptyBody }), async (req, res) => {
    // 注销 without a stated reason (the older form of POST /resources/:id/cancel).
    const { id } = parsed(res, 'params', IdParams);
    res.json(
      (await registration.cancelRegistration(principal(req), id, { reason: '注销登记 / retired by the owner' }))
        .resource,
    );
  });
  return router;
}
