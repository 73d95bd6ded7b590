import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where Go-built helpers are kept between runs (outside the repository, reused by later runs). */
export function toolsCacheDir(): string {
  return (
    process.env.ZDEC_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'zdec-platform')
  );
}

export function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const LAUNCHER_DIR = path.join(REPO_ROOT, 'tools', 'ferretdb-launcher');
export const STRIPE_MOCK_VERSION = 'v0.197.0';

function build(target: string, what: string, run: (tmp: string) => { status: number | null; stderr: string }): string {
  if (fs.existsSync(target)) return target;
  if (!hasGo()) throw new Error(`${what} is not built and Go is not installed to build it`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(target), '.build-'));
  try {
    const r = run(tmp);
    if (r.status !== 0) throw new Error(`building ${what} failed:\n${r.stderr.slice(-4000)}`);
    const built = path.join(tmp, path.basename(target).replace(/-[0-9a-fv.]+$/, ''));
    fs.renameSync(built, target); // atomic: a concurrent build of the same thing is harmless
    return target;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The FerretDB launcher binary, built once from tools/ferretdb-launcher (keyed by its sources). */
export function ensureFerretLauncher(): string {
  const hash = crypto.createHash('sha256');
  const sources = fs.readdirSync(LAUNCHER_DIR).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum');
  for (const f of sources.sort()) hash.update(f).update(fs.readFileSync(path.join(LAUNCHER_DIR, f)));
  const target = path.join(toolsCacheDir(), 'bin', `ferretdb-launcher-${hash.digest('hex').slice(0, 12)}`);
  return build(target, 'the FerretDB launcher', (tmp) => {
    const r = spawnSync('go', ['build', '-trimpath', '-o', path.join(tmp, 'ferretdb-launcher'), '.'], {
      cwd: LAUNCHER_DIR,
      encoding: 'utf8',
      env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
    });
    return { status: r.status, stderr: r.stderr + (r.error ? String(r.error) : '') };
  });
}

/** The stripe-mock binary at the pinned version, installed once with `go install`. */
export function ensureStripeMock(): string {
  const target = path.join(toolsCacheDir(), 'bin', `stripe-mock-${STRIPE_MOCK_VERSION}`);
  return build(target, 'stripe-mock', (tmp) => {
    const r = spawnSync('go', ['install', `github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}`], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, GOBIN: tmp, GOFLAGS: '-mod=mod' },
    });
    return { status: r.status, stderr: r.stderr + (r.error ? String(r.error) : '') };
  });
}
