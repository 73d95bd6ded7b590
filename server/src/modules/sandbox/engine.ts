import fs from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { AppError } from '../../platform/errors';

/**
 * The sandbox engine, server side: a small pool of worker processes (engine.worker.cjs, forked with
 * Node's IPC) that own DuckDB. A job that overruns its time limit is first interrupted inside the
 * worker (DuckDB's interrupt, checked between chunks); if the worker does not answer within a grace
 * period (one chunk of an expensive function can run long) it is killed and replaced, so nothing a
 * buyer writes can hold the pool. Processes rather than worker threads: killing one is always safe,
 * and DuckDB's memory is not the server's.
 */

const WORKER_FILE = path.join(__dirname, 'engine.worker.cjs');
const GRACE_MS = 3_000;
/** Jobs waiting for a worker before new ones are refused with 503. */
const MAX_QUEUE = 64;

export type EngineErrorKind = 'time-limit' | 'memory-limit' | 'engine';
export interface EngineError {
  kind: EngineErrorKind;
  message: string;
}

export interface StepResult {
  sql: string;
  columns: string[];
  types: string[];
  rows: unknown[][];
  truncated: boolean;
  ms: number;
}

export interface RunOutput {
  results: StepResult[];
  error?: EngineError;
  ms: number;
}

export interface ParseTree {
  error: boolean;
  error_type?: string;
  error_message?: string;
  statements?: { node: Record<string, unknown> }[];
}

type Job =
  | { type: 'parse'; sqls: string[] }
  | { type: 'deparse'; trees: unknown[] }
  | {
      type: 'prepare';
      path: string;
      columns: { name: string; sqlType: string }[];
      columnNames: string[];
      fieldsJson: string;
      rows: (string | null)[][];
      json: string[];
    }
  | {
      type: 'run' | 'page';
      path: string;
      macros: string[];
      timeoutMs: number;
      memoryLimitMb: number;
      steps: RunStep[];
    };

interface Pending {
  job: Job;
  hardMs: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: ChildProcess;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

let nextId = 0;

class EnginePool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];

  constructor(private readonly size: number) {}

  private spawn(): Slot {
    // No execArgv: the worker is plain JavaScript and must not inherit tsx's or jest's loaders.
    const worker = fork(WORKER_FILE, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    worker.unref();
    worker.channel?.unref();
    const slot: Slot = { worker, busy: null, timer: null };
    worker.on('message', (msg: { ok: boolean; out?: unknown; error?: EngineError }) => {
      const p = slot.busy;
      this.release(slot);
      if (!p) return;
      if (msg.ok) p.resolve(msg.out);
      else p.reject(new EngineFailure(msg.error ?? { kind: 'engine', message: 'engine failure' }));
    });
    worker.on('error', (err) => this.fail(slot, { kind: 'engine', message: String(err.message ?? err) }));
    worker.on('exit', (code, signal) =>
      this.fail(slot, { kind: 'engine', message: `the engine worker stopped (${signal ?? code})` }),
    );
    return slot;
  }

  private fail(slot: Slot, error: EngineError): void {
    const p = slot.busy;
    if (slot.timer) clearTimeout(slot.timer);
    slot.busy = null;
    this.slots = this.slots.filter((s) => s !== slot);
    if (p) p.reject(new EngineFailure(error));
    this.drain();
  }

  private release(slot: Slot): void {
    slot.worker.channel?.unref();
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.busy = null;
    this.drain();
  }

  private drain(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) {
        slot = this.spawn();
        this.slots.push(slot);
      }
      if (!slot) return;
      const p = this.queue.shift()!;
      slot.busy = p;
      const s = slot;
      slot.timer = setTimeout(() => {
        // The worker did not come back after DuckDB's own interrupt: replace it.
        const w = s.worker;
        this.fail(s, { kind: 'time-limit', message: 'the engine did not stop in time and was restarted' });
        w.kill('SIGKILL');
      }, p.hardMs);
      slot.worker.channel?.ref(); // a pending job keeps the process alive; an idle pool does not
      slot.worker.send({ id: ++nextId, job: p.job });
    }
  }

  submit<T>(job: Job, hardMs: number): Promise<T> {
    if (this.queue.length >= MAX_QUEUE) {
      return Promise.reject(new AppError('sandbox-busy', 503, 'The sandbox engine is busy; try again shortly'));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, hardMs, resolve: resolve as (v: unknown) => void, reject });
      this.drain();
    });
  }

  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(
      slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.worker.exitCode !== null || s.worker.signalCode !== null) return resolve();
            s.worker.once('exit', () => resolve());
            s.worker.kill();
          }),
      ),
    );
  }
}

export class EngineFailure extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

let pool: EnginePool | null = null;
function engine(): EnginePool {
  pool ??= new EnginePool(Math.max(1, Number(process.env.SANDBOX_WORKERS ?? 2) || 2));
  return pool;
}

/** Stops the engine's workers (tests, shutdown). */
export async function closeEngine(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}

/** DuckDB's parse trees of some SQL texts (json_serialize_sql), one per text. */
export async function parseSql(sqls: string[]): Promise<ParseTree[]> {
  const out = await engine().submit<{ trees: ParseTree[] }>({ type: 'parse', sqls }, 10_000);
  return out.trees;
}

/** SQL texts of parse trees (json_deserialize_sql), one per tree. */
export async function deparseSql(trees: unknown[]): Promise<string[]> {
  const out = await engine().submit<{ sqls: string[] }>({ type: 'deparse', trees }, 10_000);
  return out.sqls;
}

export interface RunLimits {
  timeoutMs: number;
  memoryLimitMb: number;
}

export interface RunStep {
  sql?: string;
  tree?: unknown;
  maxRows: number;
}

/** Runs steps against a prepared database, read-only and locked down, under the limits. */
export function runSteps(dbPath: string, macros: string[], steps: RunStep[], limits: RunLimits): Promise<RunOutput> {
  return engine().submit<RunOutput>(
    { type: 'run', path: dbPath, macros, steps, ...limits },
    limits.timeoutMs + GRACE_MS,
  );
}

/**
 * The platform's own fixed reads of a prepared database (API delivery pages, metadata): the same
 * locked, read-only engine, kept open in the worker between calls. Never for buyer SQL.
 */
export function trustedRead(
  dbPath: string,
  steps: { sql: string; maxRows: number }[],
  limits: RunLimits,
): Promise<RunOutput> {
  return engine().submit<RunOutput>(
    { type: 'page', path: dbPath, macros: [], steps, ...limits },
    limits.timeoutMs + GRACE_MS,
  );
}

// ---------------------------------------------------------------------------------------------
// Prepared deliverables

const preparing = new Map<string, Promise<string>>();

export interface PrepareInput {
  columns: { name: string; sqlType: string }[];
  columnNames: string[];
  /** The sandbox schema (SandboxField[]) as JSON, kept in __meta. */
  fieldsJson: string;
  rows: (string | null)[][];
  json: string[];
}

/**
 * The prepared database at `file` (under DATA_DIR/sandbox), built once by `load` when it does not
 * exist yet; concurrent callers for the same file share one build. The file is written under a
 * temporary name and renamed, so a reader never sees half of it.
 */
export async function preparedDatabase(file: string, load: () => Promise<PrepareInput>): Promise<string> {
  if (fs.existsSync(file)) return file;
  let p = preparing.get(file);
  if (!p) {
    p = (async () => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const input = await load();
      await engine().submit({ type: 'prepare', path: file, ...input }, 10 * 60_000);
      return file;
    })().finally(() => preparing.delete(file));
    preparing.set(file, p);
  }
  return p;
}
