import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import mongoose from 'mongoose';
import { pinoHttp } from 'pino-http';
import type { Config } from './config';
import { configureSampleScan } from './modules/samples/samples.scan';
import { createLogger, redactRequest, type Logger } from './platform/logger';
import { createAuth } from './platform/http/auth';
import type { AppDeps } from './platform/http/deps';
import { errorHandler, notFoundHandler, sendProblem } from './platform/http/problem';
import { rejectOperatorKeys } from './platform/http/validate';
import { openApiRouter } from './platform/http/openapi';
import { AppError } from './platform/errors';
import { accountsRouter } from './modules/accounts/accounts.routes';
import { activePrincipal } from './modules/accounts/accounts.service';
import { resourcesRouter } from './modules/resources/resources.routes';
import { authorizationsRouter } from './modules/authorizations/authorizations.routes';
import { listingsRouter } from './modules/listings/listings.routes';
import { tradeRouter } from './modules/trade/trade.routes';
import { paymentsWebhookRouter } from './modules/trade/payments.routes';
import { deliveryRouter } from './modules/delivery/delivery.routes';
import { ledgerRouter } from './modules/ledger/ledger.routes';
import { statsRouter } from './modules/stats/stats.routes';
import { disclosuresRouter } from './modules/disclosures/disclosures.routes';
// sandbox (issue 14)
import { sandboxRouter } from './modules/sandbox/sandbox.routes';
// verifiable receipts (issue 15): Merkle proofs and QR-coded certificates
import { merkleRouter } from './modules/ledger/merkle.routes';
import { receiptsRouter } from './modules/receipts/receipts.routes';
// buyer dossier + watch list, supervision views (issue 16 items 1–2)
import { productsRouter } from './modules/products/products.routes';
import { supervisionRouter } from './modules/supervision/supervision.routes';
// daily work (issue 16): registration lifecycle
import { registrationRouter } from './modules/resources/registration.routes';
import { notificationsRouter } from './modules/notifications/notifications.routes';
import { applicationsRouter } from './modules/authorizations/applications.routes';

const CLIENT_DIST = path.resolve(__dirname, '../../client/dist');

/** Builds the Express app; it never listens (main.ts and the tests do). */
export function createApp(opts: { config: Config; log?: Logger }): Express {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const deps: AppDeps = { config, log, auth: createAuth(config, activePrincipal) };
  // Sample scanner: budget and worker threads from the configuration.
  configureSampleScan({ budgetMs: config.SCAN_BUDGET_MS, threads: config.SCAN_THREADS });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: log,
      serializers: { req: redactRequest }, // no download token or API key in the access log
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Stripe.js (Payment Element) is the one third party the client loads, and only on payment.
          'script-src': ["'self'", 'https://js.stripe.com'],
          'frame-src': ["'self'", 'https://js.stripe.com', 'https://hooks.stripe.com'],
          'connect-src': ["'self'", 'https://api.stripe.com'],
          'img-src': ["'self'", 'data:', 'https://*.stripe.com'],
        },
      },
    }),
  );
  app.use(
    cors({
      origin: (origin, cb) => cb(null, !origin || config.CORS_ORIGINS.includes(origin)),
      exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const db = mongoose.connection.db;
    const ok =
      mongoose.connection.readyState === 1 &&
      db !== undefined &&
      (await db
        .admin()
        .ping()
        .then(() => true)
        .catch(() => false));
    if (!ok) return sendProblem(res, 503, 'not-ready', 'The database is not reachable');
    res.json({ status: 'ready', database: 'up' });
  });

  app.use(openApiRouter());

  const api = Router();
  api.use(paymentsWebhookRouter(deps)); // raw body: before the JSON parser
  api.use(express.json({ limit: config.JSON_BODY_LIMIT, strict: true }));
  api.use((req, _res, next) => {
    // A body with a type we do not read would silently be ignored: refuse it instead.
    if (req.body === undefined && req.headers['content-length'] && req.headers['content-length'] !== '0') {
      const type = req.headers['content-type'] ?? '';
      if (!type.startsWith('multipart/form-data')) {
        throw new AppError('unsupported-media-type', 415, 'Send JSON (Content-Type: application/json)');
      }
    }
    next();
  });
  api.use(rejectOperatorKeys);
  api.use(accountsRouter(deps));
  api.use(resourcesRouter(deps));
  api.use(authorizationsRouter(deps));
  api.use(listingsRouter(deps));
  api.use(tradeRouter(deps));
  api.use(deliveryRouter(deps));
  api.use(ledgerRouter(deps));
  api.use(statsRouter(deps));
  api.use(disclosuresRouter(deps));
  api.use(sandboxRouter(deps)); // sandbox (issue 14)
  // verifiable receipts (issue 15)
  api.use(merkleRouter(deps));
  api.use(receiptsRouter(deps));
  // buyer dossier + watch list, supervision views (issue 16 items 1–2)
  api.use(productsRouter(deps));
  api.use(supervisionRouter(deps));
  // daily work (issue 16)
  api.use(registrationRouter(deps));
  api.use(notificationsRouter(deps));
  api.use(applicationsRouter(deps));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  if (fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|healthz|readyz).*/, (_req, res) => res.sendFile(path.join(CLIENT_DIST, 'index.html')));
  }

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
