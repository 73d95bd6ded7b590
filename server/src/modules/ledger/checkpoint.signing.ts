import crypto, { type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Signed checkpoints, the part both the server and the offline verifier need (no database here).
 * A checkpoint commits to the ledger head at the end of one UTC day; the signature is Ed25519 over
 * the RFC 8785 canonical JSON of `{kind, day, seq, hash}`.
 */
export const CHECKPOINT_KIND = 'zdec-ledger-checkpoint/v1';

export interface CheckpointBody {
  day: string;
  seq: number;
  hash: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  keyId: string;
  /** base64 Ed25519 signature of `checkpointMessage(body)` */
  signature: string;
}

/** The exact bytes that are signed. */
export function checkpointMessage(c: CheckpointBody): Buffer {
  return Buffer.from(canonicalize({ kind: CHECKPOINT_KIND, day: c.day, seq: c.seq, hash: c.hash })!, 'utf8');
}

export function signCheckpoint(c: CheckpointBody, privateKey: KeyObject): string {
  return crypto.sign(null, checkpointMessage(c), privateKey).toString('base64');
}

/** True when the signature is the key's signature of exactly this day, seq and hash. */
export function checkpointSignatureValid(c: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return crypto.verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A short fingerprint of a public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * An Ed25519 private key from configuration text: a PKCS#8 PEM (`\n` may be written as the two
 * characters backslash-n, as env files need), base64 of the PKCS#8 DER, or base64/base64url text of
 * at least 32 random bytes whose first 32 are the seed (the form `localSecret` generates).
 */
export function privateKeyFromText(text: string): KeyObject {
  const t = text.trim();
  let key: KeyObject | undefined;
  if (t.includes('-----BEGIN')) {
    key = crypto.createPrivateKey(t.replace(/\\n/g, '\n'));
  } else {
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) throw new Error('the ledger signing key is neither PEM nor base64');
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes[0] === 0x30) {
      try {
        key = crypto.createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
      } catch {
        key = undefined; // not DER after all: random key material
      }
    }
    if (!key) {
      if (bytes.length < 32) throw new Error('the ledger signing key needs at least 32 bytes of key material');
      key = crypto.createPrivateKey({
        key: Buffer.concat([ED25519_PKCS8_PREFIX, bytes.subarray(0, 32)]),
        format: 'der',
        type: 'pkcs8',
      });
    }
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the ledger signing key must be an Ed25519 key');
  return key;
}

/** A public key from a PEM file, or from the JSON that GET /ledger/public-key returns. */
export function publicKeyFromText(text: string): KeyObject {
  const t = text.trim();
  const pem = t.startsWith('{') ? (JSON.parse(t) as { publicKeyPem?: unknown }).publicKeyPem : t;
  if (typeof pem !== 'string' || !pem.includes('BEGIN PUBLIC KEY')) throw new Error('no PEM public key found');
  const key = crypto.createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the checkpoint key must be an Ed25519 key');
  return key;
}
