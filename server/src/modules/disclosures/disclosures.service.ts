import type { Types } from 'mongoose';
import { now as clockNow } from '../../platform/clock';
import { OrgModel } from '../accounts/org.model';
import { AuthorizationModel, type Authorization } from '../authorizations/authorization.model';
import { effectiveStatus } from '../authorizations/authorization.policy';
import { ResourceModel } from '../catalog/resource.model';
import { LedgerEntryModel } from '../ledger/ledger.model';
import { ListingModel } from '../listings/listing.model';

type AuthorizationRecord = Authorization & { _id: Types.ObjectId };

/**
 * Count and sum of `trade.settled` / `trade.refunded` per authorization in a year, keyed
 * `<authorizationId>|<type>`. One accumulator per `$group`: the embedded engine computes only the first
 * `$sum` of a group stage correctly (the others come back 0), so count and sum are two stages.
 */
async function tradeTotals(
  authorizationIds: string[],
  year: number,
): Promise<Map<string, { count: number; sum: number }>> {
  const match = {
    $match: {
      type: { $in: ['trade.settled', 'trade.refunded'] },
      authorizationId: { $in: authorizationIds },
      month: { $gte: `${year}-01`, $lte: `${year}-12` },
    },
  };
  const key = { a: '$authorizationId', t: '$type' };
  type Row = { _id: { a: string; t: string }; v: number };
  const [counts, sums] = await Promise.all([
    LedgerEntryModel.aggregate<Row>([match, { $group: { _id: key, v: { $sum: 1 } } }]),
    LedgerEntryModel.aggregate<Row>([match, { $group: { _id: key, v: { $sum: '$amountFen' } } }]),
  ]);
  const out = new Map<string, { count: number; sum: number }>();
  for (const r of counts) out.set(`${r._id.a}|${r._id.t}`, { count: r.v, sum: 0 });
  for (const r of sums) {
    const k = `${r._id.a}|${r._id.t}`;
    out.set(k, { count: out.get(k)?.count ?? 0, sum: r.v });
  }
  return out;
}

/** Start of 1 January of `year` in Asia/Shanghai (UTC+8, no daylight saving). */
function shanghaiYearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 8 * 3600_000);
}

/**
 * 年度披露: for every authorization whose term overlaps `year` (Asia/Shanghai): the operator, the resources, the fee caps, the products listed under it by the end of
 * the year, and the orders and fees of that year. Orders and fees come from the LEDGER
 * (`trade.settled` / `trade.refunded` entries carrying `authorizationId`, selected by their
 * Shanghai `month`), so the disclosure is exactly what was charged: `amountFen` is the gross of
 * settled orders, `refundedFen` the refunds as a positive number, `netFen` the difference.
 * `status` is the authorization's effective status today.
 */
export async function disclosure(year: number) {
  const start = shanghaiYearStart(year);
  const end = shanghaiYearStart(year + 1);
  const now = clockNow();
  const auths = await AuthorizationModel.find({ validFrom: { $lt: end }, validTo: { $gte: start } }, { outbox: 0 })
    .sort({ number: 1 })
    .lean<AuthorizationRecord[]>();
  const authIds = auths.map((a) => a._id);
  const [orgs, resources, listings, trades] = await Promise.all([
    OrgModel.find(
      { _id: { $in: [...new Set(auths.map((a) => String(a.operatorOrgId)))] } },
      { name: 1, creditCode: 1 },
    ).lean(),
    ResourceModel.find(
      { _id: { $in: [...new Set(auths.flatMap((a) => a.resourceIds.map(String)))] } },
      { registrationNumber: 1, name: 1 },
    ).lean(),
    ListingModel.find(
      { authorizationId: { $in: authIds }, code: { $exists: true }, listedAt: { $lt: end } },
      { authorizationId: 1, code: 1, title: 1, pricing: 1, status: 1 },
    )
      .sort({ code: 1 })
      .lean(),
    tradeTotals(authIds.map(String), year),
  ]);
  const orgById = new Map(orgs.map((o) => [String(o._id), o]));
  const resById = new Map(resources.map((r) => [String(r._id), r]));
  const tradeBy = trades;

  return {
    year,
    items: auths.map((a) => {
      const id = String(a._id);
      const operator = orgById.get(String(a.operatorOrgId));
      const settled = tradeBy.get(`${id}|trade.settled`);
      const refunded = tradeBy.get(`${id}|trade.refunded`);
      const amountFen = settled?.sum ?? 0;
      const refundedFen = Math.abs(refunded?.sum ?? 0);
      return {
        authorization: {
          id,
          number: a.number,
          purpose: a.purpose,
          validFrom: a.validFrom,
          validTo: a.validTo,
          status: effectiveStatus(a, now),
        },
        operator: { name: operator?.name ?? null, creditCode: operator?.creditCode ?? null },
        resources: a.resourceIds.map((rid) => {
          const r = resById.get(String(rid));
          return { registrationNumber: r?.registrationNumber ?? null, name: r?.name ?? null };
        }),
        feeCaps: {
          one_time: a.feeCaps?.one_time ?? null,
          subscription: a.feeCaps?.subscription ?? null,
          per_call: a.feeCaps?.per_call ?? null,
        },
        listings: listings
          .filter((l) => String(l.authorizationId) === id)
          .map((l) => ({ code: l.code, title: l.title, pricing: l.pricing, status: l.status })),
        orders: { count: settled?.count ?? 0, amountFen, refundedFen, netFen: amountFen - refundedFen },
      };
    }),
  };
}
