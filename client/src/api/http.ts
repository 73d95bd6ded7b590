import { fillPath, type Operation, type ReplyBody } from '@zdec/shared';
import type { z, ZodType } from 'zod';
import { ApiError } from './errors';
import { getToken, setSession } from './session';

export const API_BASE = '/api/v1';

export type QueryValue = string | number | boolean | undefined | null;
export type Query = Record<string, QueryValue>;

/** `?a=1&b=x` from the defined, non-empty values (empty strings are filters the user left blank). */
export function queryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(path: string, query?: Query): string {
  return `${API_BASE}${path}${queryString(query)}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A sent token that the server refuses means the session is over: forget it so the UI offers sign-in. */
function handleUnauthorized(status: number, sentToken: boolean): void {
  if (status === 401 && sentToken) setSession(null);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** One JSON call to the API with the bearer token; rejects with an `ApiError`. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const token = getToken();
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw ApiError.network(err);
  }
  const body = await readBody(res).catch(() => undefined);
  if (!res.ok) {
    handleUnauthorized(res.status, Boolean(token));
    throw ApiError.fromBody(res.status, res.statusText, body);
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
};

type QueryOf<O> = O extends { query?: infer Q }
  ? NonNullable<Q> extends ZodType
    ? z.input<NonNullable<Q>>
    : never
  : never;

/** What a call sends: the path parameters and body as the operation declares them; filters by name. */
export interface CallOptions<O extends Operation> {
  params?: NonNullable<O['params']> extends ZodType ? z.input<NonNullable<O['params']>> : undefined;
  /** Filters as the page holds them (text from inputs and the URL; the server coerces), by their declared names. */
  query?: [QueryOf<O>] extends [never] ? undefined : { [K in keyof QueryOf<O>]?: QueryValue };
  body?: NonNullable<O['body']> extends ZodType ? z.input<NonNullable<O['body']>> : undefined;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Calls one operation of the registry (shared/src/operations): the method and path come from it and
 * the reply is typed by its declared schema, so the client reads what the server is checked to send.
 */
export function call<O extends Operation>(op: O, opts: CallOptions<O> = {}): Promise<ReplyBody<O>> {
  const params = opts.params as Record<string, unknown> | undefined;
  return request<ReplyBody<O>>(op.method.toUpperCase(), fillPath(op.path, params), {
    query: opts.query as Query | undefined,
    // An action without a body sends `{}`, as the registry's EmptyBody expects.
    body: opts.body ?? (op.method === 'get' || op.method === 'delete' ? undefined : {}),
    headers: opts.headers,
    signal: opts.signal,
  });
}

/** Uploads the file of an operation that takes one (`upload: 'file'`), with progress. */
export function callUpload<O extends Operation>(
  op: O,
  params: CallOptions<O>['params'],
  file: File,
  onProgress: (fraction: number) => void,
): { promise: Promise<ReplyBody<O>>; abort: () => void } {
  const filled = fillPath(op.path, params as Record<string, unknown> | undefined);
  return uploadFile<ReplyBody<O>>(filled, 'file', file, onProgress);
}

/**
 * Uploads one file as multipart/form-data with XMLHttpRequest, which (unlike fetch) reports
 * upload progress. `onProgress` gets a fraction from 0 to 1.
 */
export function uploadFile<T>(
  path: string,
  field: string,
  file: File,
  onProgress: (fraction: number) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    const token = getToken();
    xhr.open('POST', apiUrl(path));
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(ApiError.network(new Error('upload failed')));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else {
        handleUnauthorized(xhr.status, Boolean(token));
        reject(ApiError.fromBody(xhr.status, xhr.statusText, body));
      }
    };
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** Fetches a file with the bearer token and hands it to the browser as a download. */
export async function downloadWithToken(path: string, query: Query | undefined, filename: string): Promise<void> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(apiUrl(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch (err) {
    throw ApiError.network(err);
  }
  if (!res.ok) {
    const body = await readBody(res).catch(() => undefined);
    handleUnauthorized(res.status, Boolean(token));
    throw ApiError.fromBody(res.status, res.statusText, body);
  }
  saveBlob(await res.blob(), filename);
}

/** Hands a downloaded file to the browser to save under `filename` (a link clicked, its URL freed later). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A random Idempotency-Key (works outside secure contexts too, unlike crypto.randomUUID). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `ord-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
