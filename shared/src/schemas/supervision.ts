import { z } from 'zod';
import { DateEndInput, DateInput, ObjectIdString } from './common';

/** An organisation named by its id or by its unified social credit code (18 characters). */
export const OrgRef = z.union([
  ObjectIdString,
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'an organisation id or an 18-character unified social credit code'),
]);

/** The window and thresholds of the supervision views (all computed from the ledger's trade entries). */
export const SupervisionQuery = z.strictObject({
  from: DateInput.optional(),
  to: DateEndInput.optional(),
  org: OrgRef.optional(),
  /** A price at or above this share of its fee cap counts as "near" (0.9 = 90 %). */
  nearCapRatio: z.coerce.number().min(0.5).max(1).default(0.9),
  /** A pair of organisations with at least this many trades in the window is listed as repeated. */
  minRepeats: z.coerce.number().int().min(2).max(1000).default(3),
  /** Rows of the "largest trades" view. */
  top: z.coerce.number().int().min(1).max(100).default(20),
});
export type SupervisionQuery = z.infer<typeof SupervisionQuery>;

export const SUPERVISION_VIEWS = [
  'byMonth',
  'byDomain',
  'byOrg',
  'byGrade',
  'largest',
  'nearCap',
  'repeatedPairs',
] as const;
export type SupervisionView = (typeof SUPERVISION_VIEWS)[number];

export const SupervisionExportQuery = SupervisionQuery.extend({
  view: z.enum(SUPERVISION_VIEWS),
  format: z.enum(['csv', 'xlsx']).default('csv'),
});
export type SupervisionExportQuery = z.infer<typeof SupervisionExportQuery>;

export const OrgSuggestQuery = z.strictObject({ q: z.string().trim().min(1).max(60) });

/** Where every figure of the supervision views comes from. */
export interface SupervisionBasis {
  source: 'ledger';
  headSeq: number;
  headHash: string | null;
  /** Trade entries (trade.settled, trade.refunded) inside the window that the figures sum. */
  tradeEntries: number;
  from: string | null;
  to: string | null;
  org: { id: string; name: string; creditCode: string } | null;
  computedAt: string;
}

/** A group's figures: settled trades, refunds, and the net volume (settled minus refunded, SPEC section 5). */
export interface TradeFigures {
  settledCount: number;
  settledFen: number;
  refundedCount: number;
  refundedFen: number;
  volumeFen: number;
}

export interface OrgName {
  id: string;
  name: string | null;
  creditCode: string | null;
}

export interface SupervisionReport {
  basis: SupervisionBasis;
  totals: TradeFigures;
  byMonth: (TradeFigures & { month: string })[];
  byDomain: (TradeFigures & { domain: string })[];
  byGrade: (TradeFigures & { grade: string })[];
  byOrg: (OrgName & { bought: TradeFigures; sold: TradeFigures })[];
  largest: {
    seq: number;
    at: string;
    listingCode: string | null;
    listingTitle: string | null;
    orderId: string | null;
    amountFen: number;
    buyer: OrgName | null;
    provider: OrgName | null;
  }[];
  nearCap: {
    listingId: string;
    listingCode: string | null;
    listingTitle: string | null;
    provider: OrgName | null;
    authorizationNumber: string | null;
    pricingModel: string;
    priceFen: number;
    capFen: number;
    ratio: number;
    above: boolean;
    trades: TradeFigures;
  }[];
  repeatedPairs: {
    buyer: OrgName;
    provider: OrgName;
    trades: TradeFigures;
    listings: number;
    firstAt: string;
    lastAt: string;
    /** The provider also sold to the buyer's organisation's counterpart the other way round. */
    reciprocal: boolean;
  }[];
}
