import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/platform/logger';
import { connectTestDb, dropTestDb } from '../helpers/app';
import { makeActor } from '../helpers/factories';

/** The real access log of the real app, captured line by line. */
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  },
});
const config = loadConfig(process.env);
const app = createApp({ config, log: createLogger('info', 'zdec', sink) });
const http = supertest(app);

beforeAll(async () => {
  await connectTestDb();
});
afterAll(dropTestDb);
beforeEach(() => {
  lines.length = 0;
});

/** The access-log line of the request with this id (pino-http's "request completed"/"errored"). */
async function accessLine(id: string): Promise<string> {
  for (let i = 0; i < 50 && !lines.some((l) => l.includes(id)); i++) await new Promise((r) => setTimeout(r, 10));
  const found = lines.filter((l) => l.includes(id));
  expect(found.length).toBeGreaterThan(0);
  return found.join('\n');
}

describe('credentials never reach the access log', () => {
  it('when a download token is used in a /deliveries/:token URL, then the logged URL does not carry it', async () => {
    const token = 'Tok3nThatMustNeverBeLogged_abcdefghijklmnopqrstu';
    await http.get(`/api/v1/deliveries/${token}?x=1`).set('X-Request-Id', 'req-redact-0001');
    const line = await accessLine('req-redact-0001');
    expect(line).not.toContain(token);
    const entry = JSON.parse(line.split('\n')[0]!) as { req: { url: string } };
    expect(entry.req.url).toBe('/api/v1/deliveries/[redacted]?x=1');
  });

  it('when an API key comes in X-Api-Key, then the logged headers do not carry it', async () => {
    const key = 'zdec_live_ApiKeyThatMustNeverBeLogged0123456789';
    await http.get('/api/v1/data/ZDEC-2026-000001').set('X-Api-Key', key).set('X-Request-Id', 'req-redact-0002');
    const line = await accessLine('req-redact-0002');
    expect(line).toContain('/api/v1/data/ZDEC-2026-000001');
    expect(line).not.toContain(key);
  });

  it('when a bearer token authenticates a request, then the logged headers do not carry it', async () => {
    const actor = await makeActor(config, 'buyer');
    await http.get('/api/v1/auth/me').set('Authorization', actor.auth).set('X-Request-Id', 'req-redact-0003');
    const line = await accessLine('req-redact-0003');
    expect(line).not.toContain(actor.token);
  });

  it('when a credential sits in the query string, then its value is not logged', async () => {
    await http
      .get('/api/v1/listings?apiKey=SecretInQuery123&token=AlsoSecret456&q=ok')
      .set('X-Request-Id', 'req-redact-0004');
    const line = await accessLine('req-redact-0004');
    expect(line).not.toContain('SecretInQuery123');
    expect(line).not.toContain('AlsoSecret456');
    expect(line).toContain('q=ok');
  });
});
