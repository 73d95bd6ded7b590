import http from 'node:http';
import mongoose from 'mongoose';
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { createLogger } from './platform/logger';
import { startDatabase } from './platform/services/database';
import { ensureBootstrapAdmin } from './modules/accounts/accounts.service';
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
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await mongoose.disconnect();
    await db.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
