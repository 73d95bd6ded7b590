import { availableParallelism } from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../../platform/errors';
import type { ScanOutcome, ScanTask } from './samples.worker';

/*
 * Samples are parsed and scanned in worker threads (a piscina pool), never on the event loop: a
 * scan of a 10 MB file takes seconds, and while it runs the server keeps answering. Each scan has a
 * time budget (SCAN_BUDGET_MS), counted from when a thread takes it up: the worker checks it after
 * every row and refuses the sample (422 sample-scan-timeout); a thread that overruns the budget by
 * graceMs (stuck in one huge value) is terminated, with the same answer.
 */

export interface SampleScanSettings {
  /** Time budget of one scan, in milliseconds. */
  budgetMs: number;
  /** Worker threads scanning at once. */
  threads: number;
  /** How far past the budget a thread may run before it is terminated (it checks the budget after every row). */
  graceMs: number;
}

export const DEFAULT_SCAN_BUDGET_MS = 30_000;
/** One thread fewer than the cores (the event loop keeps one), at least one. */
export const defaultScanThreads = () => Math.max(1, availableParallelism() - 1);
const HARD_LIMIT_GRACE_MS = 2_000;
/** Scans waiting for a thread, per thread; past that an upload is answered 503 (retry later). */
const QUEUE_PER_THREAD = 8;

let settings: SampleScanSettings = {
  budgetMs: DEFAULT_SCAN_BUDGET_MS,
  threads: defaultScanThreads(),
  graceMs: HARD_LIMIT_GRACE_MS,
};
let pool: Piscina | undefined;

/** Sets budget and threads (createApp calls it from the configuration); a running pool is replaced. */
export function configureSampleScan(next: Partial<SampleScanSettings>): void {
  const merged = { ...settings, ...next };
  if (pool && merged.threads !== settings.threads) void closeSampleScan();
  settings = merged;
}

/** Stops the worker threads (idle ones never keep the process alive anyway). */
export async function closeSampleScan(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

function getPool(): Piscina {
  pool ??= new Piscina({
    filename: path.join(__dirname, 'samples.worker.js'),
    minThreads: 0,
    maxThreads: settings.threads,
    idleTimeout: 60_000,
    maxQueue: settings.threads * QUEUE_PER_THREAD,
  });
  return pool;
}

/** The problem for a sample whose scan did not finish within the budget (the upload is refused). */
export function scanBudgetExceeded(budgetMs: number, rows?: number): AppError {
  const where = rows === undefined ? 'stopped inside one value' : `stopped after ${rows} rows`;
  return new AppError(
    'sample-scan-timeout',
    422,
    `The sample could not be scanned within the time budget of ${budgetMs} ms (${where}); ` +
      'nothing was stored. Upload a smaller sample, or split it.',
    {
      errors: [{ path: 'file', message: `scanning took longer than ${budgetMs} ms` }],
      extra: { budgetMs, ...(rows === undefined ? {} : { rows }) },
    },
  );
}

/** Parses and scans a sample in a worker thread; throws the parser's AppError, or 422 past the budget. */
export async function scanSampleOffThread(data: Buffer): Promise<Extract<ScanOutcome, { ok: true }>> {
  const { budgetMs, graceMs } = settings;
  const { port1, port2 } = new MessageChannel();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  port1.once('message', () => {
    timer = setTimeout(() => abort.abort(), budgetMs + graceMs);
  });
  let outcome: ScanOutcome;
  try {
    // The bytes go over in shared memory: a structured clone of 10 MB would hold the loop ~70 ms.
    // An upload arrives in shared memory already (samples.upload.ts); other callers' bytes are copied once.
    const shared =
      data.buffer instanceof SharedArrayBuffer
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(new SharedArrayBuffer(data.length));
    if (shared.buffer !== data.buffer) shared.set(data);
    const task: ScanTask = { data: shared, budgetMs, port: port2 };
    outcome = await getPool().run(task, { transferList: [port2], signal: abort.signal });
  } catch (err) {
    if (abort.signal.aborted) throw scanBudgetExceeded(budgetMs);
    if (err instanceof Error && /queue is at limit/i.test(err.message)) {
      throw new AppError('scanner-busy', 503, 'Every sample scanner is busy; try the upload again in a minute', {
        extra: { retryAfterSeconds: 60 },
      });
    }
    throw err;
  } finally {
    clearTimeout(timer);
    port1.close();
  }
  if (!outcome.ok) {
    const e = outcome.error;
    throw new AppError(e.code, e.status, e.detail, { errors: e.errors, extra: e.extra });
  }
  return outcome;
}
