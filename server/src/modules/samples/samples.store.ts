import { Schema, type Types } from 'mongoose';
import type { ScanResult } from '@zdec/shared';
import { AppError } from '../../platform/errors';
import { putFile } from '../../platform/storage';
import { scanSampleOffThread } from './samples.scan';
import type { SampleEncoding, SampleFormat } from './samples.sniff';
import { SAMPLE_MAX_BYTES } from './samples.upload';
import type { SampleSummary } from './samples.worker';

/** A stored sample as resources and listings record it. */
/** A stored sample or deliverable as the records that hold one keep it (StoredSample). */
export const storedFileSchema = new Schema(
  {
    fileId: { type: Schema.Types.ObjectId, required: true },
    filename: { type: String, required: true },
    format: { type: String, required: true, enum: ['csv', 'json', 'xlsx'] },
    encoding: { type: String },
    size: { type: Number, required: true },
    sha256: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    uploadedAt: { type: Date, required: true },
  },
  { _id: false },
);

export interface StoredSample {
  fileId: Types.ObjectId;
  filename: string;
  format: SampleFormat;
  encoding?: SampleEncoding;
  size: number;
  sha256: string;
  uploadedAt: Date;
}

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters. */
export function safeFilename(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return [...base].slice(0, 200).join('') || 'sample';
}

/**
 * Parses an uploaded sample and scans every row of it (every worksheet of an XLSX, every character of
 * every value) while it streams, in a worker thread within the scan budget (samples.scan.ts), and
 * only then stores it in GridFS with its SHA-256, so a refused upload stores nothing.
 */
export async function ingestSample(
  file: { buffer: Buffer; originalname: string },
  metadata: Record<string, unknown> = {},
): Promise<{ sample: StoredSample; parsed: SampleSummary; scan: ScanResult }> {
  if (file.buffer.length > SAMPLE_MAX_BYTES) {
    throw new AppError('too-large', 413, `A sample may be at most ${Math.round(SAMPLE_MAX_BYTES / 1024 / 1024)} MB`);
  }
  const { parsed, scan } = await scanSampleOffThread(file.buffer);
  const filename = safeFilename(file.originalname);
  const stored = await putFile(file.buffer, filename, {
    ...metadata,
    kind: 'sample',
    format: parsed.format,
    ...(parsed.encoding ? { encoding: parsed.encoding } : {}),
  });
  return {
    sample: {
      fileId: stored.fileId,
      filename,
      format: parsed.format,
      ...(parsed.encoding ? { encoding: parsed.encoding } : {}),
      size: stored.size,
      sha256: stored.sha256,
      uploadedAt: new Date(),
    },
    parsed,
    scan,
  };
}

/** The Content-Type to serve a stored sample with. */
export function sampleContentType(format: SampleFormat, encoding?: SampleEncoding): string {
  const charset = encoding === 'gb18030' ? 'gb18030' : 'utf-8';
  if (format === 'csv') return `text/csv; charset=${charset}`;
  if (format === 'json') return `application/json; charset=${charset}`;
  return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}
