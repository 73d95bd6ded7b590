import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { FAULT_HANG_MARKER } from '../../server/src/platform/faults';
import { freePort } from '../../server/src/platform/services/process';

const ROOT = path.resolve(__dirname, '../..');

/** The platform as a real child process (`node --import tsx server/src/main.ts`), on the test database. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Resolves once `count` lines `ZDEC_FAULT_HANG_REACHED <point>` have been written to stderr. */
  hangs(point: string, count: number, timeoutMs?: number): Promise<void>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), and wait until the process is gone. */
  stop(): Promise<void>;
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
}

const running = new Set<ChildProcess>();

/** Kills whatever this file's tests left running (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((c) => killChild(c, 'SIGKILL')));
}

function killChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return gone;
}

/**
 * Starts the server on a free port against `dbName` of the test run's database server and waits
 * for /readyz. `env` adds or overrides variables (ZDEC_FAULT_HANG, …).
 */
export async function startServer(dbName: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      MONGODB_URI: process.env.TEST_MONGODB_URI!,
      MONGODB_DB: dbName,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_ON_EMPTY: 'false',
      // info: the 'platform ready' line (with this process's pid) tells that our process is the one listening
      LOG_LEVEL: 'info',
      OUTBOX_SWEEP_INTERVAL_MS: '0',
      ...env,
    },
  });
  running.add(child);
  let out = '';
  child.once('exit', (code, signal) => {
    running.delete(child);
    out += `\n[server process ${child.pid} exited: code ${code}, signal ${signal}]\n`;
  });
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}):\n${out.slice(-3000)}`))),
  );
  exited.catch(() => undefined);

  const url = `http://127.0.0.1:${port}`;
  const listening = () => out.includes('"msg":"platform ready"') && out.includes(`"pid":${child.pid},`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready =
      listening() &&
      (await fetch(`${url}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false));
    if (ready) break;
    if (child.exitCode !== null) await exited;
    if (Date.now() > deadline) {
      await killChild(child, 'SIGKILL');
      throw new Error(`the server did not become ready within 60 s:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    pid: child.pid!,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null,
    async hangs(point, count, timeoutMs = 30_000) {
      const marker = `${FAULT_HANG_MARKER} ${point}`;
      const reached = () => out.split('\n').filter((l) => l.trim() === marker).length >= count;
      const timeout = Date.now() + timeoutMs;
      while (!reached()) {
        if (Date.now() > timeout)
          throw new Error(`${count} × "${marker}" not seen within ${timeoutMs} ms:\n${out.slice(-3000)}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 200)), exited]);
      }
    },
    kill: () => killChild(child, 'SIGKILL'),
    stop: () => killChild(child, 'SIGTERM'),
  };
}
