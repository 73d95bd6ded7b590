import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { ensureFerretLauncher, hasGo, toolsCacheDir } from './go-tools';
import { freePort, startService } from './process';

export type DatabaseKind = 'external' | 'mongodb-memory-server' | 'ferretdb';

export interface DatabaseHandle {
  kind: DatabaseKind;
  /** A connection string without a database name; callers choose the database. */
  uri: string;
  stop(): Promise<void>;
}

export class NoDatabaseError extends Error {
  override name = 'NoDatabaseError';
}

const MMS_MISS_MARKER = 'mongodb-memory-server.unavailable';
const MMS_MISS_TTL_MS = 24 * 3600 * 1000;

/**
 * The one place that decides which database the platform, the tests and the scripts use:
 * 1. `MONGODB_URI` when set;
 * 2. otherwise a persistent `mongod` through mongodb-memory-server (honours MONGOMS_SYSTEM_BINARY);
 *    a failed download is remembered for a day so every start does not wait for it again;
 * 3. otherwise, where Go is installed (or the launcher is already built), FerretDB v1 with its
 *    SQLite backend through tools/ferretdb-launcher;
 * 4. otherwise an error naming the three ways.
 * `dataDir` holds the data of 2 and 3, so it survives a restart.
 */
export async function startDatabase(opts: { uri?: string; dataDir: string; log: Logger }): Promise<DatabaseHandle> {
  const { log } = opts;
  if (opts.uri) {
    log.info('database: MONGODB_URI');
    return { kind: 'external', uri: opts.uri, stop: async () => {} };
  }

  const tried: string[] = [];
  const mms = await tryMongoMemoryServer(opts.dataDir, log).catch((err: Error) => {
    tried.push(`mongodb-memory-server: ${err.message.split('\n')[0]}`);
    return null;
  });
  if (mms) return mms;

  try {
    const bin = ensureFerretLauncher();
    const dir = path.join(opts.dataDir, 'ferretdb');
    fs.mkdirSync(dir, { recursive: true });
    const port = await freePort();
    // WAL with synchronous=normal unless ZDEC_SQLITE_SYNCHRONOUS=full: a commit survives a crash of the
    // database process but not of the machine, and costs no fsync (9 ms each on this disk).
    const sync = process.env.ZDEC_SQLITE_SYNCHRONOUS === 'full' ? 'full' : 'normal';
    const args = ['-listen', `127.0.0.1:${port}`, '-dir', dir, '-synchronous', sync, '-exit-on-stdin-eof'];
    const svc = await startService(bin, args, port);
    log.info({ port, dir, pid: svc.pid }, 'database: FerretDB (SQLite backend)');
    return { kind: 'ferretdb', uri: `mongodb://127.0.0.1:${port}/`, stop: () => svc.stop() };
  } catch (err) {
    tried.push(`FerretDB: ${(err as Error).message.split('\n')[0]}${hasGo() ? '' : ' (install Go 1.22+ to build it)'}`);
  }

  throw new NoDatabaseError(
    'No database available. Use one of:\n' +
      '  1. set MONGODB_URI to a MongoDB server (e.g. `docker compose up mongo`);\n' +
      '  2. let mongodb-memory-server run a mongod (needs its download host, or MONGOMS_SYSTEM_BINARY=/path/to/mongod);\n' +
      '  3. install Go so the embedded FerretDB (SQLite) launcher can be built.\n' +
      `Tried:\n  ${tried.join('\n  ')}`,
  );
}

async function tryMongoMemoryServer(dataDir: string, log: Logger): Promise<DatabaseHandle | null> {
  const marker = path.join(toolsCacheDir(), MMS_MISS_MARKER);
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY;
  if (!systemBinary && fs.existsSync(marker) && Date.now() - fs.statSync(marker).mtimeMs < MMS_MISS_TTL_MS) {
    throw new Error(`skipped: its mongod download failed recently (delete ${marker} to retry)`);
  }
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(dataDir, 'mongo');
  fs.mkdirSync(dbPath, { recursive: true });
  try {
    const server = await MongoMemoryServer.create({
      instance: { dbPath, ip: '127.0.0.1', storageEngine: 'wiredTiger' },
    });
    log.info({ dbPath }, 'database: mongod through mongodb-memory-server');
    const uri = server.getUri().replace(/\/[^/]*$/, '/');
    return { kind: 'mongodb-memory-server', uri, stop: async () => void (await server.stop({ doCleanup: false })) };
  } catch (err) {
    if (!systemBinary) {
      fs.mkdirSync(path.dirname(marker), { recursive: true });
      fs.writeFileSync(marker, String((err as Error).message).slice(0, 2000));
    }
    throw err;
  }
}
