import pino, { type Logger } from 'pino';

export type { Logger };

/** The process logger; request loggers are children of it carrying the request id. */
export function createLogger(level: string, name = 'zdec'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
  });
}
