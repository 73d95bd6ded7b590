/**
 * The platform's notion of "now". Only the seeders move it (to lay down a history of trades over
 * 2025–2026 through the real services); a running server never does.
 */
let fixed: Date | null = null;

export function now(): Date {
  return fixed ? new Date(fixed) : new Date();
}

/** Runs `fn` with the clock set to `at` (seeding only; refused in production). */
export async function atTime<T>(at: Date, fn: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV === 'production') throw new Error('the clock cannot be moved in production');
  const before = fixed;
  fixed = at;
  try {
    return await fn();
  } finally {
    fixed = before;
  }
}
