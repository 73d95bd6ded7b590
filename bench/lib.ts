import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Role } from '@zdec/shared';
import { createApp } from '../server/src/app';
import { loadConfig, type Config } from '../server/src/config';
import { createLogger } from '../server/src/platform/logger';
import { signToken } from '../server/src/platform/http/auth';
import { startDatabase, type DatabaseHandle } from '../server/src/platform/services/database';
import type { BulkActor } from '../seeds/bulk';
import type { LoadResult, LoadSpec } from './load';

export const RESULTS_DIR = path.resolve(__dirname, 'results');
const ROOT = path.resolve(__dirname, '..');

/** Options every benchmark takes (bench/run.ts passes them on). */
export interface BenchArgs {
  durationSeconds: number;
  connections: number;
  /** The server's log level; `silent` by default so the figures are the request path's, not the log's. */
  logLevel: string;
  /** An external database instead of the bench's own (not recommended: it must be empty). */
  uri?: string;
  /** Every `--name value` given, for the benchmark's own options. */
  flags: Record<string, string | undefined>;
}

export function benchArgs(argv = process.argv.slice(2)): BenchArgs {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[k] = argv[++i]!;
    else out[k] = 'true';
  }
  return {
    flags: out,
    durationSeconds: Number(out.duration ?? 10),
    connections: Number(out.connections ?? 8),
    logLevel: out['log-level'] ?? 'silent',
    uri: out.uri,
  };
}

/** A running bench world: its own database on a temporary DATA_DIR and the real app on 127.0.0.1:0. */
export interface Bench {
  config: Config;
  db: DatabaseHandle;
  dataDir: string;
  baseUrl: string;
  /** The database server's pid when it is a child of ours (FerretDB, mongod), for its peak memory. */
  databasePid?: number;
  token(actor: BulkActor | { userId: string; orgId: string; role: Role }): string;
  /**
   * Resolves once the database has been nearly idle (under 10% of a core) for a second, at most
   * `maxSeconds` later: after a bulk load FerretDB keeps working for a while, which would be
   * charged to whatever is measured first.
   */
  quiet(maxSeconds?: number): Promise<void>;
  close(): Promise<void>;
}

/** Finds the pid of the process whose command line mentions `needle` (the database's data directory). */
function pidWith(needle: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(needle) && Number(entry) !== process.pid) return Number(entry);
    } catch {
      // the process went away meanwhile
    }
  }
  return undefined;
}

export async function startBench(args: BenchArgs): Promise<Bench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zdec-bench-'));
  process.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: args.logLevel,
    HOST: '127.0.0.1',
    PORT: '0',
    MONGODB_URI: args.uri ?? '',
    MONGODB_DB: 'bench',
    OUTBOX_SWEEP_INTERVAL_MS: '0',
  });
  const log = createLogger(args.logLevel === 'silent' ? 'warn' : args.logLevel);
  const db = await startDatabase({ uri: config.MONGODB_URI, dataDir, log });
  await mongoose.connect(db.uri, { dbName: config.MONGODB_DB, serverSelectionTimeoutMS: 15_000 });
  const app = createApp({ config, log: createLogger(args.logLevel) });
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr !== 'object') throw new Error('the bench server did not listen');
  const databasePid = db.kind === 'external' ? undefined : pidWith(dataDir);
  return {
    config,
    db,
    dataDir,
    baseUrl: `http://127.0.0.1:${addr.port}`,
    databasePid,
    token: (a) => signToken(config, { id: a.userId, role: a.role, orgId: a.orgId }),
    async quiet(maxSeconds = 60) {
      const pid = databasePid;
      if (!pid) return;
      const deadline = Date.now() + maxSeconds * 1000;
      let before = cpuNow(pid).database ?? 0;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = cpuNow(pid).database ?? 0;
        if (now - before < 0.1) return;
        before = now;
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mongoose.disconnect();
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the load generator in its own process against the bench server and returns its figures. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const specFile = path.join(os.tmpdir(), `zdec-load-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(specFile, JSON.stringify(spec));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'load.ts'), specFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  } finally {
    fs.rmSync(specFile, { force: true });
  }
}

/** Peak resident memory in MiB: this process (server and bench code) and the database's process. */
export function peakRss(databasePid?: number): { benchProcessMiB: number; databaseMiB: number | null } {
  let databaseMiB: number | null = null;
  if (databasePid) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${databasePid}/status`, 'utf8'));
      if (m) databaseMiB = Math.round(Number(m[1]) / 1024);
    } catch {
      databaseMiB = null;
    }
  }
  return { benchProcessMiB: Math.round(process.resourceUsage().maxRSS / 1024), databaseMiB };
}

/** CPU seconds used so far by this process (server and bench code) and by the database's process. */
export function cpuNow(databasePid?: number): { server: number; database: number | null } {
  const u = process.cpuUsage();
  let database: number | null = null;
  if (databasePid) {
    try {
      // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
      const fields = fs.readFileSync(`/proc/${databasePid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      database = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      database = null;
    }
  }
  return { server: (u.user + u.system) / 1e6, database };
}

/**
 * Runs `fn` and says where the CPU went meanwhile: seconds used by this process (the server, or the
 * bench code calling the driver) and by the database. With `profile` set, also records a V8 CPU
 * profile of this process over the same span to bench/results/profiles/<profile>.cpuprofile.
 */
export async function measured<T>(
  bench: Pick<Bench, 'databasePid'>,
  fn: () => Promise<T>,
  profile?: string,
): Promise<{ value: T; cpuSeconds: { server: number; database: number | null }; profile?: string }> {
  let session: Session | undefined;
  if (profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const before = cpuNow(bench.databasePid);
  const value = await fn();
  const after = cpuNow(bench.databasePid);
  let file: string | undefined;
  if (session) {
    const { profile: data } = await session.post('Profiler.stop');
    session.disconnect();
    fs.mkdirSync(path.join(RESULTS_DIR, 'profiles'), { recursive: true });
    file = path.join(RESULTS_DIR, 'profiles', `${profile}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(data));
  }
  return {
    value,
    cpuSeconds: {
      server: after.server - before.server,
      database: after.database !== null && before.database !== null ? after.database - before.database : null,
    },
    ...(file ? { profile: path.relative(ROOT, file) } : {}),
  };
}

/** Latency figures of a series of timings (ms), as the load generator reports them. */
export function latencyOf(samples: number[]): { p50: number; p95: number; p99: number; mean: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  return { p50: at(50), p95: at(95), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), n: s.length };
}

/**
 * `concurrency` loops calling `fn` until `seconds` pass (or `amount` calls), each call timed: the
 * same shape of load as autocannon's connections, for the raw-driver side of a comparison.
 */
export async function timedLoops(
  fn: (i: number) => Promise<unknown>,
  opts: { concurrency: number; seconds: number; amount?: number },
): Promise<{ calls: number; seconds: number; perSecond: number; latencyMs: ReturnType<typeof latencyOf> }> {
  const samples: number[] = [];
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  let n = 0;
  const loop = async () => {
    while (performance.now() < deadline && (opts.amount === undefined || n < opts.amount)) {
      const i = n++;
      const t = performance.now();
      await fn(i);
      samples.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return { calls: samples.length, seconds, perSecond: samples.length / seconds, latencyMs: latencyOf(samples) };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Rounds every number in a result for printing and storing. */
export function tidy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? round(x) : x))) as T;
}

/** The machine the figures come from. */
export function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((x) => round(x)),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

/** Writes bench/results/<name>.json and prints where. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const body = tidy({ name, at: new Date().toISOString(), machine: machine(), ...result });
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  console.log(`  → ${path.relative(ROOT, file)}`);
  return file;
}

/** Runs a benchmark's main with its own bench world, closing it whatever happens. */
export function runMain(main: (args: BenchArgs) => Promise<void>): void {
  const args = benchArgs();
  main(args)
    .then(() => process.exit(process.exitCode ?? 0))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(1);
    });
}

export const fmt = (x: number, digits = 1) => x.toFixed(digits);
