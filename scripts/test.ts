// `npm test`: the API and module suites, then the browser suite, each a jest run; ends with one
// plain line counting both (`tests: N passed, N failed`) and fails if either run failed.
// Extra arguments go to both runs (e.g. `npm test -- --runInBand`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const jest = require.resolve('jest/bin/jest');
const runs = [
  { name: 'api', args: [] as string[] },
  { name: 'e2e', args: ['--config', 'test/e2e/jest.config.js'] },
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zdec-jest-'));
let passed = 0;
let failed = 0;
let ok = true;
for (const run of runs) {
  const out = path.join(dir, `${run.name}.json`);
  const r = spawnSync(
    process.execPath,
    [jest, ...run.args, '--json', `--outputFile=${out}`, ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) ok = false;
  if (fs.existsSync(out)) {
    const res = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numRuntimeErrorTestSuites: number;
    };
    passed += res.numPassedTests;
    failed += res.numFailedTests + res.numRuntimeErrorTestSuites;
  } else {
    failed += 1; // the run died before reporting
  }
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
