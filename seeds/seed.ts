/**
 * `npm run seed`: loads the Henan demo world into the database, unless it already holds resources.
 *
 *   npm run seed                                  the database `npm start` uses (MONGODB_URI, else DATA_DIR)
 *   npm run seed -- --uri mongodb://host:port/ --db zdec
 *                                                 a database someone else runs (the server hands its own
 *                                                 to the start-up seeder this way: FerretDB's SQLite files
 *                                                 must not be opened by two FerretDB processes)
 *   npm run seed -- --scale small                 12 resources, 16 listings, about 20 trades
 *   npm run seed -- --plan                        print what would be seeded; no database
 *
 * Progress goes to stdout one line at a time; the exit code is 0 when the world is there.
 */
import mongoose from 'mongoose';
import { formatYuan } from '@zdec/shared';
import { ConfigError, loadConfig } from '../server/src/config';
import { allowSeederClock } from '../server/src/platform/clock';
import { createLogger } from '../server/src/platform/logger';
import { startDatabase } from '../server/src/platform/services/database';
import { cutCheckpoints } from '../server/src/modules/ledger/checkpoint.service';
import { deferPathRecording } from '../server/src/modules/ledger/ledger.paths';
import { sweepOutbox } from '../server/src/modules/ledger/outbox';
import { markDemoDone, markDemoStarted, progressRecorder } from '../server/src/modules/stats/demo-world';
import { planWorld, type SeedScale } from './plan';
import { seedDemoWorld, type SeedCounts } from './world';

/** Set by SIGINT/SIGTERM: the work in flight then fails on the closed connection, which is no news. */
let interrupted = false;

interface Args {
  uri?: string;
  db?: string;
  scale: SeedScale;
  planOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 'full', planOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--uri') args.uri = value();
    else if (a === '--db') args.db = value();
    else if (a === '--scale') {
      const v = value();
      if (v !== 'full' && v !== 'small') throw new Error('--scale is full or small');
      args.scale = v;
    } else if (a === '--plan') args.planOnly = true;
    else throw new Error(`unknown argument ${a} (see seeds/seed.ts)`);
  }
  return args;
}

/** The database named in a connection string's path (`mongodb://h:1/zdec?x=y` → zdec), if any. */
function dbInUri(uri: string): string | undefined {
  const path = uri
    .replace(/^[a-z+]+:\/\/[^/]*/i, '')
    .split('?')[0]!
    .replace(/^\//, '');
  return path ? decodeURIComponent(path) : undefined;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const yuan = (fen: number) => `¥${formatYuan(fen)}`;

function printCounts(c: SeedCounts): void {
  const line = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  out(`users: ${c.users}`);
  out(`resources: ${c.resources}`);
  out(`authorizations: ${c.authorizations}`);
  out(`listings: ${line(c.listings)}`);
  out(`orders: ${line(c.orders)}`);
  out(`ledger: ${line(c.ledger)}`);
  out(`volume (settled − refunded): ${yuan(c.volumeFen)}`);
}

function printPlan(scale: SeedScale): void {
  const plan = planWorld({ scale });
  const kinds: Record<string, number> = {};
  let fen = 0;
  for (const s of plan.steps) {
    kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    if (s.kind === 'confirm') fen += s.amountFen;
    if (s.kind === 'refund') fen -= s.amountFen;
  }
  out(
    `plan (${scale}): ${Object.entries(kinds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  out(`from ${plan.steps[0]?.at.toISOString()} to ${plan.steps.at(-1)?.at.toISOString()}; volume ${yuan(fen)}`);
  if (plan.skipped.length) out(`skipped: ${plan.skipped.join('; ')}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.planOnly) return printPlan(args.scale);
  const config = loadConfig();
  allowSeederClock();
  deferPathRecording(); // the ledger's filtered-page paths are caught up by the server afterwards
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'seed');
  const started = Date.now();

  const db = args.uri
    ? { uri: args.uri, stop: async () => {} }
    : await startDatabase({ uri: config.MONGODB_URI, dataDir: config.DATA_DIR, log });
  const dbName = args.db ?? (args.uri ? dbInUri(args.uri) : undefined) ?? config.MONGODB_DB;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await mongoose.disconnect().catch(() => undefined);
    await db.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      out(`interrupted (${signal}): the world is incomplete; drop the database to seed it again`);
      void stop().finally(() => process.exit(130));
    });
  }

  try {
    await mongoose.connect(db.uri, { dbName, serverSelectionTimeoutMS: 15_000 });
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
    out(`seeding the demo world (${args.scale}) into database ${dbName}`);
    await markDemoStarted(); // the pages' "demo world loading" banner reads the marker and its progress
    const progress = progressRecorder();
    const result = await seedDemoWorld({
      config,
      log,
      scale: args.scale,
      onProgress: (p) => {
        if (p.phase !== 'accounts') progress.report(p); // the banner counts the history's steps, not the accounts
        out(`${p.phase.padEnd(14)} ${String(p.done).padStart(5)}/${p.total}  ${p.at.slice(0, 10)}`);
      },
    }).finally(() => progress.stop());
    if (!result.seeded) {
      out('the database already holds resources: nothing seeded');
    } else {
      await sweepOutbox(log);
      const checkpoints = await cutCheckpoints(config);
      out(`ledger checkpoints signed: ${checkpoints}`);
    }
    await markDemoDone();
    printCounts(result.counts);
    out(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (!stopping) await stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (interrupted) return; // the signal handler reports it and exits
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
