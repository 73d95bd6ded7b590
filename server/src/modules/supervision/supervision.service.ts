import type { OrgName, SupervisionQuery, SupervisionReport, TradeFigures } from '@zdec/shared';
import { now as clockNow } from '../../platform/clock';
import { unprocessable } from '../../platform/errors';
import { findOrgByIdOrCreditCode, orgNamesByIds, searchOrgs } from '../accounts/accounts.service';
import { authorizationsByIds } from '../authorizations/authorizations.service';
import { listingsByIds } from '../listings/listings.service';
import { tradeFacts, type TradeFact } from './trade-facts';

/*
 * 监管视图. Every count and amount here is a sum over the ledger's trade entries (trade.settled,
 * trade.refunded) up to the head named in `basis`; nothing is read from orders. The ledger entry
 * carries the listing, the orgs, the grade and the month; what it does not carry is looked up by
 * the ids it names, and only to label or group: a product's domain, its provider (which of the
 * entry's two organisations sold), its price and its authorization's fee cap, and organisation names.
 */

/** What the views need of a listing; listed products keep provider, domains, price and authorization. */
interface ListingDims {
  code: string | null;
  title: string;
  providerOrgId: string;
  domain: string;
  authorizationId: string | null;
  pricing: { model: string; priceFen: number };
}

const listingDims = new Map<string, ListingDims>();

/**
 * The listing facts of the trades, cached per process: once a product is listed (and so can be
 * traded), its provider, sources and price no longer change (edits are for drafts and rejected ones).
 * The primary domain is the first of its sources' domains, so that the domain view adds up to the total.
 */
async function dimsOf(ids: string[]): Promise<Map<string, ListingDims>> {
  const missing = [...new Set(ids)].filter((id) => !listingDims.has(id) && /^[a-f0-9]{24}$/i.test(id));
  if (missing.length) {
    const docs = await listingsByIds(missing, [
      'code',
      'title',
      'providerOrgId',
      'domains',
      'authorizationId',
      'pricing',
    ]);
    for (const l of docs) {
      listingDims.set(String(l._id), {
        code: l.code ?? null,
        title: l.title,
        providerOrgId: String(l.providerOrgId),
        domain: l.domains?.[0] ?? 'other',
        authorizationId: l.authorizationId ? String(l.authorizationId) : null,
        pricing: { model: l.pricing.model, priceFen: l.pricing.priceFen },
      });
    }
  }
  return listingDims;
}

async function orgNames(ids: Iterable<string>): Promise<Map<string, OrgName>> {
  const wanted = [...new Set(ids)].filter((id) => /^[a-f0-9]{24}$/i.test(id));
  const docs = wanted.length ? await orgNamesByIds(wanted) : [];
  const byId = new Map<string, OrgName>(docs.map((o) => [o.id, o]));
  for (const id of ids) if (!byId.has(id)) byId.set(id, { id, name: null, creditCode: null });
  return byId;
}

/** The organisation an `org` filter names: by id or by unified social credit code; 422 when unknown. */
export async function resolveOrg(ref: string): Promise<{ id: string; name: string; creditCode: string }> {
  const o = await findOrgByIdOrCreditCode(ref);
  if (!o) {
    throw unprocessable('unknown-organisation', `No organisation has the id or credit code ${ref}`, [
      { path: 'query.org', message: 'no such organisation' },
    ]);
  }
  return o;
}

const zero = (): TradeFigures => ({ settledCount: 0, settledFen: 0, refundedCount: 0, refundedFen: 0, volumeFen: 0 });

function addTo(f: TradeFigures, t: TradeFact): void {
  if (t.type === 'trade.settled') {
    f.settledCount++;
    f.settledFen += t.amountFen;
  } else {
    f.refundedCount++;
    f.refundedFen += -t.amountFen;
  }
  f.volumeFen += t.amountFen; // refunds are negative in the ledger
}

function group<K>(trades: TradeFact[], key: (t: TradeFact) => K | null): Map<K, TradeFigures> {
  const m = new Map<K, TradeFigures>();
  for (const t of trades) {
    const k = key(t);
    if (k === null) continue;
    let f = m.get(k);
    if (!f) m.set(k, (f = zero()));
    addTo(f, t);
  }
  return m;
}

const byVolume = (a: { volumeFen: number }, b: { volumeFen: number }) => b.volumeFen - a.volumeFen;

/** The seller and buyer of a trade entry: the listing's provider, and the entry's other organisation. */
function parties(t: TradeFact, dims: Map<string, ListingDims>): { provider: string | null; buyer: string | null } {
  const d = t.listingId ? dims.get(t.listingId) : undefined;
  if (!d) return { provider: null, buyer: null };
  const buyer = t.orgIds.find((o) => o !== d.providerOrgId) ?? null;
  return { provider: d.providerOrgId, buyer };
}

/**
 * The supervision views over the trade entries in `[from, to)` (and involving `org`, by id or credit
 * code): volume and count by month, primary domain, organisation and grade; the largest settled
 * trades; products priced near or above their authorization's fee cap, with their trades; and pairs
 * of organisations that traded with each other at least `minRepeats` times (possible wash trading).
 */
export async function supervisionReport(q: SupervisionQuery): Promise<SupervisionReport> {
  if (q.from && q.to && q.to <= q.from) {
    throw unprocessable('validation', 'The range is empty', [{ path: 'query.to', message: 'must be after from' }]);
  }
  const org = q.org ? await resolveOrg(q.org) : null;
  const { head, trades: all } = await tradeFacts();
  const trades = all.filter(
    (t) => (!q.from || t.at >= q.from) && (!q.to || t.at < q.to) && (!org || t.orgIds.includes(org.id)),
  );
  const dims = await dimsOf(trades.flatMap((t) => (t.listingId ? [t.listingId] : [])));
  const partyOf = new Map(trades.map((t) => [t.seq, parties(t, dims)]));

  const totals = zero();
  for (const t of trades) addTo(totals, t);

  const byMonth = [...group(trades, (t) => t.month)]
    .map(([month, f]) => ({ month, ...f }))
    .sort((a, b) => (a.month < b.month ? -1 : 1));
  const byDomain = [...group(trades, (t) => (t.listingId ? (dims.get(t.listingId)?.domain ?? 'other') : 'other'))]
    .map(([domain, f]) => ({ domain, ...f }))
    .sort(byVolume);
  const byGrade = [...group(trades, (t) => t.grade ?? 'general')].map(([grade, f]) => ({ grade, ...f })).sort(byVolume);

  const bought = group(trades, (t) => partyOf.get(t.seq)!.buyer);
  const sold = group(trades, (t) => partyOf.get(t.seq)!.provider);

  const largest = trades
    .filter((t) => t.type === 'trade.settled')
    .sort((a, b) => b.amountFen - a.amountFen || a.seq - b.seq)
    .slice(0, q.top);

  // Pairs: buyer → provider, the direction the money went.
  const pairKey = (t: TradeFact) => {
    const p = partyOf.get(t.seq)!;
    return p.buyer && p.provider ? `${p.buyer}>${p.provider}` : null;
  };
  const pairs = group(trades, pairKey);
  const pairTrades = new Map<string, TradeFact[]>();
  for (const t of trades) {
    const k = pairKey(t);
    if (!k) continue;
    const list = pairTrades.get(k);
    if (list) list.push(t);
    else pairTrades.set(k, [t]);
  }
  const repeated = [...pairs].filter(([, f]) => f.settledCount >= q.minRepeats);

  // Fee caps: the listing's price against its authorization's cap for its pricing model.
  const tradedListings = [...new Set(trades.flatMap((t) => (t.listingId ? [t.listingId] : [])))];
  const authIds = [...new Set(tradedListings.map((id) => dims.get(id)?.authorizationId).filter(Boolean))] as string[];
  const auths = authIds.length ? await authorizationsByIds(authIds, ['number', 'feeCaps']) : [];
  const authById = new Map(auths.map((a) => [String(a._id), a]));
  const byListing = group(trades, (t) => t.listingId);
  const nearCapRows = tradedListings.flatMap((id) => {
    const d = dims.get(id);
    const a = d?.authorizationId ? authById.get(d.authorizationId) : undefined;
    const cap = a?.feeCaps?.[d!.pricing.model as 'one_time' | 'subscription' | 'per_call'];
    if (!d || !a || cap === undefined || cap === null) return [];
    const ratio = cap === 0 ? (d.pricing.priceFen > 0 ? Infinity : 1) : d.pricing.priceFen / cap;
    if (ratio < q.nearCapRatio) return [];
    return [{ id, d, a, cap, ratio }];
  });

  const names = await orgNames([
    ...bought.keys(),
    ...sold.keys(),
    ...(org ? [org.id] : []),
    ...largest.flatMap((t) => t.orgIds),
    ...nearCapRows.map((r) => r.d.providerOrgId),
  ]);
  const name = (id: string | null) => (id ? (names.get(id) ?? { id, name: null, creditCode: null }) : null);

  const orgIds = new Set([...bought.keys(), ...sold.keys()]);
  const byOrg = [...orgIds]
    .map((id) => ({ ...name(id)!, bought: bought.get(id) ?? zero(), sold: sold.get(id) ?? zero() }))
    .sort((a, b) => b.bought.volumeFen + b.sold.volumeFen - (a.bought.volumeFen + a.sold.volumeFen));

  return {
    basis: {
      source: 'ledger',
      headSeq: head.seq,
      headHash: head.seq ? head.hash : null,
      tradeEntries: trades.length,
      from: q.from?.toISOString() ?? null,
      to: q.to?.toISOString() ?? null,
      org,
      computedAt: clockNow().toISOString(),
    },
    totals,
    byMonth,
    byDomain,
    byGrade,
    byOrg,
    largest: largest.map((t) => {
      const p = partyOf.get(t.seq)!;
      const d = t.listingId ? dims.get(t.listingId) : undefined;
      return {
        seq: t.seq,
        at: t.at.toISOString(),
        listingCode: t.listingCode,
        listingTitle: d?.title ?? null,
        orderId: t.orderId,
        amountFen: t.amountFen,
        buyer: name(p.buyer),
        provider: name(p.provider),
      };
    }),
    nearCap: nearCapRows
      .map(({ id, d, a, cap, ratio }) => ({
        listingId: id,
        listingCode: d.code,
        listingTitle: d.title,
        provider: name(d.providerOrgId),
        authorizationNumber: a.number,
        pricingModel: d.pricing.model,
        priceFen: d.pricing.priceFen,
        capFen: cap,
        ratio: Number.isFinite(ratio) ? Math.round(ratio * 10_000) / 10_000 : 999,
        above: d.pricing.priceFen > cap,
        trades: byListing.get(id) ?? zero(),
      }))
      .sort((x, y) => y.ratio - x.ratio || y.trades.volumeFen - x.trades.volumeFen),
    repeatedPairs: repeated
      .map(([key, f]) => {
        const [buyer, provider] = key.split('>') as [string, string];
        const ts = pairTrades.get(key)!;
        return {
          buyer: name(buyer)!,
          provider: name(provider)!,
          trades: f,
          listings: new Set(ts.map((t) => t.listingId)).size,
          firstAt: ts[0]!.at.toISOString(),
          lastAt: ts[ts.length - 1]!.at.toISOString(),
          reciprocal: pairs.has(`${provider}>${buyer}`),
        };
      })
      .sort((a, b) => b.trades.settledCount - a.trades.settledCount || b.trades.volumeFen - a.trades.volumeFen),
  };
}

/**
 * Organisations whose name contains `q` or whose credit code starts with it, for the filters'
 * suggestions (names and credit codes are public registry facts).
 */
export async function suggestOrgs(q: string): Promise<{ items: { id: string; name: string; creditCode: string }[] }> {
  return { items: await searchOrgs(q) };
}
