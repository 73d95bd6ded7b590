import crypto from 'node:crypto';
import path from 'node:path';
import type { Express } from 'express';
import mongoose from 'mongoose';
import supertest from 'supertest';
import { createApp } from '../../server/src/app';
import { loadConfig, type Config } from '../../server/src/config';

export interface TestApp {
  app: Express;
  config: Config;
  /** supertest bound to the app */
  http: ReturnType<typeof supertest>;
  dbName: string;
}

/** A database name of its own for each test file, so files never see each other's data. */
export function testDbName(): string {
  const file = path.basename(expect.getState().testPath ?? 'test').replace(/\.test\.ts$/, '');
  return `t_${file.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${crypto.randomBytes(3).toString('hex')}`;
}

/** Connects mongoose to the run's database server under a fresh database name. */
export async function connectTestDb(dbName = testDbName()): Promise<string> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global set-up)');
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 15_000 });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return dbName;
}

export async function dropTestDb(): Promise<void> {
  if (mongoose.connection.readyState === 1) await mongoose.connection.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
}

/**
 * The real app on the real database for one test file: registers beforeAll/afterAll and returns an
 * object whose fields are filled in by the time the tests run. `env` overrides configuration.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    t.config = loadConfig({ ...process.env, ...env });
    t.app = createApp({ config: t.config });
    t.http = supertest(t.app);
    t.dbName = await connectTestDb();
  });
  afterAll(async () => {
    await dropTestDb();
  });
  return t;
}
