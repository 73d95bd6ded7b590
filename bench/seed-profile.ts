/**
 * Where the demo world's load time goes: seeds the world (or its history up to `--until`) into an
 * empty embedded database with the driver's command monitoring on, and prints the database commands
 * by collection, command and filter shape — count, total and mean milliseconds — with the CPU the
 * seeder and the database spent.
 *
 *   npx tsx bench/seed-profile.ts [--until 2025-06-01] [--scale small|full] [--top 30] [--record-paths]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON } from 'mongodb';
import mongoose from 'mongoose';
import { loadConfig } from '../server/src/config';
import { allowSeederClock } from '../server/src/platform/clock';
import { createLogger } from '../server/src/platform/logger';
import { startDatabase } from '../server/src/platform/services/database';
import { cpuNow } from './lib';
import { seedDemoWorld } from '../seeds/world';
import { deferPathRecording } from '../server/src/modules/ledger/ledger.paths';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** A filter's shape: its keys and operators, values replaced by `?` (so one query pattern is one row). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object' && !(v instanceof Date) && v.constructor?.name === 'Object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, shape(x)]));
  return '?';
}

function describe(name: string, cmd: Record<string, unknown>): string {
  const coll = String(cmd[name] ?? '');
  let what: unknown = '';
  if (name === 'find' || name === 'count' || name === 'distinct')
    what = { filter: shape(cmd.filter ?? cmd.query), sort: shape(cmd.sort) };
  else if (name === 'update') what = (cmd.updates as { q: unknown }[]).map((u) => shape(u.q))[0];
  else if (name === 'delete') what = (cmd.deletes as { q: unknown }[]).map((u) => shape(u.q))[0];
  else if (name === 'findAndModify') what = shape(cmd.query);
  else if (name === 'aggregate') what = shape((cmd.pipeline as unknown[])?.[0]);
  else if (name === 'insert') what = `${(cmd.documents as unknown[]).length} doc(s)`;
  return `${coll.padEnd(24)} ${name.padEnd(13)} ${JSON.stringify(what)}`;
}

async function main(): Promise<void> {
  const until = arg('until') ? new Date(arg('until')!) : undefined;
  const scale = (arg('scale') ?? 'full') as 'full' | 'small';
  const top = Number(arg('top') ?? 30);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zdec-seedprof-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    MONGODB_URI: '',
    MONGODB_DB: 'seedprof',
    OUTBOX_SWEEP_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
  });
  const log = createLogger('warn', 'seed');
  allowSeederClock();
  if (!process.argv.includes('--record-paths')) deferPathRecording(); // as seeds/seed.ts does
  const db = await startDatabase({ uri: config.MONGODB_URI, dataDir, log });
  await mongoose.connect(db.uri, { dbName: config.MONGODB_DB, monitorCommands: true });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));

  // --where <collection>[,<collection>…]: which of our functions issue that collection's commands (async stack frames).
  const where = arg('where');
  const callers = new Map<string, number>();
  if (where)
    mongoose.set('debug', (coll: string, method: string) => {
      if (!where.split(',').includes(coll)) return;
      const frames = (new Error().stack ?? '')
        .split('\n')
        .filter((l) => /(server\/src|seeds)\//.test(l))
        .slice(0, 3)
        .map((l) =>
          l
            .trim()
            .replace(/^at (async )?/, '')
            .replace(/\(.*\/(server\/src|seeds)\//, '(')
            .replace(/:\d+\)$/, ')'),
        );
      const key = `${coll} ${method} ${frames.join(' < ')}`;
      callers.set(key, (callers.get(key) ?? 0) + 1);
    });
  const pending = new Map<number, string>();
  const rows = new Map<string, { n: number; ms: number }>();
  const client = mongoose.connection.getClient();
  client.on('commandStarted', (e) =>
    pending.set(e.requestId, describe(e.commandName, e.command as Record<string, unknown>)),
  );
  const done = (e: { requestId: number; duration: number }) => {
    const key = pending.get(e.requestId);
    pending.delete(e.requestId);
    if (!key) return;
    const r = rows.get(key) ?? { n: 0, ms: 0 };
    r.n++;
    r.ms += e.duration;
    rows.set(key, r);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);

  const dbPid = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .find((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dataDir) && Number(p) !== process.pid;
      } catch {
        return false;
      }
    });
  const cpu0 = cpuNow(dbPid ? Number(dbPid) : undefined);
  const started = Date.now();
  let steps = 0;
  await seedDemoWorld({
    config,
    log,
    scale,
    until,
    onProgress: (p) => void (p.phase !== 'accounts' && (steps = p.done)),
  });
  const wall = (Date.now() - started) / 1000;
  const cpu1 = cpuNow(dbPid ? Number(dbPid) : undefined);

  const all = [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const totalMs = all.reduce((a, [, r]) => a + r.ms, 0);
  const totalN = all.reduce((a, [, r]) => a + r.n, 0);
  console.log(
    `seeded ${steps} steps (${scale}${until ? ` until ${until.toISOString().slice(0, 10)}` : ''}) in ${wall.toFixed(1)} s`,
  );
  console.log(
    `CPU: seeder ${(cpu1.server - cpu0.server).toFixed(1)} s, database ${cpu1.database !== null && cpu0.database !== null ? (cpu1.database - cpu0.database).toFixed(1) : '?'} s`,
  );
  console.log(`${totalN} database commands, ${(totalMs / 1000).toFixed(1)} s in flight (summed)`);
  console.log('   count   total ms  mean ms  collection / command / filter shape');
  for (const [key, r] of all.slice(0, top))
    console.log(
      `${String(r.n).padStart(8)} ${r.ms.toFixed(0).padStart(10)} ${(r.ms / r.n).toFixed(2).padStart(8)}  ${key}`,
    );
  console.log('documents (count, mean BSON bytes, the biggest fields of the largest):');
  for (const name of ['listings', 'resources', 'orders', 'authorizations', 'ledger', 'order_transitions']) {
    const docs = await mongoose.connection.db!.collection(name).find({}).toArray();
    if (!docs.length) continue;
    const sizes = docs.map((d) => BSON.calculateObjectSize(d));
    const big = docs[sizes.indexOf(Math.max(...sizes))]!;
    const fields = Object.entries(big)
      .map(([k, v]) => [k, BSON.calculateObjectSize({ v })] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(
      `  ${name.padEnd(18)} ${String(docs.length).padStart(6)} ${String(Math.round(sizes.reduce((a, b) => a + b, 0) / docs.length)).padStart(7)}  ${fields}`,
    );
  }
  if (where) {
    console.log(`callers of ${where} (method, our nearest frames):`);
    for (const [k, n] of [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${String(n).padStart(8)}  ${k}`);
  }
  await mongoose.disconnect();
  await db.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
