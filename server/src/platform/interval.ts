import type { Logger } from './logger';

/**
 * Runs `work` now and then every `intervalMs` (0: only now), never two runs at once; a failure is
 * logged and the next run tries again. Returns the stop function.
 */
export function runPeriodically(name: string, intervalMs: number, log: Logger, work: () => Promise<void>): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (err) {
      log.error({ err }, `${name} failed`);
    } finally {
      running = false;
    }
  };
  void run();
  if (!intervalMs) return () => {};
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
