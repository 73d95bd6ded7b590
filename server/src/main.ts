import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { ConfigError, loadConfig, type Config } from './config';
import { createApp } from './app';
import { createLogger, type Logger } from './platform/logger';
import { startDatabase } from './platform/services/database';
import { ensureBootstrapAdmin } from './modules/accounts/accounts.service';
import { UserModel } from './modules/accounts/user.model';
import { ResourceModel } from './modules/resources/resource.model';
import { markDemoDone, markDemoFailed, markDemoStarted, ownerIsGone, readDemoMarker } from './modules/stats/demo-world';
import { startBackgroundJobs } from './jobs';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const started = Date.now();

  const db = await startDatabase({ uri: config.MONGODB_URI, dataDir: config.DATA_DIR, log });
  await mongoose.connect(db.uri, { dbName: config.MONGODB_DB, serverSelectionTimeoutMS: 15_000 });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  await ensureBootstrapAdmin(config, log);

  const app = createApp({ config, log });
  const stopJobs = startBackgroundJobs(config, log);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.PORT;
  log.info(
    { url: `http://${config.HOST}:${port}`, database: db.kind, startMs: Date.now() - started },
    'platform ready',
  );
  let stopSeeder = async () => {};

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    stopJobs();
    await stopSeeder(); // before the database goes: the pages must then say the load was interrupted
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.disconnect();
    await db.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (config.SEED_ON_EMPTY) stopSeeder = await seedIfEmpty(config, log, db.uri);
}

/**
 * An empty database (no users but the bootstrap admin, no resources) gets the demo world of seeds/,
 * loaded by `seeds/seed.ts` in a child process handed this server's database: the seeder moves the
 * platform clock through 2025–2026, which must never happen in the process that serves requests,
 * and the server answers (readyz included) while it runs. Returns the function that stops it.
 */
async function seedIfEmpty(config: Config, log: Logger, uri: string): Promise<() => Promise<void>> {
  // The seeder cannot resume half-way (it lays down a dated history), so an interrupted run is only reported.
  const marker = await readDemoMarker();
  if (marker && !marker.doneAt) {
    // Its seeder is gone (this host, its process no longer runs): the pages must not say "loading".
    if (!marker.failedAt && ownerIsGone(marker)) await markDemoFailed();
    log.warn(
      { startedAt: marker.startedAt },
      'the demo world was interrupted while loading and is incomplete: stop, delete DATA_DIR (./data) and start again',
    );
  }
  const others = await UserModel.countDocuments(config.ADMIN_EMAIL ? { email: { $ne: config.ADMIN_EMAIL } } : {});
  if (others > 0 || (await ResourceModel.exists({}))) return async () => {};
  await markDemoStarted();
  const root = path.resolve(__dirname, '../..');
  const args = ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(root, 'seeds/seed.ts')];
  const child = spawn(
    process.execPath,
    [...args, '--uri', uri, '--db', config.MONGODB_DB, '--scale', config.SEED_SCALE],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  log.info({ pid: child.pid }, 'empty database: loading the demo world (seeds/) in the background');
  readline.createInterface({ input: child.stdout }).on('line', (line) => log.info({ seed: line }, 'demo world'));
  readline.createInterface({ input: child.stderr }).on('line', (line) => log.warn({ seed: line }, 'demo world'));
  child.on('exit', (code, signal) => {
    if (code === 0) {
      log.info('demo world loaded');
      void markDemoDone().catch(() => undefined);
    } else {
      log.error({ code, signal }, 'demo world seeding did not complete');
      void markDemoFailed().catch(() => undefined);
    }
  });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await markDemoFailed().catch(() => undefined);
  };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
