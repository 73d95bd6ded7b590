// Before `npm start`: builds the web client when client/dist is missing or older than its sources,
// so a fresh clone serves the client after `npm install && npm start` and later starts stay fast.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const client = path.join(root, 'client');
const built = path.join(client, 'dist', 'index.html');

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const pkg = JSON.parse(fs.readFileSync(path.join(client, 'package.json'), 'utf8')) as {
  scripts?: Record<string, string>;
};
if (!pkg.scripts?.build) process.exit(0);
const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(newest(client), newest(path.join(root, 'shared', 'src')));
if (builtAt >= sourcesAt) process.exit(0);

console.log('Building the web client (once; again only when its sources change)…');
const r = spawnSync('npm', ['run', 'build', '--workspace', 'client'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
