import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const s = (globalThis as Record<string, unknown>).__zdecServices as
    { db: { stop(): Promise<void> }; stripe: { stop(): Promise<void> }; dataDir: string } | undefined;
  if (!s) return;
  await Promise.allSettled([s.db.stop(), s.stripe.stop()]);
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}
