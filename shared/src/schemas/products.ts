import { z } from 'zod';
import { ObjectIdString } from './common';

/** POST /watchlist: keep a listed product on the buyer's watch list. */
export const WatchBody = z.strictObject({ listingId: ObjectIdString });
export type WatchBody = z.infer<typeof WatchBody>;
