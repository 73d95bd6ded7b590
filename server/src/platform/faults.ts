/**
 * Fault injection for tests of crash recovery: a named point throws `InjectedFault` when a test has
 * armed it. Arming is refused outside NODE_ENV=test, so production code paths can never trip it.
 */
export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

const armed = new Map<string, number>();

/** Arms `point` to fail its next `times` passes (tests only). */
export function armFault(point: string, times = 1): void {
  if (process.env.NODE_ENV !== 'test') throw new Error('fault injection is only available in tests');
  armed.set(point, times);
}

export function disarmFaults(): void {
  armed.clear();
}

/** Called at the places where a crash is simulated; a no-op unless a test armed it. */
export function faultPoint(point: string): void {
  const left = armed.get(point);
  if (!left) return;
  if (left <= 1) armed.delete(point);
  else armed.set(point, left - 1);
  throw new InjectedFault(`injected fault at ${point}`);
}

/** What `faultHang` writes to stderr when it stops, followed by the point's name. */
export const FAULT_HANG_MARKER = 'ZDEC_FAULT_HANG_REACHED';

/**
 * For tests that kill a real server process at an exact step: when NODE_ENV=test and the
 * environment variable ZDEC_FAULT_HANG names `point` (a comma-separated list may name several),
 * the caller stops there for good, after writing `ZDEC_FAULT_HANG_REACHED <point>` to stderr so
 * the test knows when to send SIGKILL. Otherwise it returns at once.
 */
export async function faultHang(point: string): Promise<void> {
  if (process.env.NODE_ENV !== 'test') return;
  const points = process.env.ZDEC_FAULT_HANG;
  if (!points || !points.split(',').includes(point)) return;
  process.stderr.write(`${FAULT_HANG_MARKER} ${point}\n`);
  await new Promise<never>(() => {});
}
