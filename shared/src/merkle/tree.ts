import { sha256 } from '@noble/hashes/sha2';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing and proof verification, with no I/O and
 * no Node built-ins, so the server, the browser and the offline verifier run the same code.
 *
 * Leaves: the leaf data of ledger entry `seq` is the 32 raw bytes of the entry's chain hash
 * (`hash`, SHA-256 over its canonical JSON with `prevHash`). The chain hash already commits to every
 * field, so the tree commits to exactly what the chain does; a proof can name an entry by its hash
 * while its fields are withheld; and a verifier holding the fields re-derives the hash first.
 * Leaf index = seq − 1; the tree of size n covers seq 1..n.
 */

export type Bytes = Uint8Array;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function concatPrefixed(prefix: number, ...parts: Bytes[]): Bytes {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** MTH of one leaf: SHA-256(0x00 || leaf data). */
export function leafHash(data: Bytes): Bytes {
  return sha256(concatPrefixed(LEAF_PREFIX, data));
}

/** An interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Bytes, right: Bytes): Bytes {
  return sha256(concatPrefixed(NODE_PREFIX, left, right));
}

/** MTH of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Bytes {
  return sha256(new Uint8Array(0));
}

export function toHex(b: Bytes): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(h: string): Bytes {
  if (!/^(?:[0-9a-f]{2})*$/.test(h)) throw new Error('not lower-case hex');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesEqual(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// Tree sizes go past 2^31, so shifts are divisions (bitwise operators would truncate to 32 bits).
const lsb = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/**
 * RFC 9162 §2.1.3.2: the root that an inclusion path leads to from `leaf` at `index` in a tree of
 * `size`, or null when the path cannot belong to that position (wrong length).
 */
export function rootFromInclusion(index: number, size: number, leaf: Bytes, path: Bytes[]): Bytes | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

/** True when `path` proves `leaf` is entry `index` of the tree of `size` with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Bytes, path: Bytes[], root: Bytes): boolean {
  const r = rootFromInclusion(index, size, leaf, path);
  return r !== null && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: true when `proof` shows the tree of `size1` with `root1` is a prefix of the
 * tree of `size2` with `root2` (append-only: nothing before size1 was changed, removed or reordered).
 */
export function verifyConsistency(size1: number, size2: number, root1: Bytes, root2: Bytes, proof: Bytes[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (proof.length === 0) return false;
  let path = proof;
  if (isPowerOfTwo(size1)) path = [root1, ...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/**
 * Proof generation over any source of complete-subtree hashes, as RFC 9162 §2.1.1–2.1.4 define it.
 * `subtree(start, width)` returns MTH(D[start : start+width]) for a width that is a power of two
 * and a start aligned to it (what a node store keeps); everything else is combined here, so a
 * proof reads O(log n) subtrees.
 */
export interface SubtreeSource {
  subtree(start: number, width: number): Promise<Bytes>;
}

/** MTH(D[start : start+count]) from complete subtrees (count ≥ 1; start aligned as RFC recursion leaves it). */
export async function rangeHash(src: SubtreeSource, start: number, count: number): Promise<Bytes> {
  if (isPowerOfTwo(count)) return src.subtree(start, count);
  const k = splitPoint(count);
  return nodeHash(await src.subtree(start, k), await rangeHash(src, start + k, count - k));
}

/** RFC 9162 PATH(m, D[0:n]): the inclusion proof of leaf `index` in the tree of `size`. */
export async function inclusionPath(src: SubtreeSource, index: number, size: number): Promise<Bytes[]> {
  const out: Bytes[] = [];
  let start = 0;
  let n = size;
  let m = index;
  // Walk down from the root, collecting siblings from the top; the proof lists them bottom-up.
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      out.push(await rangeHash(src, start + k, n - k));
      n = k;
    } else {
      out.push(await src.subtree(start, k));
      start += k;
      m -= k;
      n -= k;
    }
  }
  return out.reverse();
}

/** RFC 9162 PROOF(m, D[0:n]): the consistency proof from the tree of `size1` to the tree of `size2`. */
export async function consistencyPath(src: SubtreeSource, size1: number, size2: number): Promise<Bytes[]> {
  if (size1 < 1 || size1 > size2) throw new Error(`no consistency proof from ${size1} to ${size2}`);
  const out: Bytes[] = [];
  let start = 0;
  let n = size2;
  let m = size1;
  let complete = true; // SUBPROOF's b: the subtree is a complete subtree of the old tree
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      out.push(await rangeHash(src, start + k, n - k));
      n = k;
    } else {
      out.push(await src.subtree(start, k));
      start += k;
      m -= k;
      n -= k;
      complete = false;
    }
  }
  if (!complete) out.push(await rangeHash(src, start, n));
  return out.reverse();
}
