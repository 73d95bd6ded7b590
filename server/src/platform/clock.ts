/**
 * The platform's notion of "now". Only the seeders move it (to lay down a history of trades over
 * 2025–2026 through the real services); a running server never does.
 */
let fixed: Date | null = null;
let seederProcess = false;

export function now(): Date {
  return fixed ? new Date(fixed) : new Date();
}

/**
 * Declares this process a seeder (`npm run seed`, the start-up seeding child): a process that serves
 * nothing, so it may move the clock even with NODE_ENV=production. A server never calls this.
 */
export function allowSeederClock(): void {
  seederProcess = true;
}

/** Runs `fn` with the clock set to `at` (seeding only; refused in a production server). */
export async function atTime<T>(at: Date, fn: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV === 'production' && !seederProcess) {
    throw new Error('the clock cannot be moved in production');
  }
  const before = fixed;
  fixed = at;
  try {
    return await fn();
  } finally {
    fixed = before;
  }
}
