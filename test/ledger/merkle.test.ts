import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  fromHex,
  leafHash,
  nodeHash,
  splitPoint,
  toHex,
  verifyBundle,
  verifyConsistency,
  type Bytes,
  type ProofBundle,
} from '@zdec/shared';
import { CheckpointModel } from '../../server/src/modules/ledger/checkpoint.model';
import { cutCheckpoints, publicKeyView } from '../../server/src/modules/ledger/checkpoint.service';
import { entryId, LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { LedgerRefModel, MerkleNodeModel, TreeHeadModel } from '../../server/src/modules/ledger/merkle.model';
import { backfillTree, merkleIdle } from '../../server/src/modules/ledger/merkle.service';
import { makeActor, type Actor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { bulkLedger, resetLedger } from './fixtures';

const t = useTestApp();
jest.setTimeout(120_000);
let pem: string;
let regulator: Actor;
let buyer: Actor;

/** MTH straight from RFC 9162 §2.1.1 over the entries' hashes: the reference. */
function mth(leaves: Bytes[]): Bytes {
  if (leaves.length === 1) return leafHash(leaves[0]!);
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
async function ledgerLeaves(): Promise<Bytes[]> {
  const all = await LedgerEntryModel.find({}, { hash: 1 }).sort({ seq: 1 }).lean();
  return all.map((e) => fromHex(e.hash));
}
async function resetAll() {
  await merkleIdle(); // no tree write of the previous test may land after the reset
  await resetLedger();
  for (const m of [MerkleNodeModel, TreeHeadModel, LedgerRefModel]) await m.collection.deleteMany({});
}
const proof = async (seq: number, auth?: string, query = '') => {
  const req = t.http.get(`/api/v1/ledger/proofs/${seq}${query}`);
  if (auth) req.set('Authorization', auth);
  return req;
};

beforeAll(async () => {
  pem = publicKeyView(t.config).publicKeyPem;
  regulator = await makeActor(t.config, 'regulator');
  buyer = await makeActor(t.config, 'buyer');
});
beforeEach(resetAll);

describe('Merkle tree over the ledger', () => {
  it('when entries are appended, then every complete subtree is stored and each proof verifies against the signed root', async () => {
    for (let i = 0; i < 37; i++) {
      const trade = i % 3 === 0;
      await append({
        type: trade ? 'trade.settled' : 'listing.listed',
        ref: `r-${i}`,
        amountFen: trade ? 1000 + i : 0,
        orgIds: trade ? [buyer.org.id, 'provider-org'] : ['provider-org'],
        listingCode: `ZDEC-2026-${String(i).padStart(6, '0')}`,
      });
    }
    await merkleIdle();
    // 37 leaves complete 37 + 18 + 9 + 4 + 2 + 1 subtrees.
    expect(await MerkleNodeModel.countDocuments()).toBe(37 + 18 + 9 + 4 + 2 + 1);
    const root = toHex(mth(await ledgerLeaves()));
    for (let seq = 1; seq <= 37; seq++) {
      const res = await proof(seq);
      expect(res.status).toBe(200);
      const b = res.body as ProofBundle;
      expect(b.treeHead).toMatchObject({ size: 37, root });
      expect(b.inclusion.path.length).toBe(seq > 32 ? (seq > 36 ? 2 : 4) : 6);
      const v = verifyBundle(b, { publicKeyPem: pem });
      expect(v.checks.filter((c) => c.ok === false)).toEqual([]);
      expect(v.ok).toBe(true);
    }
    // A head was signed on demand once, not per request.
    expect(await TreeHeadModel.countDocuments()).toBe(1);
  });

  it('when a trade is proved, then a stranger sees it by hash only, its party and the regulator in full', async () => {
    await append({ type: 'trade.settled', ref: 'o-1', orderId: 'o-1', amountFen: 123456, orgIds: [buyer.org.id, 'p'] });
    const anon = (await proof(1)).body as ProofBundle;
    expect(anon.entry.withheld).toEqual(['ref', 'orderId', 'orgIds', 'amountFen']);
    expect(anon.entry).not.toHaveProperty('amountFen');
    expect(JSON.stringify(anon)).not.toContain('123456');
    const v = verifyBundle(anon, { publicKeyPem: pem });
    expect(v.ok).toBe(true);
    expect(v.checks.find((c) => c.id === 'entryHash')!.ok).toBeNull();
    for (const who of [buyer, regulator]) {
      const full = (await proof(1, who.auth)).body as ProofBundle;
      expect(full.entry.amountFen).toBe(123456);
      expect(verifyBundle(full, { publicKeyPem: pem }).checks.find((c) => c.id === 'entryHash')!.ok).toBe(true);
    }
  });

  it('when nodes are missing (entries loaded without appends, or a crash after the insert), then proofs rebuild and store them', async () => {
    await bulkLedger(100);
    const root = toHex(mth(await ledgerLeaves()));
    const res = await proof(42);
    expect(res.status).toBe(200);
    expect(res.body.treeHead.root).toBe(root);
    expect(verifyBundle(res.body, { publicKeyPem: pem }).ok).toBe(true);
    const n = await MerkleNodeModel.countDocuments();
    expect(n).toBeGreaterThan(0);
    // The rebuilt nodes are the reference's: drop half of them and prove everything again.
    await MerkleNodeModel.collection.deleteMany({ _id: { $regex: '^[02]:' } } as never);
    for (const seq of [1, 50, 64, 65, 100])
      expect(verifyBundle((await proof(seq)).body, { publicKeyPem: pem }).ok).toBe(true);
  });

  it('when a ledger predates the tree, then the backfill writes every complete subtree once, in one pass', async () => {
    await bulkLedger(100);
    await MerkleNodeModel.collection.insertOne({
      _id: '0:7',
      hash: toHex(leafHash(fromHex((await ledgerLeaves()).map(toHex)[7]!))),
    } as never);
    expect(await backfillTree(16)).toBe(100 + 50 + 25 + 12 + 6 + 3 + 1);
    const leaves = await ledgerLeaves();
    const nodes = await MerkleNodeModel.find().lean();
    expect(nodes.length).toBe(197);
    for (const n of nodes) {
      const [level, index] = n._id.split(':').map(Number) as [number, number];
      expect(n.hash).toBe(toHex(mth(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level))));
    }
    expect(await backfillTree()).toBe(0); // complete: a few lookups, nothing written
  });

  it('when checkpoints are cut, then each signs its tree head and consecutive heads are provably consistent', async () => {
    await bulkLedger(30, { start: new Date('2026-03-01T00:00:00Z'), stepMs: 3 * 3600_000 }); // 8 a day, 1–4 March
    expect(await cutCheckpoints(t.config, new Date('2026-03-06T01:00:00Z'))).toBe(5); // 5 March repeats the 4th
    const cps = await CheckpointModel.find().sort({ day: 1 }).lean();
    expect(cps.map((c) => c.tree?.size)).toEqual(cps.map((c) => c.seq));
    const sizes = cps.map((c) => c.seq);
    for (let i = 1; i < sizes.length; i++) {
      const res = await t.http.get(`/api/v1/ledger/consistency?from=${sizes[i - 1]}&to=${sizes[i]}`);
      expect(res.status).toBe(200);
      const {
        from,
        to,
        path: p,
      } = res.body as { from: { root: string; size: number }; to: { root: string; size: number }; path: string[] };
      expect(verifyConsistency(from.size, to.size, fromHex(from.root), fromHex(to.root), p.map(fromHex))).toBe(true);
      expect(to.root).toBe(cps[i]!.tree!.root);
    }
    // Proof against the first signed head only, on request.
    const old = await proof(3, undefined, `?size=${sizes[0]}`);
    expect(old.body.treeHead.size).toBe(sizes[0]);
    expect(verifyBundle(old.body, { publicKeyPem: pem }).ok).toBe(true);
  });

  it('when a query is malformed or names no signed head, then it is refused with problem+json', async () => {
    await bulkLedger(5);
    const bad = 'invalid';
    for (const [url, status] of [
      ['/api/v1/ledger/proofs/0', bad],
      ['/api/v1/ledger/proofs/abc', bad],
      ['/api/v1/ledger/proofs/1?size=1&x=1', bad],
      ['/api/v1/ledger/proofs/6', 404],
      ['/api/v1/ledger/proofs/1?size=4', 404],
      ['/api/v1/ledger/consistency?from=3&to=2', bad],
      ['/api/v1/ledger/consistency?from=2', 404],
      ['/api/v1/ledger/consistency?from[$gt]=1', bad],
    ] as const) {
      const res = await t.http.get(url);
      const got = res.status === 400 || res.status === 422 ? bad : res.status;
      expect([url, got]).toEqual([url, status]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('when three processes append at once, then the node store equals the reference tree of the chain they made', async () => {
    const TSX = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const WORKER = path.resolve(__dirname, 'append-worker.ts');
    const workers = ['m-a', 'm-b'].map((name) => {
      const child = spawn(TSX, [WORKER, process.env.TEST_MONGODB_URI!, t.dbName, name, '40', '10'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      const ready = new Promise<void>((r) =>
        child.stdout.on('data', (d: Buffer) => (out += d) && out.includes('ready') && r()),
      );
      const done = new Promise<void>((r, j) => child.on('exit', (c) => (c === 0 ? r() : j(new Error(`worker ${c}`)))));
      return { ready, done, go: (at: number) => child.stdin.end(`go ${at}\n`) };
    });
    await Promise.all(workers.map((w) => w.ready));
    const start = Date.now() + 200;
    workers.forEach((w) => w.go(start));
    await new Promise((r) => setTimeout(r, start - Date.now()));
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        append({ type: 'trade.settled', ref: `m-main-${i}`, amountFen: i, orgIds: ['x'] }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        append({ type: 'listing.listed', ref: `shared-${i}`, orgIds: ['everyone'] }),
      ),
      ...workers.map((w) => w.done),
    ]);
    await merkleIdle();
    const leaves = await ledgerLeaves();
    expect(leaves.length).toBe(130);
    // A worker may exit with tree writes still queued (as a crash would): the backfill completes them.
    await backfillTree();
    // Every stored node is the reference hash of its subtree; and the complete ones are all there.
    const nodes = await MerkleNodeModel.find().lean();
    for (const n of nodes) {
      const [level, index] = n._id.split(':').map(Number) as [number, number];
      const w = 2 ** level;
      expect([n._id, n.hash]).toEqual([n._id, toHex(mth(leaves.slice(index * w, index * w + w)))]);
    }
    expect(nodes.length).toBe([130, 65, 32, 16, 8, 4, 2, 1].reduce((a, b) => a + b));
    // type:ref keys likewise (a missing one is found in the ledger and written on first use).
    const refs = await LedgerRefModel.find().lean();
    const bySeq = new Map((await LedgerEntryModel.find({}, { seq: 1, type: 1, ref: 1 }).lean()).map((x) => [x.seq, x]));
    for (const r of refs) expect(`${bySeq.get(r.seq)!.type}:${bySeq.get(r.seq)!.ref}`).toBe(r._id);
    expect(refs.length).toBeGreaterThan(100);
    const res = await proof(77);
    expect(res.body.treeHead.root).toBe(toHex(mth(leaves)));
    expect(res.body.entry.seq).toBe(77);
    expect((await LedgerEntryModel.findById(entryId(77)).lean())!.hash).toBe(res.body.entry.hash);
  });
});
