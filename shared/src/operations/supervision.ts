import { z } from 'zod';
import { PRICING_MODELS } from '../constants';
import { OrgSuggestQuery, SupervisionExportQuery, SupervisionQuery } from '../schemas/supervision';
import { OrgReply } from './accounts';
import { AuthorizationDetailView } from './authorizations';
import { operation } from './define';
import { LedgerEntryFields, ledgerReaders, Sha256Hex } from './ledger';
import { ListingDetailView } from './listings';
import { ResourceView } from './resources';
import { OrderDetailView } from './trade';
import { Id, Timestamp } from './views';

const EntrySeqParams = z.strictObject({ seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

const Count = z.number().int().min(0);
const Fen = z.number().int();

/** A group's figures: settled trades, refunds, and the net volume (settled minus refunded). */
const TradeFiguresView = z.object({
  settledCount: Count,
  settledFen: Fen,
  refundedCount: Count,
  refundedFen: Fen,
  volumeFen: Fen,
});

const OrgNameView = z.object({ id: Id, name: z.string().nullable(), creditCode: z.string().nullable() });

/** 监管视图: figures derived from the ledger's trade entries, with the basis they were computed on. */
export const SupervisionReportView = z.object({
  basis: z.object({
    source: z.literal('ledger'),
    headSeq: z.number().int().min(0),
    headHash: Sha256Hex.nullable(),
    tradeEntries: Count,
    from: Timestamp.nullable(),
    to: Timestamp.nullable(),
    org: OrgReply.nullable(),
    computedAt: Timestamp,
  }),
  totals: TradeFiguresView,
  byMonth: z.array(TradeFiguresView.extend({ month: z.string() })),
  byDomain: z.array(TradeFiguresView.extend({ domain: z.string() })),
  byGrade: z.array(TradeFiguresView.extend({ grade: z.string() })),
  byOrg: z.array(OrgNameView.extend({ bought: TradeFiguresView, sold: TradeFiguresView })),
  largest: z.array(
    z.object({
      seq: z.number().int().min(1),
      at: Timestamp,
      listingCode: z.string().nullable(),
      listingTitle: z.string().nullable(),
      orderId: z.string().nullable(),
      amountFen: Fen,
      buyer: OrgNameView.nullable(),
      provider: OrgNameView.nullable(),
    }),
  ),
  nearCap: z.array(
    z.object({
      listingId: Id,
      listingCode: z.string().nullable(),
      listingTitle: z.string().nullable(),
      provider: OrgNameView.nullable(),
      authorizationNumber: z.string().nullable(),
      pricingModel: z.enum(PRICING_MODELS),
      priceFen: Fen,
      capFen: Fen,
      ratio: z.number(),
      above: z.boolean(),
      trades: TradeFiguresView,
    }),
  ),
  repeatedPairs: z.array(
    z.object({
      buyer: OrgNameView,
      provider: OrgNameView,
      trades: TradeFiguresView,
      listings: Count,
      firstAt: Timestamp,
      lastAt: Timestamp,
      reciprocal: z.boolean(),
    }),
  ),
});

/** A ledger entry with its organisations and the records it names, as the caller may read them (else null). */
export const LedgerEntryDetailView = z.object({
  entry: LedgerEntryFields,
  orgs: z.array(OrgReply),
  order: OrderDetailView.nullable(),
  listing: ListingDetailView.nullable(),
  resource: ResourceView.nullable(),
  authorization: AuthorizationDetailView.nullable(),
});

/** 监管视图 for regulators and exchange staff: figures from the ledger, their exports, and drill-downs. Nothing here writes. */
export const supervisionOperations = {
  report: operation({
    method: 'get',
    path: '/supervision/report',
    tag: 'supervision',
    summary:
      'Supervision views from the ledger: by month, domain, organisation, grade; largest trades; near fee caps; repeated pairs',
    access: ledgerReaders,
    query: SupervisionQuery,
    reply: { json: SupervisionReportView },
  }),
  export: operation({
    method: 'get',
    path: '/supervision/export',
    tag: 'supervision',
    summary: 'One supervision view as streamed CSV (UTF-8 with BOM) or XLSX',
    access: ledgerReaders,
    query: SupervisionExportQuery,
    reply: {
      produces: 'text/csv',
      description:
        'The view as CSV, or as XLSX (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) with format=xlsx; X-Export-Rows and X-Ledger-Head-Seq name its rows and the ledger head',
    },
  }),
  orgs: operation({
    method: 'get',
    path: '/supervision/orgs',
    tag: 'supervision',
    summary: 'Organisation suggestions by name or credit code prefix',
    access: ledgerReaders,
    query: OrgSuggestQuery,
    reply: { json: z.object({ items: z.array(OrgReply) }) },
  }),
  entry: operation({
    method: 'get',
    path: '/supervision/entries/{seq}',
    tag: 'supervision',
    summary: 'One ledger entry with its organisations and the order, listing, resource and authorization it names',
    access: ledgerReaders,
    params: EntrySeqParams,
    reply: { json: LedgerEntryDetailView },
  }),
};
