import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { closeEngine } from '../../server/src/modules/sandbox/engine';
import { SandboxQueryModel } from '../../server/src/modules/sandbox/sandbox-query.model';
import type { Principal } from '../../server/src/platform/http/auth';
import { seedSandboxProducts } from '../../seeds/sandbox';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';

/*
 * The demo world's sandbox products (seeds/sandbox.ts), laid down through the real services on a
 * fresh database with stand-ins for the demo organisations: they pass the exchange's review, are
 * bought, and their example queries run, except the one meant to be refused.
 */
const t = useTestApp();

afterAll(async () => {
  await closeEngine();
});

const asPrincipal = (a: Actor): Principal => ({
  id: a.user.id,
  role: a.user.role as Principal['role'],
  orgId: a.org.id,
  email: a.user.email,
});

describe('sandbox demo products', () => {
  it('when the sandbox seed runs, then two important sandbox-only products are listed, bought and queried', async () => {
    const roles = {
      authority: 'authority',
      hndata: 'provider',
      zztraffic: 'provider',
      insurer: 'buyer',
      logistics: 'buyer',
    } as const;
    const actors = new Map<string, Principal>();
    for (const [key, role] of Object.entries(roles)) actors.set(key, asPrincipal(await makeActor(t.config, role)));
    const exchange = asPrincipal(await makeActor(t.config, 'exchange'));
    const orderIds = await seedSandboxProducts({
      config: t.config,
      actor: (key) => actors.get(key)!,
      reviewer: exchange,
      clearing: exchange,
    });
    expect(orderIds).toHaveLength(2);
    const listed = await ListingModel.find({ deliveryMode: 'sandbox', status: 'listed' }).lean();
    expect(listed).toHaveLength(2);
    for (const l of listed) expect(l.grade).toBe('important');
    for (const orderId of orderIds) {
      const queries = await SandboxQueryModel.find({ orderId }).sort({ at: 1 }).lean();
      expect(queries).toHaveLength(4);
      expect(queries.slice(0, 3).every((q) => q.outcome === 'ran' || q.outcome === 'suppressed')).toBe(true);
      expect(queries[3]).toMatchObject({ outcome: 'refused', rule: 'sensitive-field' });
    }
  }, 120_000);
});
