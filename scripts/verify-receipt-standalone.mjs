// Standalone check of a ZDEC receipt or ledger proof, for auditors who do not trust our code: Node
// built-ins only, read it whole. Usage: node verify-receipt-standalone.mjs <receipt.json> <public-key.pem>
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import process from 'node:process';
/* global console */

const [file, keyFile] = process.argv.slice(2);
const b = JSON.parse(readFileSync(file, 'utf8'));
const key = createPublicKey(readFileSync(keyFile, 'utf8'));
const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();
// RFC 8785 canonical JSON for strings, integers, arrays and objects: sorted keys, no spaces.
const canon = (v) =>
  Array.isArray(v) ? `[${v.map(canon).join(',')}]`
  : v && typeof v === 'object'
    ? `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
    : JSON.stringify(v);
const { entry: e, inclusion: p, treeHead: h } = b;
const checks = [];
const check = (name, ok) => checks.push([name, ok]) && console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);

// 1. The entry's chain hash: SHA-256 of its canonical JSON (without its own hash).
if (!e.withheld) {
  const { hash, ...fields } = e;
  check('entry hash', sha(canon({ orgIds: [], amountFen: 0, ...fields })).toString('hex') === hash);
}
// 2. What the receipt prints about the entry is the entry's.
const bound = { seq: 'seq', listingCode: 'listingCode', amountFen: 'amountFen', entryHash: 'hash', ledgerType: 'type', grade: 'grade' };
if (b.claims) check('claims', Object.entries(bound).every(([c, f]) => b.claims[c] === undefined || b.claims[c] === e[f]));
// 3. RFC 9162 §2.1.3.2: the inclusion path from leaf SHA-256(0x00 || hash) to the signed root.
let fn = p.leafIndex, sn = p.treeSize - 1, r = sha([0], Buffer.from(e.hash, 'hex')), ok = fn === e.seq - 1 && p.treeSize === h.size;
for (const s of p.path.map((x) => Buffer.from(x, 'hex'))) {
  if (sn === 0) ok = false;
  if (fn % 2 === 1 || fn === sn) {
    r = sha([1], s, r);
    if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  } else r = sha([1], r, s);
  [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
}
check('inclusion proof', ok && sn === 0 && r.toString('hex') === h.root);
// 4. The exchange's Ed25519 signature over the tree head.
const msg = canon({ kind: 'zdec-ledger-tree-head/v1', size: h.size, root: h.root, time: h.time });
check('tree head signature', verify(null, Buffer.from(msg), key, Buffer.from(h.signature, 'base64')));
console.log(`bundle digest (compare with the QR code): ${sha(canon(b)).toString('hex')}`);
const good = checks.every(([, ok]) => ok);
console.log(good ? `OK: entry #${e.seq} is in the signed ledger of size ${h.size}` : 'FAIL: not genuine');
process.exit(good ? 0 : 1);
