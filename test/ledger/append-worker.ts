/**
 * A second (third, …) server process for the concurrency test: connects to the test database on its
 * own, says "ready", waits for "go <epoch ms>" on stdin and that moment, then appends its events all at once and reports.
 * Usage: tsx test/ledger/append-worker.ts <mongodb-uri> <db> <name> <count> <shared-count>
 */
import mongoose from 'mongoose';
import { append, hintedHead } from '../../server/src/modules/ledger/ledger.service';

async function main(): Promise<void> {
  const [uri, dbName, name, count, shared] = process.argv.slice(2);
  await mongoose.connect(uri!, { dbName, serverSelectionTimeoutMS: 15_000 });
  await hintedHead(); // warm up: the race starts with the first append, not with connecting
  process.stdout.write('ready\n');
  // "go <epoch ms>": every process starts at that same moment.
  const go = await new Promise<string>((resolve) => process.stdin.once('data', (d: Buffer) => resolve(d.toString())));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(go.split(' ')[1]) - Date.now())));
  const own = Array.from({ length: Number(count) }, (_, i) =>
    append({ type: 'trade.settled', ref: `${name}-${i}`, amountFen: 100 + i, orgIds: [name!] }),
  );
  // Events every process appends: each must land once.
  const both = Array.from({ length: Number(shared) }, (_, i) =>
    append({ type: 'listing.listed', ref: `shared-${i}`, orgIds: ['everyone'] }),
  );
  const stored = await Promise.all([...own, ...both]);
  process.stdout.write(`${JSON.stringify({ appended: stored.length })}\n`);
  await mongoose.disconnect();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
