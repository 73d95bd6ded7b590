/**
 * Merkle proof size and generation time at 1,000,000 ledger entries (issue 15). The node store is
 * filled directly (every complete subtree of a 1M-leaf tree, as the append hook would have written
 * it) rather than by a million appends; a sample of entries is written to the ledger so that the
 * HTTP route can load and show them. Then, against the real database:
 * - `inclusionPath` over the node store (the work of GET /ledger/proofs/:seq), per proof: time,
 *   node reads, hashes;
 * - GET /ledger/proofs/:seq over HTTP: latency and response bytes, each proof checked;
 * - `consistencyPath` between random sizes.
 *
 *   npx tsx bench/merkle-proofs.ts [--entries 1000000] [--samples 200] [--fill-seconds 900]
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { consistencyPath, inclusionPath, leafHash, nodeHash, verifyBundle, type Bytes } from '@zdec/shared';
import { publicKeyView, signingKey } from '../server/src/modules/ledger/checkpoint.service';
import { entryHash, GENESIS_HASH, shanghaiMonth } from '../server/src/modules/ledger/ledger.hash';
import { entryId, LedgerEntryModel } from '../server/src/modules/ledger/ledger.model';
import { MerkleNodeModel } from '../server/src/modules/ledger/merkle.model';
import { NodeStore, signTreeHead } from '../server/src/modules/ledger/merkle.service';
import { fmt, latencyOf, peakRss, runMain, startBench, writeResult } from './lib';

const BATCH = 5000;

/**
 * FerretDB v1.24.2 looks documents up by `_ferretdb_sjson->'$._id'` but indexes `_ferretdb_sjson->"_id"`,
 * so every `_id` lookup scans its table (BENCHMARKS.md, "Why the `_id` read scans"). This adds the
 * index on FerretDB's exact expression to every collection table of the bench database, the fix
 * proposed there, so the proof figures can be given with and without it. Bench-only: the platform's
 * launcher is not changed here.
 */
function addIdExpressionIndexes(dataDir: string): string[] {
  const dir = path.join(dataDir, 'ferretdb');
  if (!fs.existsSync(dir)) return [];
  const done: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) {
    const db = path.join(dir, file);
    const tables = execFileSync('sqlite3', [
      db,
      "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
    ])
      .toString()
      .split('\n')
      .filter(Boolean);
    for (const t of tables) {
      execFileSync('sqlite3', [db, `CREATE INDEX IF NOT EXISTS "${t}_id_expr" ON "${t}" (_ferretdb_sjson->'$._id')`]);
      done.push(t);
    }
  }
  return done;
}

runMain(async (args) => {
  const n = Number(args.flags.entries ?? 1_000_000);
  const samples = Number(args.flags.samples ?? 200);
  const fillSeconds = Number(args.flags['fill-seconds'] ?? 900);
  const phaseSeconds = Number(args.flags['phase-seconds'] ?? 120);
  const bench = await startBench(args);
  try {
    const rnd = (() => {
      let s = 20261203; // fixed seed: the same seqs every run
      return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    })();
    const sampleSeqs = [...new Set(Array.from({ length: samples }, () => 1 + Math.floor(rnd() * n)))].sort(
      (a, b) => a - b,
    );

    // Real entries for the sampled seqs (their leaves are their hashes); synthetic leaf data elsewhere.
    const at = new Date('2026-06-01T00:00:00Z');
    const entries = sampleSeqs.map((seq) => {
      const fields = {
        seq,
        at,
        month: shanghaiMonth(at),
        type: 'listing.listed' as const,
        ref: `bench-${seq}`,
        orgIds: ['bench'],
        amountFen: 0,
        prevHash: GENESIS_HASH,
      };
      return { _id: entryId(seq), ...fields, hash: entryHash(fields) };
    });
    const real = new Map(entries.map((e) => [e.seq, e.hash]));
    await LedgerEntryModel.collection.insertMany(entries as never[]);

    console.log(`merkle-proofs: filling the node store for ${n.toLocaleString()} entries …`);
    const t0 = performance.now();
    let level: Bytes[] = [];
    for (let i = 0; i < n; i++) {
      const h = real.get(i + 1);
      level.push(leafHash(h ? Buffer.from(h, 'hex') : crypto.createHash('sha256').update(`leaf ${i}`).digest()));
    }
    let nodes = 0;
    for (let lv = 0; level.length >= 1; lv++) {
      for (let i = 0; i < level.length; i += BATCH) {
        const docs = level
          .slice(i, i + BATCH)
          .map((h, k) => ({ _id: `${lv}:${i + k}`, hash: Buffer.from(h).toString('hex') }));
        await MerkleNodeModel.collection.insertMany(docs as never[], { ordered: false });
        nodes += docs.length;
        if ((performance.now() - t0) / 1000 > fillSeconds)
          throw new Error(`fill exceeded ${fillSeconds} s at level ${lv}`);
      }
      if (level.length === 1) break;
      const up: Bytes[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
      level = up; // an odd last node is not a complete subtree of the next level
    }
    const fillSec = (performance.now() - t0) / 1000;
    console.log(`  ${nodes.toLocaleString()} nodes in ${fmt(fillSec)} s`);
    await bench.quiet();

    const key = signingKey(bench.config);
    const tHead = performance.now();
    const head = await signTreeHead(n, new Date(), key);
    const headMs = performance.now() - tHead;

    // The proof computation alone, fresh store per proof (no memo across requests), bounded in time.
    let pathLen = 0;
    const reads: number[] = [];
    const generate = async () => {
      const ms: number[] = [];
      const until = performance.now() + phaseSeconds * 1000;
      for (const seq of sampleSeqs) {
        if (ms.length && performance.now() > until) break;
        const store = new NodeStore();
        const t = performance.now();
        const p = await inclusionPath(store, seq - 1, n);
        ms.push(performance.now() - t);
        reads.push(store.reads);
        pathLen = Math.max(pathLen, p.length);
      }
      return ms;
    };
    // As shipped, one `_id` lookup scans the whole node table: time a few (a whole proof is ~2 log n of
    // them, minutes at 1M), and whole proofs only when asked (--shipped-proofs).
    const lookupMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await MerkleNodeModel.collection.findOne({ _id: `0:${sampleSeqs[i % sampleSeqs.length]! - 1}` } as never);
      lookupMs.push(performance.now() - t);
    }
    const shippedMs = args.flags['shipped-proofs'] ? await generate() : [];
    console.log(
      `  as shipped: one _id lookup p50 ${fmt(latencyOf(lookupMs).p50)} ms; ${shippedMs.length} whole proofs`,
    );
    reads.length = 0;
    const indexed = addIdExpressionIndexes(bench.dataDir);
    console.log(`  + FerretDB _id expression index on ${indexed.length} tables`);
    const genMs = await generate();

    // The route, as a verifier calls it; every answer checked.
    const pem = publicKeyView(bench.config).publicKeyPem;
    const httpMs: number[] = [];
    const bytes: number[] = [];
    for (const seq of sampleSeqs) {
      const t = performance.now();
      const res = await fetch(`${bench.baseUrl}/api/v1/ledger/proofs/${seq}`);
      const text = await res.text();
      httpMs.push(performance.now() - t);
      bytes.push(Buffer.byteLength(text));
      const v = verifyBundle(JSON.parse(text), { publicKeyPem: pem });
      if (!v.ok || JSON.parse(text).treeHead.root !== head.root) throw new Error(`proof of ${seq} did not verify`);
    }

    const consMs: number[] = [];
    const consLen: number[] = [];
    for (let i = 0; i < Math.min(100, samples); i++) {
      const m = 1 + Math.floor(rnd() * (n - 1));
      const t = performance.now();
      const p = await consistencyPath(new NodeStore(), m, n);
      consMs.push(performance.now() - t);
      consLen.push(p.length);
    }

    const gen = latencyOf(genMs);
    const shipped = latencyOf(shippedMs);
    const http = latencyOf(httpMs);
    const cons = latencyOf(consMs);
    const result = {
      entries: n,
      nodesStored: nodes,
      fillSeconds: Number(fmt(fillSec)),
      signTreeHeadMs: Number(fmt(headMs)),
      inclusion: {
        samples: sampleSeqs.length,
        hashesMax: pathLen,
        nodeReadsMax: Math.max(...reads),
        nodeReadsMean: Number(fmt(reads.reduce((a, b) => a + b, 0) / reads.length)),
        ferretDbAsShipped: { idLookupMs: latencyOf(lookupMs), generationMs: shippedMs.length ? shipped : null },
        generationMs: gen,
        httpMs: http,
        responseBytes: { min: Math.min(...bytes), max: Math.max(...bytes) },
      },
      consistency: { samples: consMs.length, hashesMax: Math.max(...consLen), generationMs: cons },
      peakRss: peakRss(bench.databasePid),
    };
    console.log(
      `  inclusion: ≤${pathLen} hashes, ≤${result.inclusion.nodeReadsMax} node reads; generation p50 ${fmt(gen.p50)} ms p95 ${fmt(gen.p95)} ms; ` +
        `HTTP p50 ${fmt(http.p50)} ms p95 ${fmt(http.p95)} ms, ${result.inclusion.responseBytes.max} bytes`,
    );
    console.log(
      `  consistency: ≤${result.consistency.hashesMax} hashes; p50 ${fmt(cons.p50)} ms p95 ${fmt(cons.p95)} ms`,
    );
    writeResult('merkle-proofs', result);
  } finally {
    await bench.close();
  }
});
