import mongoose from 'mongoose';

/**
 * Which engine the platform talks to, asked once per client with `buildInfo`:
 * - `mongodb`: a real MongoDB. Conditional updates are atomic and declared indexes serve filters
 *   and sorts, so the seam uses them directly.
 * - `ferretdb`: FerretDB v1 (the embedded default). Conditional updates are an unlocked
 *   read-modify-write (two racing `findOneAndUpdate({_id, state})` can both win, concurrent `$inc`s
 *   are lost) and only a filter that is exactly `{_id}` is handed to its storage; everything else
 *   decodes the whole collection. The seam then keeps to `_id` reads and writes.
 *
 * This file and its siblings are the only code that knows the difference.
 */
export type Engine = 'mongodb' | 'ferretdb';

const known = new WeakMap<object, Promise<Engine>>();

function currentClient(): object {
  return mongoose.connection.getClient();
}

export function engineOf(client: object = currentClient()): Promise<Engine> {
  let e = known.get(client);
  if (!e) {
    e = (async () => {
      const info = (await mongoose.connection.db!.admin().command({ buildInfo: 1 })) as Record<string, unknown>;
      return 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb';
    })();
    e.catch(() => known.delete(client));
    known.set(client, e);
  }
  return e;
}

/**
 * True when a filter beyond `{_id}`, a sort or a count is served by declared indexes and a
 * conditional update is atomic (MongoDB); false when only `_id` access is cheap and safe (FerretDB).
 */
export async function hasIndexedQueries(): Promise<boolean> {
  return (await engineOf()) === 'mongodb';
}
