/**
 * The load generator, run as its own process (bench/lib.ts `load`) so that it never shares an event
 * loop with the server it measures. Reads a LoadSpec as JSON from argv[2] (a file), drives autocannon
 * against 127.0.0.1 only, and prints one JSON line: autocannon's figures plus the exact latency
 * percentiles (autocannon reports no p95) from every response time.
 */
import fs from 'node:fs';
import autocannon, { type Request } from 'autocannon';

export interface PathsScenario {
  kind: 'paths';
  /** Each request takes the next path round-robin from a random start per connection. */
  paths: string[];
  headers?: Record<string, string>;
}

/** Each connection is one buyer: place a bank-transfer order, then exchange staff confirm the transfer. */
export interface SettleScenario {
  kind: 'settle';
  buyerTokens: string[];
  exchangeToken: string;
  listingIds: string[];
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests (in addition to the duration). */
  amount?: number;
  scenario: PathsScenario | SettleScenario;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** settle: orders placed and transfers confirmed (2xx). */
  ordersPlaced?: number;
  ordersSettled?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

type Ctx = Record<string, unknown>;
const ctx = (c: object) => c as Ctx;

function settleRequests(s: SettleScenario, counts: { placed: number; settled: number }): Request[] {
  let nextBuyer = 0;
  return [
    {
      method: 'POST',
      path: '/api/v1/orders',
      setupRequest: (req, c) => {
        const context = ctx(c);
        context.buyer ??= s.buyerTokens[nextBuyer++ % s.buyerTokens.length];
        const listingId = s.listingIds[Math.floor(Math.random() * s.listingIds.length)];
        return {
          ...req,
          headers: { authorization: `Bearer ${context.buyer as string}`, 'content-type': 'application/json' },
          body: JSON.stringify({ listingId, quantity: 1, paymentMethod: 'bank_transfer' }),
        };
      },
      onResponse: (status, body, c) => {
        const context = ctx(c);
        context.order = undefined;
        if (status !== 201) return;
        const { order } = JSON.parse(body) as { order: { id: string; amountFen: number; number: string } };
        context.order = order;
        counts.placed++;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, c) => {
        const order = ctx(c).order as { id: string; amountFen: number; number: string } | undefined;
        if (!order) return { ...req, method: 'GET', path: '/healthz', body: undefined };
        return {
          ...req,
          path: `/api/v1/orders/${order.id}/confirm-transfer`,
          headers: { authorization: `Bearer ${s.exchangeToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ bankReference: `BENCH-${order.number}`, amountFen: order.amountFen }),
        };
      },
      onResponse: (status, _body, c) => {
        if (ctx(c).order && status === 200) counts.settled++;
      },
    },
  ];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(spec.url)) throw new Error(`load only ever targets 127.0.0.1: ${spec.url}`);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const counts = { placed: 0, settled: 0 };
  const s = spec.scenario;
  let requests: Request[];
  if (s.kind === 'paths') {
    let start = 0;
    requests = [
      {
        method: 'GET',
        setupRequest: (req, c) => {
          const context = ctx(c);
          const i = ((context.i as number | undefined) ?? (start += 7919)) % s.paths.length;
          context.i = i + 1;
          return { ...req, path: s.paths[i]!, headers: { ...(s.headers ?? {}) } };
        },
      },
    ];
  } else {
    requests = settleRequests(s, counts);
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds,
        ...(spec.amount ? { amount: spec.amount } : {}),
        timeout: 30,
        requests,
      },
      (err, res) => (err ? reject(err as Error) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  const seconds = result.duration;
  return {
    requests: total,
    durationSeconds: seconds,
    requestsPerSecond: total / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
      mean: total ? latencies.reduce((a, b) => a + b, 0) / total : 0,
    },
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(s.kind === 'settle' ? { ordersPlaced: counts.placed, ordersSettled: counts.settled } : {}),
  };
}

if (require.main === module) {
  const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
  runLoad(spec)
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
