import { ensureStripeMock } from './go-tools';
import { freePort, startService } from './process';

export interface StripeMockHandle {
  url: string;
  stop(): Promise<void>;
}

/** Uses STRIPE_MOCK_URL when set; otherwise builds (once) and starts stripe-mock on loopback. */
export async function startStripeMock(url = process.env.STRIPE_MOCK_URL): Promise<StripeMockHandle> {
  if (url) return { url, stop: async () => {} };
  const bin = ensureStripeMock();
  const port = await freePort();
  const svc = await startService(bin, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], port);
  return { url: `http://127.0.0.1:${port}`, stop: () => svc.stop() };
}

/** The Stripe client settings (host, port, protocol) that point stripe-node at a URL. */
export function stripeEndpoint(url: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const u = new URL(url);
  const protocol = u.protocol === 'https:' ? 'https' : 'http';
  return { host: u.hostname, port: Number(u.port || (protocol === 'https' ? 443 : 80)), protocol };
}
