import pino, { type Logger } from 'pino';

export type { Logger };

/** Query and route parameters whose values are credentials (a download token, an API key …). */
const SECRET_PARAM = /token|key|secret|password|signature/i;
const REDACTED = '[redacted]';

/**
 * A request URL fit for a log: the download token of `/deliveries/:token` and the value of any
 * credential-like query parameter are replaced, everything else (the route, other parameters) stays.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = (q < 0 ? url : url.slice(0, q)).replace(/(\/deliveries\/)[^/?#]+/, `$1${REDACTED}`);
  if (q < 0) return pathPart;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${pathPart}?${query}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function redactValues(obj: unknown): unknown {
  if (!obj || typeof obj !== 'object') return obj;
  return Object.fromEntries(
    Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, SECRET_PARAM.test(k) ? REDACTED : v]),
  );
}

/** The access log's request serializer (after pino's standard one): no credential in URL, query or params. */
export function redactRequest<R extends { url?: string; query?: unknown; params?: unknown }>(req: R): R {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  if (req.query) req.query = redactValues(req.query);
  if (req.params) req.params = redactValues(req.params);
  return req;
}

/**
 * The process logger; request loggers are children of it carrying the request id. Credentials are
 * removed: the bearer token, cookies, the API key header, and (see `redactRequest`) tokens in URLs.
 */
export function createLogger(level: string, name = 'zdec', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'req.headers["stripe-signature"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
        ],
        remove: true,
      },
    },
    ...(destination ? [destination] : []),
  );
}
