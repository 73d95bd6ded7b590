import { z, type ZodType } from 'zod';
import { GRADES, LEVELS } from '../constants';
import { DETECTORS, type DetectorName } from '../scan/levels';

/**
 * The building blocks of reply schemas. Replies are described as the client reads them, after JSON
 * serialisation: ids are strings, dates ISO strings. Objects are not strict: a reply may carry more
 * than its schema names (the client reads what is named), but what is named must be as declared.
 */
export const Id = z.string().min(1);
export const Timestamp = z.iso.datetime({ offset: true });
export const GradeValue = z.enum(GRADES);
export const LevelValue = z.enum(LEVELS);

/** `{items, total, page, pageSize}` of `item`. */
export function pageOf<T extends ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  });
}

/** A stored file as a record names it (sample, deliverable). */
export const StoredFileView = z.object({
  filename: z.string(),
  format: z.string().optional(),
  size: z.number().int().min(0),
  sha256: z.string().optional(),
  uploadedAt: Timestamp.optional(),
});

export const DetectorValue = z.enum(DETECTORS as [DetectorName, ...DetectorName[]]);

const ScanFindingView = z.object({
  detector: DetectorValue,
  matches: z.number(),
  share: z.number(),
  level: LevelValue,
  examples: z.array(z.string()),
  confirmedShare: z.number(),
  likelihood: z.number(),
  counted: z.boolean(),
});

/** The sensitive-data scan of a sample or deliverable (shared/src/scan). */
export const ScanResultView = z.object({
  rowsScanned: z.number().int().min(0),
  fields: z.array(
    z.object({ field: z.string(), nonEmpty: z.number(), findings: z.array(ScanFindingView), level: LevelValue }),
  ),
  proposed: z.object({ grade: z.literal('general'), level: LevelValue }),
  complete: z.boolean(),
  incomplete: z.array(z.string()).optional(),
});
