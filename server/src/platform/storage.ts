import crypto from 'node:crypto';
import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import mongoose, { Types } from 'mongoose';
import { AppError } from './errors';

/** Files (resource samples, listing samples, deliverables) live in MongoDB GridFS, bucket `files`. */
const BUCKET_NAME = 'files';
/** Bytes hashed or handed to GridFS at a time (one GridFS chunk is 255 KiB). */
const STORE_SLICE_BYTES = 255 * 1024;

type Db = NonNullable<typeof mongoose.connection.db>;
type Bucket = InstanceType<typeof mongoose.mongo.GridFSBucket>;

/** What GridFS knows about a stored file. */
export interface StoredFileInfo {
  fileId: Types.ObjectId;
  filename: string;
  size: number;
  uploadedAt: Date;
  sha256?: string;
  metadata: Record<string, unknown>;
}

// One bucket per database handle: a bucket checks its indexes once, on its first upload.
const buckets = new WeakMap<Db, Bucket>();

function bucket(): Bucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('storage: the database is not connected');
  let b = buckets.get(db);
  if (!b) {
    b = new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET_NAME });
    buckets.set(db, b);
  }
  return b;
}

function toObjectId(fileId: Types.ObjectId | string): Types.ObjectId {
  if (fileId instanceof Types.ObjectId) return fileId;
  if (!/^[a-f0-9]{24}$/i.test(fileId)) throw new AppError('bad-id', 400, 'Invalid file id');
  return new Types.ObjectId(fileId);
}

/** SHA-256 of some bytes, lower-case hex. */
export function sha256Hex(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * Stores bytes in GridFS with their SHA-256 (kept in the file's metadata as `sha256`).
 * `metadata` is anything the caller wants to find again with `fileInfo`.
 */
export async function putFile(
  data: Buffer,
  filename: string,
  metadata: Record<string, unknown> = {},
): Promise<{ fileId: Types.ObjectId; sha256: string; size: number }> {
  // Hashed and written a slice at a time, yielding in between: a 10 MB sample hashed or copied into
  // GridFS chunks in one go holds the event loop for tens of milliseconds (issue 12).
  const hash = crypto.createHash('sha256');
  for (let i = 0; i < data.length; i += STORE_SLICE_BYTES) {
    hash.update(data.subarray(i, i + STORE_SLICE_BYTES));
    if (i + STORE_SLICE_BYTES < data.length) await setImmediate();
  }
  const sha256 = hash.digest('hex');
  const fileId = new Types.ObjectId();
  const upload = bucket().openUploadStreamWithId(fileId, filename, { metadata: { ...metadata, sha256 } });
  const finished = new Promise<void>((resolve, reject) => {
    upload.once('error', reject);
    upload.once('finish', () => resolve());
  });
  for (let i = 0; i < data.length; i += STORE_SLICE_BYTES) {
    if (!upload.write(data.subarray(i, i + STORE_SLICE_BYTES))) {
      await Promise.race([once(upload, 'drain'), finished]);
    } else await setImmediate();
  }
  upload.end();
  await finished;
  return { fileId, sha256, size: data.length };
}

/** A download stream of a stored file (errors with code 'ENOENT' when there is no such file). */
export function openFile(fileId: Types.ObjectId | string): Readable {
  return bucket().openDownloadStream(toObjectId(fileId));
}

/** The whole content of a stored file. */
export async function readFile(fileId: Types.ObjectId | string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of openFile(fileId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What GridFS knows about a file, or null when there is none. */
export async function fileInfo(fileId: Types.ObjectId | string): Promise<StoredFileInfo | null> {
  const f = await bucket()
    .find({ _id: toObjectId(fileId) })
    .next();
  if (!f) return null;
  const metadata = (f.metadata ?? {}) as Record<string, unknown>;
  return {
    fileId: f._id as Types.ObjectId,
    filename: f.filename,
    size: f.length,
    uploadedAt: f.uploadDate,
    sha256: typeof metadata.sha256 === 'string' ? metadata.sha256 : undefined,
    metadata,
  };
}

/** Removes a stored file; a file that is already gone is not an error. */
export async function deleteFile(fileId: Types.ObjectId | string): Promise<void> {
  try {
    await bucket().delete(toObjectId(fileId));
  } catch (err) {
    if (!/not found|FileNotFound/i.test((err as Error).message)) throw err;
  }
}
