import os from 'node:os';
import mongoose from 'mongoose';

/**
 * Where the demo world's loading stands, for the pages' banner ("演示数据加载中 …"): the start-up
 * seeder (server/src/main.ts starts seeds/seed.ts in a child process) writes its phase and step
 * count into one document of `platform_meta`, read and written by `_id` alone (cheap on every
 * engine); the server answers GET /api/v1/stats/demo-world from it.
 */
export interface DemoWorldProgress {
  /** What is being laid down: accounts, resources, authorizations, listings, trades, sandbox. */
  phase: string;
  done: number;
  total: number;
  /** The date in the world's history the seeder has reached. */
  at: string;
}

export interface DemoWorldStatus {
  /** `none`: no demo world was ever loaded here; `interrupted`: a load stopped half-way. */
  state: 'none' | 'loading' | 'loaded' | 'interrupted';
  startedAt?: string;
  doneAt?: string;
  progress?: DemoWorldProgress;
  /** Whole percent of the seeder's steps done (while loading). */
  percent?: number;
}

interface Marker {
  _id: string;
  startedAt?: Date;
  doneAt?: Date;
  failedAt?: Date;
  /** The seeder's heartbeat: a load whose seeder has not beaten for STALE_MS has stopped. */
  beatAt?: Date;
  /** The process that owns the load: the server that started it, then the seeder itself. */
  owner?: { pid: number; host: string };
  progress?: DemoWorldProgress;
}

/** The seeder beats every BEAT_MS; silent for STALE_MS, it is taken to have stopped. */
const BEAT_MS = 5_000;
const STALE_MS = 60_000;

const MARKER = 'demo-seed';
function meta() {
  return mongoose.connection.db!.collection<Marker>('platform_meta');
}

export async function readDemoMarker(): Promise<Marker | null> {
  return meta().findOne({ _id: MARKER });
}

/** A load begins (again): the marker says so until it is done. */
export async function markDemoStarted(): Promise<void> {
  await meta().updateOne(
    { _id: MARKER },
    {
      $set: { startedAt: new Date(), owner: { pid: process.pid, host: os.hostname() } },
      $unset: { doneAt: '', failedAt: '', beatAt: '', progress: '' },
    },
    { upsert: true },
  );
}

export async function markDemoDone(): Promise<void> {
  await meta().updateOne({ _id: MARKER }, { $set: { doneAt: new Date() }, $unset: { progress: '' } });
}

/** A load that is done stays done: a seeder stopped after it finished (while it exits) is no failure. */
export async function markDemoFailed(): Promise<void> {
  const m = await readDemoMarker();
  if (!m || m.doneAt) return;
  await meta().updateOne({ _id: MARKER }, { $set: { failedAt: new Date() } });
}

/**
 * Whether the process that owned an unfinished load is gone: it ran on this host and no longer
 * runs (a server stopped or killed while its seeder ran). On another host it cannot be told; the
 * heartbeat's age decides there.
 */
export function ownerIsGone(m: Marker): boolean {
  if (!m.owner || m.owner.host !== os.hostname()) return false;
  try {
    process.kill(m.owner.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The seeder's side: records how far it is (best effort, at most every `everyMs`: a lost write
 * only makes the banner lag) and beats while it runs. `stop()` ends the heartbeat.
 */
export function progressRecorder(everyMs = 1_000): {
  report: (p: DemoWorldProgress) => void;
  stop: () => Promise<void>;
} {
  let last = 0;
  // One write at a time, in order: two in flight on different connections could land swapped.
  let tail: Promise<unknown> = Promise.resolve();
  const write = (set: Partial<Marker>) => {
    tail = tail.then(() => meta().updateOne({ _id: MARKER }, { $set: set }, { upsert: true })).catch(() => undefined);
  };
  write({ beatAt: new Date() });
  const beat = setInterval(() => write({ beatAt: new Date() }), BEAT_MS);
  beat.unref();
  return {
    report: (p) => {
      const t = Date.now();
      if (t - last < everyMs && p.done < p.total) return;
      last = t;
      write({ progress: p, beatAt: new Date() });
    },
    /** Ends the heartbeat once the writes asked for are done. */
    stop: async () => {
      clearInterval(beat);
      await tail;
    },
  };
}

/**
 * The status the pages show. `loading` needs a live seeder: a marker without `doneAt` whose seeder
 * failed (the server marks that when its child exits) or has stopped beating (the server was
 * stopped while it ran) is `interrupted`.
 */
export async function demoWorldStatus(now = new Date()): Promise<DemoWorldStatus> {
  const m = await readDemoMarker();
  if (!m) return { state: 'none' };
  const base = m.startedAt ? { startedAt: m.startedAt.toISOString() } : {};
  if (m.doneAt) return { state: 'loaded', ...base, doneAt: m.doneAt.toISOString() };
  const alive = (m.beatAt ?? m.startedAt ?? new Date(0)).getTime() > now.getTime() - STALE_MS;
  if (m.failedAt || !alive) return { state: 'interrupted', ...base, ...(m.progress ? { progress: m.progress } : {}) };
  const progress = m.progress;
  const percent = progress && progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;
  return { state: 'loading', ...base, ...(progress ? { progress } : {}), percent };
}
