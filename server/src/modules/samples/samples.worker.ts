import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
// The scanner alone, not all of @zdec/shared (its zod schemas): less for each thread to load.
import { Scanner, type ScanResult } from '../../../../shared/src/scan';
import { AppError, type FieldError } from '../../platform/errors';
import { parseSample, type ParsedSample } from './samples.parse';
import { scanBudgetExceeded } from './samples.scan';

/*
 * The task a scan worker thread runs (see samples.scan.ts): parse a sample and scan every row of it,
 * off the event loop. Loaded through samples.worker.js, which makes TypeScript loadable in the thread.
 */

/** What the parse found, without the rows (the caller stores the file, it does not need them). */
export type SampleSummary = Omit<ParsedSample, 'records'>;

export interface ScanTask {
  data: Uint8Array;
  /** Milliseconds the parse and scan may take, counted from when this thread starts on the task. */
  budgetMs: number;
  /** Told 'started' when the thread takes the task up, so the caller's hard limit starts then. */
  port: MessagePort;
}

export type ScanOutcome =
  | { ok: true; parsed: SampleSummary; scan: ScanResult }
  | {
      ok: false;
      error: { code: string; status: number; detail: string; errors?: FieldError[]; extra?: Record<string, unknown> };
    };

export default async function scanSampleTask(task: ScanTask): Promise<ScanOutcome> {
  const started = performance.now();
  task.port.postMessage('started');
  task.port.close();
  const scanner = new Scanner();
  let rows = 0;
  try {
    const data = Buffer.from(task.data.buffer, task.data.byteOffset, task.data.byteLength);
    const { records: _records, ...parsed } = await parseSample(data, {
      rowCap: 0,
      onRecord: (record, part) => {
        scanner.add(record, part);
        rows++;
        if (performance.now() - started > task.budgetMs) throw scanBudgetExceeded(task.budgetMs, rows);
      },
    });
    return { ok: true, parsed, scan: scanner.result() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return {
      ok: false,
      error: { code: err.code, status: err.status, detail: err.message, errors: err.errors, extra: err.extra },
    };
  }
}
