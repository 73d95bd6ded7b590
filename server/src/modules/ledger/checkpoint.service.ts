import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Page, PageQuery } from '@zdec/shared';
import { localSecret, type Config } from '../../config';
import { now as clockNow } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { CheckpointModel, type Checkpoint } from './checkpoint.model';
import { keyIdOf, privateKeyFromText, signCheckpoint } from './checkpoint.signing';
import { LedgerEntryModel } from './ledger.model';
import { batches, SCAN_BATCH } from './ledger.scan';
import type { HeadRef } from './ledger.service';
import { onlyDuplicateKeys } from '../../platform/db';
import { backfillTree, signTreeHead } from './merkle.service';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  publicKeyPem: string;
}

/** What GET /ledger/public-key returns. */
export interface PublicKeyView {
  algorithm: 'Ed25519';
  keyId: string;
  publicKeyPem: string;
}

export type CheckpointView = Omit<Checkpoint, '_id'>;

const keys = new Map<string, SigningKey>();

/**
 * The exchange's Ed25519 checkpoint key: LEDGER_SIGNING_KEY when configured (PKCS#8 PEM, or base64
 * of a 32-byte seed), otherwise one generated on first use and kept in DATA_DIR/secrets (mode 0600),
 * like the other local secrets, so the published public key stays the same across restarts.
 */
export function signingKey(config: Pick<Config, 'LEDGER_SIGNING_KEY' | 'DATA_DIR'>): SigningKey {
  const text = config.LEDGER_SIGNING_KEY ?? localSecret(config.DATA_DIR, 'ledger-signing-key');
  let key = keys.get(text);
  if (!key) {
    let privateKey: KeyObject;
    try {
      privateKey = privateKeyFromText(text);
    } catch (err) {
      throw new Error(`LEDGER_SIGNING_KEY: ${(err as Error).message}`, { cause: err });
    }
    const publicKey = createPublicKey(privateKey);
    key = {
      privateKey,
      publicKey,
      keyId: keyIdOf(publicKey),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    keys.set(text, key);
  }
  return key;
}

export function publicKeyView(config: Pick<Config, 'LEDGER_SIGNING_KEY' | 'DATA_DIR'>): PublicKeyView {
  const { keyId, publicKeyPem } = signingKey(config);
  return { algorithm: 'Ed25519', keyId, publicKeyPem };
}

const DAY_MS = 24 * 3600 * 1000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const nextDay = (day: string) => utcDay(new Date(dayStart(day).getTime() + DAY_MS));

/**
 * Writes the checkpoint of every completed UTC day that has none yet: the head at the end of that
 * day, i.e. the highest seq whose `at` falls before the day's end, or the previous day's head when
 * nothing was appended that day. Days before the first entry get none; the day still running gets
 * none, so nothing is ever signed while it can still move. Idempotent: the day is the primary key,
 * and two processes cutting the same day sign the same bytes (Ed25519 is deterministic).
 * Reads only the entries after the newest checkpoint. Returns how many checkpoints were written.
 */
export async function cutCheckpoints(
  config: Pick<Config, 'LEDGER_SIGNING_KEY' | 'DATA_DIR'>,
  now = clockNow(),
): Promise<number> {
  const lastDay = utcDay(new Date(now.getTime() - DAY_MS));
  const last = await CheckpointModel.findOne({}, { day: 1, seq: 1, hash: 1 }).sort({ day: -1 }).lean();
  if (last && last.day >= lastDay) return 0;

  const at: Record<string, Date> = { $lt: dayStart(nextDay(lastDay)) };
  if (last) at.$gte = dayStart(nextDay(last.day));
  const perDay = new Map<string, HeadRef>();
  const cursor = LedgerEntryModel.collection.find<{ seq: number; at: Date; hash: string }>(
    { at },
    { projection: { _id: 0, seq: 1, at: 1, hash: 1 }, batchSize: SCAN_BATCH },
  );
  for await (const docs of batches(cursor)) {
    for (const d of docs) {
      const day = utcDay(d.at);
      const best = perDay.get(day);
      if (!best || d.seq > best.seq) perDay.set(day, { seq: d.seq, hash: d.hash });
    }
  }

  let day = last ? nextDay(last.day) : [...perDay.keys()].sort()[0];
  if (!day) return 0;
  const key = signingKey(config);
  let running: HeadRef | null = last ? { seq: last.seq, hash: last.hash } : null;
  const docs: Checkpoint[] = [];
  for (; day <= lastDay; day = nextDay(day)) {
    const h = perDay.get(day);
    if (h && (!running || h.seq > running.seq)) running = h;
    if (!running) continue;
    const body = { day, seq: running.seq, hash: running.hash };
    docs.push({
      _id: day,
      ...body,
      keyId: key.keyId,
      signature: signCheckpoint(body, key.privateKey),
      signedAt: now,
      tree: await signTreeHead(running.seq, dayStart(nextDay(day)), key),
    });
  }
  if (!docs.length) return 0;
  try {
    await CheckpointModel.collection.insertMany(docs as never[], { ordered: false });
    return docs.length;
  } catch (err) {
    if (!onlyDuplicateKeys(err)) throw err;
    const e = err as { writeErrors?: unknown[] | unknown };
    const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e];
    return docs.length - errors.length; // another process wrote those days meanwhile
  }
}

/** Signed checkpoints, newest day first. */
export async function listCheckpoints(q: PageQuery): Promise<Page<CheckpointView>> {
  const [items, total] = await Promise.all([
    CheckpointModel.find({}, { _id: 0 })
      .sort({ day: -1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    CheckpointModel.countDocuments(),
  ]);
  return { items, total, page: q.page, pageSize: q.pageSize };
}

/** Every checkpoint, oldest day first (a few hundred bytes a day: small enough to send at once). */
export async function allCheckpoints(): Promise<CheckpointView[]> {
  return CheckpointModel.find({}, { _id: 0 }).sort({ day: 1 }).lean();
}

/** Cuts checkpoints at start-up and every `intervalMs` (default hourly). Returns a stop function. */
export function startCheckpointJob(config: Config, log: Logger, intervalMs = 3600_000): () => void {
  const run = () =>
    backfillTree() // the Merkle tree first, when the ledger predates it (merkle.service)
      .then(() => cutCheckpoints(config))
      .then((n) => n && log.info({ written: n }, 'ledger checkpoints written'))
      .catch((err: unknown) => log.error({ err }, 'ledger checkpoints could not be written'));
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
