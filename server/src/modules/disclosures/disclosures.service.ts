import { now as clockNow } from '../../platform/clock';
import { orgNamesByIds } from '../accounts/accounts.service';
import { effectiveStatus } from '../authorizations/authorization.policy';
import { authorizationsOverlapping } from '../authorizations/authorizations.service';
import { resourcesByIds } from '../resources/resources.service';
import { tradeTotalsByAuthorization } from '../ledger/ledger.service';
import { listingsDisclosedBefore } from '../listings/listings.service';

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
  const auths = await authorizationsOverlapping(start, end);
  const authIds = auths.map((a) => a._id);
  const [orgs, resources, listings, trades] = await Promise.all([
    orgNamesByIds([...new Set(auths.map((a) => String(a.operatorOrgId)))]),
    resourcesByIds([...new Set(auths.flatMap((a) => a.resourceIds.map(String)))], ['registrationNumber', 'name']),
    listingsDisclosedBefore(authIds, end),
    tradeTotalsByAuthorization(authIds.map(String), year),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
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
