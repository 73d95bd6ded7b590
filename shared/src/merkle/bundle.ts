import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { bytesEqual, fromHex, leafHash, rootFromInclusion, toHex, verifyConsistency } from './tree';

/**
 * Proof bundles and receipts: what `GET /ledger/proofs/:seq` returns and what a QR-coded receipt
 * commits to, and the one function that checks them (server tests, the browser's /verify page and
 * `npm run ledger:verify -- --receipt` all call `verifyBundle`).
 */

export const TREE_HEAD_KIND = 'zdec-ledger-tree-head/v1';
export const PROOF_KIND = 'zdec-ledger-proof/v1';
export const RECEIPT_KIND = 'zdec-receipt/v1';
export const RECEIPT_KINDS = ['registration', 'listing', 'trade'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** A ledger entry as the chain hashes it (`at` as ISO text); the optional references only when set. */
export interface ProofEntry {
  seq: number;
  at: string;
  month: string;
  type: string;
  /** Withheld (with the parties and the amount) from those who may not see a trade in full. */
  ref?: string;
  orderId?: string;
  listingId?: string;
  listingCode?: string;
  resourceId?: string;
  authorizationId?: string;
  orgIds?: string[];
  amountFen?: number;
  grade?: string;
  prevHash: string;
  hash: string;
  /** Fields left out for this viewer; the entry is then named by its hash alone. */
  withheld?: string[];
}

export interface TreeHeadBody {
  size: number;
  /** hex MTH of the first `size` entries */
  root: string;
  /** ISO time the head was signed for */
  time: string;
}

export interface SignedTreeHead extends TreeHeadBody {
  keyId: string;
  /** base64 Ed25519 signature over `treeHeadMessage` */
  signature: string;
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** sibling hashes, hex, bottom-up */
  path: string[];
}

export interface ProofBundle {
  kind: typeof PROOF_KIND;
  entry: ProofEntry;
  inclusion: InclusionProof;
  treeHead: SignedTreeHead;
}

/** Printed on a receipt; strings and integers only, each bound to the entry where the entry has it. */
export type ReceiptClaims = Record<string, string | number>;

export interface ReceiptBundle extends Omit<ProofBundle, 'kind'> {
  kind: typeof RECEIPT_KIND;
  receipt: ReceiptKind;
  claims: ReceiptClaims;
}

export interface ConsistencyBundle {
  from: SignedTreeHead;
  to: SignedTreeHead;
  path: string[];
}

/**
 * RFC 8785 canonical JSON for the values used here (strings, safe integers, booleans, null, arrays,
 * plain objects): keys sorted by UTF-16 code units, no whitespace; strings as JSON.stringify writes
 * them, which is what RFC 8785 prescribes.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`canonicalJson: only safe integers, got ${v}`);
    return String(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new Error(`canonicalJson: unsupported ${typeof v}`);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
export const sha256Hex = (s: string): string => toHex(sha256(utf8(s)));

const OPTIONAL_REFS = ['orderId', 'listingId', 'listingCode', 'resourceId', 'authorizationId', 'grade'] as const;

/** The chain hash of an entry, exactly as server/src/modules/ledger/ledger.hash.ts computes it. */
export function entryChainHash(e: ProofEntry): string {
  const body: Record<string, unknown> = {
    seq: e.seq,
    at: e.at,
    month: e.month,
    type: e.type,
    ref: e.ref,
    orgIds: e.orgIds ?? [],
    amountFen: e.amountFen ?? 0,
    prevHash: e.prevHash,
  };
  for (const k of OPTIONAL_REFS) if (e[k] !== undefined) body[k] = e[k];
  return sha256Hex(canonicalJson(body));
}

/** The exact bytes the exchange signs for a tree head. */
export function treeHeadMessage(h: TreeHeadBody): Uint8Array {
  return utf8(canonicalJson({ kind: TREE_HEAD_KIND, size: h.size, root: h.root, time: h.time }));
}

/** The digest a receipt's QR code carries: SHA-256 over the canonical JSON of the whole bundle. */
export function bundleDigest(b: ReceiptBundle | ProofBundle): string {
  return sha256Hex(canonicalJson(b));
}

// SPKI DER of an Ed25519 public key: this 12-byte prefix, then the 32-byte key.
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The raw 32-byte Ed25519 key from a SPKI PEM (what GET /ledger/public-key publishes). */
export function ed25519KeyFromPem(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '');
  const der = base64ToBytes(body);
  if (der.length !== 44 || toHex(der.subarray(0, 12)) !== ED25519_SPKI_PREFIX)
    throw new Error('not an Ed25519 SPKI key');
  return der.subarray(12);
}

/** keyId as the server derives it: the first 16 hex digits of SHA-256 over the SPKI DER. */
export function keyIdFromPem(pem: string): string {
  const raw = ed25519KeyFromPem(pem);
  const der = new Uint8Array(44);
  der.set(fromHex(ED25519_SPKI_PREFIX));
  der.set(raw, 12);
  return toHex(sha256(der)).slice(0, 16);
}

export function treeHeadSignatureValid(h: SignedTreeHead, publicKeyPem: string): boolean {
  try {
    return ed25519.verify(base64ToBytes(h.signature), treeHeadMessage(h), ed25519KeyFromPem(publicKeyPem));
  } catch {
    return false;
  }
}

export type CheckId =
  | 'format'
  | 'digest'
  | 'entryHash'
  | 'claims'
  | 'inclusion'
  | 'keyId'
  | 'signature'
  | 'consistency'
  | 'latestSignature';

/** One thing that was checked; `ok: null` when it could not be checked (e.g. fields withheld). */
export interface Check {
  id: CheckId;
  ok: boolean | null;
  detail: string;
}

export interface VerifyOptions {
  publicKeyPem: string;
  /** The digest the QR code or the receipt number says the bundle has. */
  expectedDigest?: string;
  /** A newer signed head and the consistency proof to it: the entry is still in today's ledger. */
  consistency?: ConsistencyBundle;
}

export interface BundleVerdict {
  ok: boolean;
  checks: Check[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function wellFormed(b: ProofBundle | ReceiptBundle): string | null {
  if (!b || typeof b !== 'object') return 'not an object';
  if (b.kind !== PROOF_KIND && b.kind !== RECEIPT_KIND) return `unknown kind ${String((b as { kind?: unknown }).kind)}`;
  const { entry, inclusion, treeHead } = b;
  if (!entry || !Number.isSafeInteger(entry.seq) || entry.seq < 1) return 'entry.seq';
  if (!HEX64.test(entry.hash ?? '') || !HEX64.test(entry.prevHash ?? '')) return 'entry hashes';
  if (!inclusion || !Array.isArray(inclusion.path) || !inclusion.path.every((p) => HEX64.test(p))) return 'inclusion';
  if (!treeHead || !HEX64.test(treeHead.root ?? '') || !Number.isSafeInteger(treeHead.size)) return 'treeHead';
  if (typeof treeHead.signature !== 'string' || typeof treeHead.time !== 'string') return 'treeHead signature';
  return null;
}

/** Claims that repeat an entry field must equal it, so a receipt cannot print another entry's data. */
const BOUND_CLAIMS: Record<string, keyof ProofEntry> = {
  seq: 'seq',
  listingCode: 'listingCode',
  amountFen: 'amountFen',
  entryHash: 'hash',
  ledgerType: 'type',
  grade: 'grade',
};

/**
 * Checks a proof bundle or receipt without trusting whoever sent it: the entry's hash from its
 * fields, the receipt's claims against the entry, the inclusion path up to the signed root, the
 * head's Ed25519 signature under the published key, and optionally the digest and a consistency
 * proof to a newer signed head. `ok` only when every check that could run passed and the signature,
 * inclusion and (when given) digest checks ran.
 */
export function verifyBundle(b: ProofBundle | ReceiptBundle, opts: VerifyOptions): BundleVerdict {
  const checks: Check[] = [];
  const bad = wellFormed(b);
  if (bad) return { ok: false, checks: [{ id: 'format', ok: false, detail: `malformed bundle: ${bad}` }] };
  const { entry, inclusion, treeHead } = b;

  if (opts.expectedDigest !== undefined) {
    const d = bundleDigest(b);
    checks.push({ id: 'digest', ok: d === opts.expectedDigest, detail: `SHA-256 of the bundle ${d}` });
  }

  if (entry.withheld?.length) {
    checks.push({
      id: 'entryHash',
      ok: null,
      detail: `fields withheld from this viewer: ${entry.withheld.join(', ')}`,
    });
  } else {
    const h = entryChainHash(entry);
    checks.push({ id: 'entryHash', ok: h === entry.hash, detail: `SHA-256 of entry #${entry.seq} = ${h}` });
  }

  if (b.kind === RECEIPT_KIND) {
    const wrong = Object.entries(BOUND_CLAIMS)
      .filter(([claim, field]) => b.claims[claim] !== undefined && b.claims[claim] !== entry[field])
      .map(([claim]) => claim);
    checks.push({
      id: 'claims',
      ok: wrong.length === 0,
      detail: wrong.length ? `claims that differ from the entry: ${wrong.join(', ')}` : 'receipt matches the entry',
    });
  }

  const indexOk = inclusion.leafIndex === entry.seq - 1 && inclusion.treeSize === treeHead.size;
  const root = indexOk
    ? rootFromInclusion(
        inclusion.leafIndex,
        inclusion.treeSize,
        leafHash(fromHex(entry.hash)),
        inclusion.path.map(fromHex),
      )
    : null;
  checks.push({
    id: 'inclusion',
    ok: root !== null && toHex(root) === treeHead.root,
    detail: indexOk
      ? `${inclusion.path.length} hashes lead from leaf ${inclusion.leafIndex} to root ${root ? toHex(root) : '(none)'} of tree size ${treeHead.size}`
      : `proof is for leaf ${inclusion.leafIndex} of size ${inclusion.treeSize}, entry is #${entry.seq} under a head of size ${treeHead.size}`,
  });

  let keyId = '';
  try {
    keyId = keyIdFromPem(opts.publicKeyPem);
  } catch {
    keyId = '(unreadable key)';
  }
  checks.push({
    id: 'keyId',
    ok: keyId === treeHead.keyId,
    detail: `head signed by key ${treeHead.keyId}, published key ${keyId}`,
  });
  checks.push({
    id: 'signature',
    ok: treeHeadSignatureValid(treeHead, opts.publicKeyPem),
    detail: `Ed25519 signature over tree head size ${treeHead.size}, root ${treeHead.root}, time ${treeHead.time}`,
  });

  if (opts.consistency) {
    const c = opts.consistency;
    const same = c.from.size === treeHead.size && c.from.root === treeHead.root;
    const ok =
      same &&
      c.path.every((p) => HEX64.test(p)) &&
      verifyConsistency(c.from.size, c.to.size, fromHex(c.from.root), fromHex(c.to.root), c.path.map(fromHex));
    checks.push({
      id: 'consistency',
      ok,
      detail: `${c.path.length} hashes prove tree ${c.from.size} is a prefix of tree ${c.to.size} (root ${c.to.root})`,
    });
    checks.push({
      id: 'latestSignature',
      ok: treeHeadSignatureValid(c.to, opts.publicKeyPem) && bytesEqual(utf8(c.to.keyId), utf8(treeHead.keyId)),
      detail: `Ed25519 signature over the latest head, size ${c.to.size}`,
    });
  }

  return { ok: checks.every((c) => c.ok !== false), checks };
}
