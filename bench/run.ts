/**
 * Runs the benchmarks, each in its own process with its own database (so each one's peak memory is
 * its own), prints their figures and a summary of the goals, and leaves bench/results/<name>.json.
 *
 *   npm run bench                                   every benchmark at the default sizes (about 10 min on
 *                                                   2 cores with FerretDB: search at 1k/2k/3k listings,
 *                                                   ledger verify on ~31k entries)
 *   npm run bench -- --only search,settle           some of them
 *   npm run bench -- --only search --sizes 1000,10000,50000 --passes 1
 *                                                   the full catalog sizes (about 25 min on FerretDB)
 *   npm run bench -- --only lists --orders 10000,100000
 *                                                   the back-office lists at the issue's sizes
 *   npm run bench -- --only ledger-verify --trades 200000
 *                                                   the full ledger (entries ≈ trades + listings)
 *   npm run bench -- --duration 10 --connections 8  load per measurement
 *   npm run bench -- --quick                        small sizes and short runs (a smoke test, ~2 min)
 *   npm run bench -- --profile                      also record a V8 CPU profile of the server during each
 *                                                   measured load, in bench/results/profiles/ (summarise
 *                                                   one: npx tsx bench/profile.ts <file>)
 * Any other --flag is passed to every benchmark (listing-get: --listings; settle: --buyers, --listings).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchArgs, machine, RESULTS_DIR } from './lib';

const BENCHES = ['listing-get', 'search', 'lists', 'settle', 'ledger-verify'] as const;
const QUICK: Record<string, string> = {
  sizes: '300,1000,3000',
  trades: '20000',
  duration: '3',
  listings: '500',
  // lists.ts (issue 11): orders per size, samples per list
  orders: '1000,3000',
  samples: '10',
};

function runOne(name: string, argv: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`), ...argv], {
    cwd: path.resolve(__dirname, '..'),
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

function summary(names: string[]): void {
  console.log('\nSummary');
  for (const name of names) {
    const file = path.join(RESULTS_DIR, `${name}.json`);
    if (!fs.existsSync(file)) {
      console.log(`  ${name.padEnd(14)} no result`);
      continue;
    }
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      goal?: { description: string; met: boolean; ratio?: number; entriesPerSecond?: number };
      peakRss?: { benchProcessMiB: number; databaseMiB: number | null };
    };
    const g = r.goal;
    const figure =
      g?.ratio !== undefined ? `${g.ratio}×` : g?.entriesPerSecond !== undefined ? `${g.entriesPerSecond}/s` : '';
    const rss = r.peakRss
      ? `peak RSS ${r.peakRss.benchProcessMiB} MiB + database ${r.peakRss.databaseMiB ?? '?'} MiB`
      : '';
    console.log(`  ${name.padEnd(14)} ${g ? `${g.met ? 'met   ' : 'MISSED'} ${g.description} ${figure}` : ''}  ${rss}`);
  }
}

async function main(): Promise<void> {
  const args = benchArgs();
  const { only, quick, ...rest } = args.flags;
  const names = only ? only.split(',') : [...BENCHES];
  for (const n of names)
    if (!(BENCHES as readonly string[]).includes(n)) throw new Error(`no benchmark ${n} (${BENCHES.join(', ')})`);
  const flags = { ...(quick ? QUICK : {}), ...rest };
  const argv = Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v ?? 'true']);
  const m = machine();
  console.log(
    `bench: ${names.join(', ')} on ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAverage.join(' ')}`,
  );
  const started = Date.now();
  let failed = 0;
  for (const name of names) {
    console.log(`\n== ${name}`);
    const code = await runOne(name, argv);
    if (code !== 0) {
      failed++;
      console.log(`${name}: exited with ${code}`);
    }
  }
  summary(names);
  console.log(`bench: ${Math.round((Date.now() - started) / 1000)} s`);
  if (failed) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
