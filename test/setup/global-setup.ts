import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/src/platform/logger';
import { startDatabase } from '../../server/src/platform/services/database';
import { startStripeMock } from '../../server/src/platform/services/stripe-mock';

/**
 * Once per test run: a database chosen exactly as `npm start` chooses it (MONGODB_URI, else
 * mongodb-memory-server, else FerretDB) but on a fresh data directory, and stripe-mock. Their
 * addresses reach the test files through the environment; every file then uses its own database.
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test-setup');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zdec-test-'));
  const db = await startDatabase({ uri: process.env.MONGODB_URI, dataDir, log });
  const stripe = await startStripeMock();
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_DATABASE_KIND = db.kind;
  process.env.STRIPE_MOCK_URL = stripe.url;
  process.env.TEST_DATA_DIR = dataDir;
  (globalThis as Record<string, unknown>).__zdecServices = { db, stripe, dataDir };
}
