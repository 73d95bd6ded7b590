import { z } from 'zod';
import { AUTHORIZATION_STATUSES, LISTING_STATUSES, PRICING_MODELS } from '../constants';
import { operation } from './define';
import { Id, Timestamp } from './views';

/** The province's 2027 targets as the ledger counts them today, with the projection. */
export const TargetsView = z.object({
  asOf: Timestamp,
  listings: z.object({ cumulative: z.number().int(), target: z.number().int(), progress: z.number() }),
  volume: z.object({ cumulativeFen: z.number().int(), targetFen: z.number().int(), progress: z.number() }),
  deadline: z.iso.date(),
  monthly: z.array(z.object({ month: z.string(), listed: z.number().int(), volumeFen: z.number().int() })),
  projection: z.object({
    window: z.object({ from: z.string(), to: z.string(), months: z.number().int() }),
    listingsAtDeadline: z.number().int(),
    volumeFenAtDeadline: z.number().int(),
    onTrack: z.object({ listings: z.boolean(), volume: z.boolean() }),
  }),
});

export const DemoWorldView = z.object({
  state: z.enum(['none', 'loading', 'loaded', 'interrupted']),
  startedAt: Timestamp.optional(),
  doneAt: Timestamp.optional(),
  percent: z.number().int().min(0).max(100).optional(),
  progress: z.object({ phase: z.string(), done: z.number().int(), total: z.number().int(), at: z.string() }).optional(),
});

/** 年度披露: one year's disclosure, per authorization. */
export const DisclosureView = z.object({
  year: z.number().int(),
  items: z.array(
    z.object({
      authorization: z.object({
        id: Id,
        number: z.string(),
        purpose: z.string(),
        validFrom: Timestamp,
        validTo: Timestamp,
        status: z.enum(AUTHORIZATION_STATUSES),
      }),
      operator: z.object({ name: z.string(), creditCode: z.string() }),
      resources: z.array(z.object({ registrationNumber: z.string().nullable(), name: z.string() })),
      feeCaps: z.record(z.enum(PRICING_MODELS), z.number().int().nullable()),
      listings: z.array(
        z.object({
          code: z.string().nullable(),
          title: z.string(),
          pricing: z.object({ model: z.enum(PRICING_MODELS), priceFen: z.number().int() }),
          status: z.enum(LISTING_STATUSES),
        }),
      ),
      orders: z.object({
        count: z.number().int(),
        amountFen: z.number().int(),
        refundedFen: z.number().int(),
        netFen: z.number().int(),
      }),
    }),
  ),
});

/** Public figures: the targets, the demo world's loading, the yearly disclosure. */
export const statsOperations = {
  targets: operation({
    method: 'get',
    path: '/stats/targets',
    tag: 'stats',
    summary: 'The 2027 targets: listed products and volume so far, monthly, and the projection',
    access: 'public',
    reply: { json: TargetsView },
  }),
  demoWorld: operation({
    method: 'get',
    path: '/stats/demo-world',
    tag: 'stats',
    summary: 'How far the demo world has loaded (the pages show a banner meanwhile)',
    access: 'public',
    reply: { json: DemoWorldView },
  }),
  disclosure: operation({
    method: 'get',
    path: '/disclosures/{year}',
    tag: 'disclosures',
    summary: 'Annual disclosure (年度披露) of every authorization in force that year (2020–2100)',
    access: 'public',
    // The year's range is checked by the route, with its own message (400, params.year).
    params: z.object({ year: z.string() }),
    reply: { json: DisclosureView },
  }),
};
