// `npm run fuzz`: every property test (test/helpers/property.ts) with fresh random seeds and many more
// runs than `npm test`, plus every recorded regression seed. Each property prints its seed; a failure
// prints fast-check's seed and path, which go into test/property-regressions.json.
// `npm run fuzz -- --runs 2000` sets the runs per property; further arguments go to jest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? args.splice(at, 2)[1] : (process.env.FUZZ_RUNS ?? '400');
const PROPERTY_FILES = ['test/reliability/fuzz.test.ts', 'test/reliability/kill.test.ts'];

const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...PROPERTY_FILES, ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_MODE: 'random', FUZZ_RUNS: runs },
});
process.exit(r.status ?? 1);
