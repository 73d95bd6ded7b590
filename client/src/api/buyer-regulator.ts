/**
 * Calls and response shapes of the product dossier, the watch list and the supervision views
 * (issue 16 items 1–2), and the streamed download with progress their exports use.
 */
import { operations, type ReplyBody, type SupervisionView } from '@zdec/shared';
import { ApiError } from './errors';
import { apiUrl, call, saveBlob, type Query } from './http';
import { getToken, setSession } from './session';

export type { SupervisionView };

/** GET /supervision/report: the figures and the ledger basis they come from. */
export type SupervisionReport = ReplyBody<typeof operations.supervision.report>;

const enc = encodeURIComponent;

export type ProductDossier = ReplyBody<typeof operations.products.dossier>;
export type DossierSource = ProductDossier['sources'][number];
export type DictionaryField = DossierSource['fields'][number];
/** An organisation as the supervision views name it (name and code unknown for a deleted one). */
export interface OrgName {
  id: string;
  name: string | null;
  creditCode: string | null;
}
export type WatchItem = ReplyBody<typeof operations.products.watchlist>['items'][number];

/** GET /supervision/entries/{seq}: the entry with its organisations and the records it names. */
export type LedgerEntryDetail = ReplyBody<typeof operations.supervision.entry>;

export const dossierApi = {
  get: (id: string, signal?: AbortSignal) => call(operations.products.dossier, { params: { id }, signal }),
  sampleUrl: (id: string) => apiUrl(`/listings/${enc(id)}/sample`),
};

export const watchlistApi = {
  list: (signal?: AbortSignal) => call(operations.products.watchlist, { query: { pageSize: 100 }, signal }),
  watch: (listingId: string) => call(operations.products.watch, { body: { listingId } }),
  unwatch: (listingId: string) => call(operations.products.unwatch, { params: { listingId } }),
};

export const supervisionApi = {
  report: (query: Query, signal?: AbortSignal) => call(operations.supervision.report, { query, signal }),
  suggestOrgs: (q: string, signal?: AbortSignal) => call(operations.supervision.orgs, { query: { q }, signal }),
  entry: (seq: number, signal?: AbortSignal) => call(operations.supervision.entry, { params: { seq }, signal }),
  /** Organisation names and credit codes for ids seen on ledger entries (GET /orgs, at most 100 ids). */
  orgNames: (ids: string[], signal?: AbortSignal) =>
    call(operations.accounts.lookupOrgs, { query: { ids: ids.join(',') }, signal }),
};

/** The problem document of a failed response as an ApiError (and the end of a refused session). */
async function failure(res: Response, sentToken: boolean): Promise<ApiError> {
  if (res.status === 401 && sentToken) setSession(null);
  const text = await res.text().catch(() => '');
  let body: unknown = text || undefined;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return ApiError.fromBody(res.status, res.statusText, body);
}

/** How far a streamed download has come. `fraction` is known when the expected row count is. */
export interface DownloadProgress {
  bytes: number;
  rows: number;
  expectedRows: number | null;
  fraction: number | null;
  done: boolean;
}

/**
 * Fetches an export with the bearer token, reading the response stream as it arrives and
 * reporting progress (bytes, and CSV lines against `X-Export-Rows` or the `expectedRows` the page
 * already knows), then hands the file to the browser. The file name is the server's.
 */
export async function downloadWithProgress(
  path: string,
  query: Query | undefined,
  fallbackName: string,
  onProgress: (p: DownloadProgress) => void,
  expectedRows: number | null = null,
  signal?: AbortSignal,
): Promise<void> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(apiUrl(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw ApiError.network(err);
  }
  if (!res.ok) throw await failure(res, Boolean(token));
  const headerRows = Number(res.headers.get('X-Export-Rows') ?? NaN);
  const expected = Number.isFinite(headerRows) ? headerRows : expectedRows;
  const isCsv = (res.headers.get('Content-Type') ?? '').startsWith('text/csv');
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  const report = (done: boolean) => {
    const rows = Math.max(0, lines - 1); // the header line
    onProgress({
      bytes,
      rows: isCsv ? rows : 0,
      expectedRows: expected,
      fraction: done ? 1 : isCsv && expected ? Math.min(1, rows / Math.max(1, expected)) : null,
      done,
    });
  };
  report(false);
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      if (isCsv) for (const b of value) if (b === 0x0a) lines++;
      report(false);
    }
  } else {
    const buf = new Uint8Array(await res.arrayBuffer());
    chunks.push(buf);
    bytes = buf.byteLength;
  }
  report(true);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const blob = new Blob(chunks as BlobPart[], { type: res.headers.get('Content-Type') ?? 'application/octet-stream' });
  saveBlob(blob, name);
}
