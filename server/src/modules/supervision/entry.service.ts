import { AppError, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { get as getAuthorization } from '../authorizations/authorizations.service';
import { getResource } from '../resources/resources.service';
import { entriesInSeqOrder } from '../ledger/ledger.scan';
import { get as getListing } from '../listings/listings.query';
import { getOrder } from '../trade/orders.service';
import { lookupOrgs } from '../accounts/accounts.service';

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AppError && (err.status === 404 || err.status === 403)) return null;
    throw err;
  }
}

/**
 * One ledger entry with what it refers to, for the regulator's drill-down: its organisations by name
 * and credit code, and the order, listing, resource and authorization it names, each read through
 * its own module with the caller's rights (a record the caller may not read is null).
 */
export async function ledgerEntryDetail(p: Principal, seq: number) {
  let entry = null;
  for await (const batch of entriesInSeqOrder(seq, seq)) entry = batch.find((e) => e.seq === seq) ?? entry;
  if (!entry) throw notFound('Ledger entry');
  const orgIds = Array.isArray(entry.orgIds) ? entry.orgIds.filter((id) => /^[a-f0-9]{24}$/i.test(id)) : [];
  const [orgs, order, listing, resource, authorization] = await Promise.all([
    orgIds.length ? lookupOrgs({ ids: orgIds.join(',') }) : { items: [] },
    entry.orderId ? orNull(() => getOrder(p, entry.orderId!)) : null,
    entry.listingId ? orNull(() => getListing(p, entry.listingId!)) : null,
    entry.resourceId ? orNull(() => getResource(p, entry.resourceId!)) : null,
    entry.authorizationId ? orNull(() => getAuthorization(p, entry.authorizationId!)) : null,
  ]);
  return { entry, orgs: orgs.items, order, listing, resource, authorization };
}
