/**
 * A unique-index violation, however the engine reports it: code 11000 (MongoDB; FerretDB on insert),
 * 11001 (old MongoDB), or FerretDB v1's code 1 with MongoDB's `E11000` text (a duplicate inside an
 * update) or SQLite's own text. The one place that reads a database's error text.
 */
export function isDuplicateKey(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; writeErrors?: { code?: unknown }[] };
  if (e.code === 11000 || e.code === 11001) return true;
  if (typeof e.message === 'string' && /E11000|duplicate key|UNIQUE constraint failed/i.test(e.message)) return true;
  return false;
}

/** A bulk insert whose every failure was a duplicate key (the rest went in). */
export function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { writeErrors?: { code?: unknown }[] | { code?: unknown } };
  const list = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  if (!list.length) return isDuplicateKey(err);
  return list.every((w) => w.code === 11000 || w.code === 11001);
}
