/**
 * Summarises a V8 CPU profile (`npm run bench -- --cpu-prof` writes one per benchmark to
 * bench/results/profiles/): self time by owner (our code per folder, each npm package, Node's
 * internals, GC, idle) and the functions with the most self time.
 *
 *   npx tsx bench/profile.ts bench/results/profiles/listing-get.cpuprofile [--top 20]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who a sampled frame belongs to. */
function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const ours = /\/(server\/src|shared\/src|seeds|bench)\/(?:modules\/)?([^/]+)/.exec(url);
  if (ours) return `ours:${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summarise(profile: Profile, top = 20) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const owners = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const o = owner(n.callFrame.url, n.callFrame.functionName);
    owners.set(o, (owners.get(o) ?? 0) + us);
    const where = n.callFrame.url
      ? `${n.callFrame.url.replace(/^.*\/(node_modules|server|shared|seeds|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`
      : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalSeconds: total / 1e6,
    byOwner: sorted(owners).map(([name, us]) => ({ name, percent: share(us) })),
    topFunctions: sorted(fns)
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: share(us) })),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/profile.ts <file.cpuprofile> [--top N]');
  const topAt = process.argv.indexOf('--top');
  const s = summarise(
    JSON.parse(fs.readFileSync(file, 'utf8')) as Profile,
    topAt > 0 ? Number(process.argv[topAt + 1]) : 20,
  );
  console.log(`${file}: ${s.totalSeconds.toFixed(1)} s sampled`);
  console.log('self time by owner:');
  for (const o of s.byOwner.filter((x) => x.percent >= 0.5))
    console.log(`  ${String(o.percent).padStart(5)}%  ${o.name}`);
  console.log('functions with the most self time:');
  for (const f of s.topFunctions) console.log(`  ${String(f.percent).padStart(5)}%  ${f.name}`);
}
