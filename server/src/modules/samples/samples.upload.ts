import type { RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../../platform/errors';

/*
 * The upload of a sample: one multipart file, at most SAMPLE_MAX_BYTES, kept in shared memory for
 * the scan (samples.scan.ts). What it is is decided from its bytes afterwards (samples.sniff.ts),
 * never from the file name or the declared MIME type.
 */

/** Largest sample accepted (bytes). */
export const SAMPLE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Keeps the uploaded file in shared memory as it arrives, chunk by chunk: the scan worker reads the
 * same bytes (no 10 MB copy or structured clone on the event loop, see samples.scan.ts), and there is
 * no whole-file concatenation at the end either. Sized from the request's Content-Length (the
 * multipart body bounds the file), grown by doubling when a client sends none.
 */
const sharedMemoryStorage: multer.StorageEngine = {
  _handleFile(req, file, cb) {
    const declared = Number(req.headers['content-length']);
    let capacity = Math.min(SAMPLE_MAX_BYTES + 1, Number.isFinite(declared) && declared > 0 ? declared : 256 * 1024);
    let bytes = new Uint8Array(new SharedArrayBuffer(capacity));
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => {
      if (size + chunk.length > capacity) {
        capacity = Math.min(Math.max(capacity * 2, size + chunk.length), SAMPLE_MAX_BYTES + chunk.length);
        const grown = new Uint8Array(new SharedArrayBuffer(capacity));
        grown.set(bytes.subarray(0, size));
        bytes = grown;
      }
      bytes.set(chunk, size);
      size += chunk.length;
    });
    file.stream.on('error', (err) => cb(err));
    file.stream.on('end', () => {
      const buffer = Buffer.from(bytes.buffer, 0, size);
      cb(null, { buffer, size });
    });
  },
  _removeFile(_req, file, cb) {
    (file as { buffer?: Buffer }).buffer = undefined;
    cb(null);
  },
};

const multerSingle = multer({
  storage: sharedMemoryStorage,
  limits: { fileSize: SAMPLE_MAX_BYTES, files: 1, fields: 0, parts: 1 },
  // Browsers send UTF-8 file names (中文.csv) without a charset parameter.
  defParamCharset: 'utf8',
}).single('file');

/**
 * Reads one multipart file in field `file` (≤ SAMPLE_MAX_BYTES, no other parts) into `req.file`.
 * Too large → 413; other parts → 400; no file → 400.
 */
export const sampleUpload: RequestHandler = (req, res, next) => {
  multerSingle(req, res, (err: unknown) => {
    if (err) return next(err);
    if (!req.file) {
      return next(new AppError('missing-file', 400, 'Send the sample as multipart/form-data in the field "file"'));
    }
    next();
  });
};
