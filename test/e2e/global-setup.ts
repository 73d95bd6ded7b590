import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import globalSetup from '../setup/global-setup';
import { chromiumPath } from './browser';

/** The API tests' set-up (database, stripe-mock), plus a built client and a browser to drive it. */
export default async function e2eGlobalSetup(): Promise<void> {
  chromiumPath(); // fail early, with the fix, when there is no browser
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync('npx', ['tsx', 'scripts/ensure-client.ts'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(path.join(root, 'client/dist/index.html'))) {
    throw new Error('the web client could not be built (npm run build:client)');
  }
  await globalSetup();
}
