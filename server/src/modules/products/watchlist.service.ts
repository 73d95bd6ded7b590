import type { Page, PageQuery } from '@zdec/shared';
import { AppError, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { get as getListing } from '../listings/listings.query';
import { watchId, WatchModel } from './watch.model';
import { isDuplicateKey } from '../../platform/db';

/** How many products one buyer may watch: a watch list, not a second catalogue. */
export const WATCH_LIMIT = 200;

async function listingOrNull(p: Principal, id: string) {
  try {
    return await getListing(p, id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  }
}

/**
 * Puts a listed product on the buyer's watch list. Watching it again changes nothing (`created`
 * false). Only products the buyer can see (listed ones) can be watched.
 */
export async function watch(p: Principal, listingId: string): Promise<{ created: boolean; listingId: string }> {
  const listing = await listingOrNull(p, listingId);
  if (!listing || listing.status !== 'listed') throw notFound('Listing');
  if ((await WatchModel.countDocuments({ userId: p.id })) >= WATCH_LIMIT) {
    throw new AppError('watchlist-full', 409, `A watch list holds at most ${WATCH_LIMIT} products`);
  }
  try {
    await WatchModel.create({ _id: watchId(p.id, listingId), userId: p.id, listingId });
    return { created: true, listingId };
  } catch (err) {
    if (isDuplicateKey(err)) return { created: false, listingId };
    throw err;
  }
}

/** Takes a product off the watch list; 404 when it was not on it. */
export async function unwatch(p: Principal, listingId: string): Promise<void> {
  const res = await WatchModel.deleteOne({ _id: watchId(p.id, listingId) });
  if (res.deletedCount === 0) throw notFound('Watched product');
}

/**
 * The buyer's watch list, newest first, each with the product as the buyer sees it now: a product
 * that was delisted or suspended since stays on the list with `listing: null` (and `available`
 * false), so the buyer learns that it went.
 */
export async function watchlist(p: Principal, q: PageQuery) {
  const all = await WatchModel.find({ userId: p.id }).lean();
  all.sort((a, b) => b.at.getTime() - a.at.getTime() || (a._id < b._id ? -1 : 1));
  const slice = all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const items = await Promise.all(
    slice.map(async (w) => {
      const listing = await listingOrNull(p, w.listingId);
      return {
        listingId: w.listingId,
        at: w.at,
        available: !!listing && listing.status === 'listed',
        listing,
      };
    }),
  );
  return { items, total: all.length, page: q.page, pageSize: q.pageSize } satisfies Page<unknown>;
}
