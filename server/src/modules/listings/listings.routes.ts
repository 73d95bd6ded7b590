import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { DelistBody, IdParams, ListingCreateBody, ListingQuery, ListingUpdateBody, ReviewBody } from '@zdec/shared';
import type { AppDeps } from '../../platform/http/deps';
import { principal, requireDuty, requireRole } from '../../platform/http/auth';
import { parsed, validate } from '../../platform/http/validate';
import { sampleContentType } from '../samples/samples.store';
import { sampleUpload } from '../samples/samples.upload';
import * as listingFiles from './listings.files';
import * as listingQuery from './listings.query';
import * as listingReview from './listings.review';
import * as listings from './listings.service';

/** Submit takes no body; anything sent along is refused rather than ignored. */
const EmptyBody = z.strictObject({});

/**
 * 挂牌. Providers create, edit (draft/rejected), upload the sample and the deliverable, submit and
 * delist their own products; exchange staff review and delist. Another provider's product is 404
 * on every route, so its existence does not leak. The catalog and the detail are public for
 * listed products.
 */
export function listingsRouter({ auth }: AppDeps): Router {
  const router = Router();

  router.get('/listings', auth.optionalAuth, validate({ query: ListingQuery }), async (req, res) => {
    res.json(await listingQuery.list(req.user, parsed(res, 'query', ListingQuery)));
  });
  router.get('/listings/:id', auth.optionalAuth, validate({ params: IdParams }), async (req, res) => {
    res.json(await listingQuery.get(req.user, parsed(res, 'params', IdParams).id));
  });
  router.get('/listings/:id/sample', auth.optionalAuth, validate({ params: IdParams }), async (req, res) => {
    const file = await listingFiles.sampleFile(req.user, parsed(res, 'params', IdParams).id);
    res.setHeader('Content-Type', sampleContentType(file.format, file.encoding));
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    await pipeline(file.stream, res);
  });
  router.post(
    '/listings',
    auth.requireAuth,
    requireRole('provider'),
    validate({ body: ListingCreateBody }),
    async (req, res) => {
      res.status(201).json(await listings.create(principal(req), parsed(res, 'body', ListingCreateBody)));
    },
  );
  router.patch(
    '/listings/:id',
    auth.requireAuth,
    requireRole('provider'),
    validate({ params: IdParams, body: ListingUpdateBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await listings.update(principal(req), id, parsed(res, 'body', ListingUpdateBody)));
    },
  );
  router.post(
    '/listings/:id/sample',
    auth.requireAuth,
    requireRole('provider'),
    validate({ params: IdParams }),
    sampleUpload,
    async (req, res) => {
      res.json(await listingFiles.uploadSample(principal(req), parsed(res, 'params', IdParams).id, req.file!));
    },
  );
  router.post(
    '/listings/:id/data',
    auth.requireAuth,
    requireRole('provider'),
    validate({ params: IdParams }),
    sampleUpload,
    async (req, res) => {
      res.json(await listingFiles.uploadData(principal(req), parsed(res, 'params', IdParams).id, req.file!));
    },
  );
  router.post(
    '/listings/:id/submit',
    auth.requireAuth,
    requireRole('provider'),
    validate({ params: IdParams, body: EmptyBody }),
    async (req, res) => {
      res.json(await listingReview.submit(principal(req), parsed(res, 'params', IdParams).id));
    },
  );
  router.post(
    '/listings/:id/review',
    auth.requireAuth,
    requireRole('exchange'),
    requireDuty('review'),
    validate({ params: IdParams, body: ReviewBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await listingReview.review(principal(req), id, parsed(res, 'body', ReviewBody)));
    },
  );
  router.post(
    '/listings/:id/delist',
    auth.requireAuth,
    requireRole('provider', 'exchange'),
    requireDuty('review'),
    validate({ params: IdParams, body: DelistBody }),
    async (req, res) => {
      const { id } = parsed(res, 'params', IdParams);
      res.json(await listingReview.delist(principal(req), id, parsed(res, 'body', DelistBody).reason));
    },
  );
  return router;
}
