import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { operations } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { operationRouter } from '../../platform/http/operations';
import { sampleContentType } from '../samples/samples.store';
import { sampleUpload } from '../samples/samples.upload';
import * as listingFiles from './listings.files';
import * as listingQuery from './listings.query';
import * as listingReview from './listings.review';
import * as listings from './listings.service';

const ops = operations.listings;

/**
 * 挂牌. Providers create, edit (draft/rejected), upload the sample and the deliverable, submit and
 * delist their own products; exchange staff review and delist. Another provider's product is 404
 * on every route, so its existence does not leak. The catalog and the detail are public for
 * listed products.
 */
export function listingsRouter({ auth, config }: AppDeps): Router {
  const router = Router();
  const { on } = operationRouter(router, auth, config);

  on(ops.search, ({ user, query }) => listingQuery.list(user, query));
  on(ops.get, ({ user, params }) => listingQuery.get(user, params.id));
  on(ops.downloadSample, async ({ user, params }, _req, res) => {
    const file = await listingFiles.sampleFile(user, params.id);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    await pipeline(file.stream, res);
  });
  on(ops.create, ({ user, body }) => listings.create(user, body));
  on(ops.update, ({ user, params, body }) => listings.update(user, params.id, body));
  on(ops.uploadSample, [sampleUpload], ({ user, params }, req) =>
    listingFiles.uploadSample(user, params.id, req.file!),
  );
  on(ops.uploadData, [sampleUpload], ({ user, params }, req) => listingFiles.uploadData(user, params.id, req.file!));
  on(ops.submit, ({ user, params }) => listingReview.submit(user, params.id));
  on(ops.review, ({ user, params, body }) => listingReview.review(user, params.id, body));
  on(ops.delist, ({ user, params, body }) => listingReview.delist(user, params.id, body.reason));
  return router;
}
