import { spawn } from 'node:child_process';
import path from 'node:path';
import { entryHash, GENESIS_HASH } from '../../server/src/modules/ledger/ledger.hash';
import { entryId, LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { makeActor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { bulkLedger, resetLedger } from './fixtures';

const t = useTestApp();
jest.setTimeout(120_000);

const TSX = path.resolve(__dirname, '../../node_modules/.bin/tsx');
const WORKER = path.resolve(__dirname, 'append-worker.ts');

/** Another server process appending to the same database (its own mongoose, its own module state). */
function startWorker(name: string, count: number, shared: number) {
  const child = spawn(TSX, [WORKER, process.env.TEST_MONGODB_URI!, t.dbName, name, String(count), String(shared)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${name} exited ${code}: ${err}`))));
  });
  return { ready, done, go: (at: number) => child.stdin.end(`go ${at}\n`), output: () => out };
}

async function expectContiguousChain(): Promise<number> {
  const all = await LedgerEntryModel.find().sort({ seq: 1 }).lean();
  all.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    expect(e._id).toBe(entryId(e.seq));
    expect(e.prevHash).toBe(i ? all[i - 1]!.hash : GENESIS_HASH);
    expect(entryHash(e)).toBe(e.hash);
  });
  return all.length;
}

beforeEach(resetLedger);

describe('ledger append under concurrency', () => {
  it('when this process and two other server processes append at once, then seq is 1..n with no gap or duplicate, the chain verifies and every shared event is in once', async () => {
    const workers = [startWorker('proc-a', 50, 20), startWorker('proc-b', 50, 20)];
    await Promise.all(workers.map((w) => w.ready));
    const start = Date.now() + 200;
    workers.forEach((w) => w.go(start));
    await new Promise((resolve) => setTimeout(resolve, start - Date.now()));
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) =>
        append({ type: 'trade.settled', ref: `proc-main-${i}`, amountFen: i, orgIds: ['proc-main'] }),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        append({ type: 'listing.listed', ref: `shared-${i}`, orgIds: ['everyone'] }),
      ),
      ...workers.map((w) => w.done),
    ]);
    workers.forEach((w) => expect(w.output()).toContain('"appended":70'));

    expect(await expectContiguousChain()).toBe(3 * 50 + 20);
    // The processes really raced: their own entries interleave in the chain (one after the other
    // would switch owner twice).
    const owners = (await LedgerEntryModel.find({ type: 'trade.settled' }, { orgIds: 1 }).sort({ seq: 1 }).lean()).map(
      (e) => e.orgIds[0],
    );
    const switches = owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length;
    expect(switches).toBeGreaterThan(2);
    for (const name of ['proc-main', 'proc-a', 'proc-b']) {
      expect(await LedgerEntryModel.countDocuments({ orgIds: name })).toBe(50);
    }
    const shared = await LedgerEntryModel.find({ type: 'listing.listed' }, { ref: 1 }).lean();
    expect(shared.map((e) => e.ref).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `shared-${i}`).sort());

    const regulator = await makeActor(t.config, 'regulator');
    const res = await t.http.get('/api/v1/ledger/verify').set('Authorization', regulator.auth).expect(200);
    expect(res.body).toMatchObject({ ok: true, checked: 170, headSeq: 170 });
  });

  it('when many appends of this process run at once, then they chain in one line', async () => {
    const stored = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        append({ type: 'trade.settled', ref: `burst-${i}`, amountFen: i, orgIds: ['x'] }),
      ),
    );
    expect(new Set(stored.map((e) => e.seq)).size).toBe(60);
    expect(await expectContiguousChain()).toBe(60);
  });

  it('when the same event is appended again, even at once from many callers, then the ledger holds it once and every caller gets that entry', async () => {
    await append({ type: 'trade.settled', ref: 'first', amountFen: 1, orgIds: ['x'] });
    const event = { type: 'trade.refunded' as const, ref: 'order-1', amountFen: -500, orgIds: ['x', 'y'] };
    const results = await Promise.all(Array.from({ length: 10 }, () => append(event)));
    const again = await append(event);
    expect(new Set([...results, again].map((e) => e.seq))).toEqual(new Set([2]));
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.refunded', ref: 'order-1' })).toBe(1);
    expect(await LedgerEntryModel.countDocuments()).toBe(2);
  });

  it('when entries were loaded without moving the head hint, then the next append still finds the true head', async () => {
    await append({ type: 'trade.settled', ref: 'before-load', amountFen: 1, orgIds: ['x'] }); // hint at 1
    await LedgerEntryModel.collection.deleteMany({}); // a bulk loader rewrites the ledger behind the hint
    await bulkLedger(300);
    const e = await append({ type: 'trade.settled', ref: 'after-load', amountFen: 2, orgIds: ['x'] });
    expect(e.seq).toBe(301);
    expect(await expectContiguousChain()).toBe(301);
  });

  it('when an append is refused for its input, then nothing is written', async () => {
    await expect(append({ type: 'trade.settled', ref: 'bad', amountFen: 1.5, orgIds: [] })).rejects.toThrow(/integer/);
    await expect(append({ type: 'trade.settled', ref: 'bad', orgIds: ['a;b'] })).rejects.toThrow(/orgIds/);
    expect(await LedgerEntryModel.countDocuments()).toBe(0);
  });
});
