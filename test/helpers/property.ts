import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

/*
 * How every property test picks its seeds (issue 12, "CI must be deterministic").
 *
 * - `npm test`: each property runs with a fixed seed derived from its name, so a green CI stays green;
 *   the seed is printed.
 * - `npm run fuzz` (FUZZ_MODE=random): the same properties with fresh random seeds and many more runs.
 *   A failure prints its seed and path (fast-check's report); add them to
 *   test/property-regressions.json and the case is replayed by every later run, in both modes.
 * - `FUZZ_SEED=<n>` replays one seed; `FUZZ_RUNS=<n>` sets the number of runs.
 */

export const FUZZ_MODE: 'fixed' | 'random' = process.env.FUZZ_MODE === 'random' ? 'random' : 'fixed';
const DEFAULT_RUNS = FUZZ_MODE === 'random' ? 400 : 40;

export interface RegressionSeed {
  seed: number;
  /** fast-check's path of the failing case: replays exactly that case. */
  path?: string;
  /** When it was found and what it found. */
  found: string;
}

/** fast-check parameters as these helpers make them (assignable to `fc.Parameters` of any property). */
export interface PropertyParams {
  seed: number;
  numRuns?: number;
  path?: string;
  endOnFailure: true;
}

const REGRESSIONS_FILE = path.join(__dirname, '../property-regressions.json');
const regressions = JSON.parse(fs.readFileSync(REGRESSIONS_FILE, 'utf8')) as Record<string, RegressionSeed[] | string>;

/** A stable 32-bit seed from a property's name (FNV-1a), so each property has its own fixed seed. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(name, 'utf8')) h = Math.imul(h ^ ch, 0x01000193);
  return h | 0;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The fast-check parameters of one property run; its seed is printed. `scale` multiplies the runs. */
export function propertyParams(name: string, scale = 1): PropertyParams {
  const seed = process.env.FUZZ_SEED
    ? Number(process.env.FUZZ_SEED)
    : FUZZ_MODE === 'random'
      ? crypto.randomInt(-(2 ** 31), 2 ** 31 - 1)
      : seedOf(name);
  const numRuns = Math.max(1, Math.round(Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS) * scale));
  print(`property "${name}": seed ${seed}, ${numRuns} runs (${FUZZ_MODE}); replay with FUZZ_SEED=${seed}`);
  return { seed, numRuns, endOnFailure: true };
}

/** Every seed that once found a failure of this property, as jest cases: `[label, parameters]`. */
export function regressionCases(name: string): [string, PropertyParams][] {
  const list = regressions[name];
  if (!Array.isArray(list)) return [];
  return list.map((r) => [
    `seed ${r.seed}${r.path ? ` path ${r.path}` : ''} (${r.found})`,
    { seed: r.seed, ...(r.path ? { path: r.path } : { numRuns: DEFAULT_RUNS }), endOnFailure: true },
  ]);
}

/** The property names the regressions file knows, to check none is misspelt (a seed that never runs). */
export function regressionNames(): string[] {
  return Object.keys(regressions).filter((k) => !k.startsWith('//'));
}

/** One integer drawn from a property-style seed (for a randomised test that is not a fast-check property). */
export function seededInt(name: string, min: number, max: number): number {
  const { seed } = propertyParams(name);
  return fc.sample(fc.integer({ min, max }), { seed, numRuns: 1 })[0]!;
}
