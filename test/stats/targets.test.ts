import type { LedgerType } from '@zdec/shared';
import { shanghaiMonth } from '../../server/src/modules/ledger/ledger.hash';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { targets } from '../../server/src/modules/stats/stats.service';
import { useTestApp } from '../helpers/app';
import { resetLedger } from '../ledger/fixtures';

const t = useTestApp({ TARGET_LISTINGS: '7', TARGET_VOLUME_FEN: '1000000', TARGET_DEADLINE: '2027-12-31' });

const event = (type: LedgerType, ref: string, at: string, amountFen = 0) =>
  append({ type, ref, amountFen, orgIds: ['org'], at: new Date(at) });

/** The worked example: months are Asia/Shanghai, so 30 June 16:30 UTC is already July. */
async function example(): Promise<void> {
  await event('resource.registered', 'r-1', '2026-02-05T02:00:00Z'); // the first ledger month: 2026-02
  await event('listing.listed', 'l-1', '2026-03-10T02:00:00Z');
  await event('trade.settled', 'o-1', '2026-03-20T02:00:00Z', 100_000);
  await event('listing.listed', 'l-2', '2026-06-30T16:30:00Z'); // 2026-07-01 00:30 in Shanghai
  await event('trade.settled', 'o-2', '2026-07-15T02:00:00Z', 250_000);
  await event('trade.refunded', 'o-1', '2026-08-03T02:00:00Z', -100_000);
  await event('listing.listed', 'l-3', '2026-09-09T02:00:00Z');
  await event('listing.listed', 'l-4', '2026-09-10T02:00:00Z');
  await event('listing.delisted', 'l-3:1', '2026-09-11T02:00:00Z'); // delisting does not undo a listing
  await event('authorization.granted', 'a-1', '2026-10-01T02:00:00Z');
  await event('listing.listed', 'l-5', '2026-10-20T02:00:00Z');
  await event('trade.settled', 'o-3', '2026-11-02T02:00:00Z', 50_000);
}

beforeEach(async () => {
  await resetLedger();
  await example();
});

const NOW = new Date('2026-11-15T04:00:00Z');

describe('targets', () => {
  it('when computed from the example ledger, then every figure matches the hand computation', async () => {
    expect(await targets(t.config, NOW)).toEqual({
      asOf: '2026-11-15T04:00:00.000Z',
      listings: { cumulative: 5, target: 7, progress: 0.7143 }, // 5 / 7
      volume: { cumulativeFen: 300_000, targetFen: 1_000_000, progress: 0.3 }, // 100k + 250k − 100k + 50k
      deadline: '2027-12-31',
      monthly: [
        { month: '2026-02', listed: 0, volumeFen: 0 },
        { month: '2026-03', listed: 1, volumeFen: 100_000 },
        { month: '2026-04', listed: 0, volumeFen: 0 },
        { month: '2026-05', listed: 0, volumeFen: 0 },
        { month: '2026-06', listed: 0, volumeFen: 0 },
        { month: '2026-07', listed: 1, volumeFen: 250_000 },
        { month: '2026-08', listed: 0, volumeFen: -100_000 },
        { month: '2026-09', listed: 2, volumeFen: 0 },
        { month: '2026-10', listed: 1, volumeFen: 0 },
        { month: '2026-11', listed: 0, volumeFen: 50_000 },
      ],
      projection: {
        // June..November: 4 listings and 200,000 fen in 6 months; 13 months (Dec 2026..Dec 2027) to go
        window: { from: '2026-06', to: '2026-11', months: 6 },
        listingsAtDeadline: 14, // 5 + 4/6 × 13 = 13.67
        volumeFenAtDeadline: 733_333, // 300,000 + 200,000/6 × 13 = 733,333.33
        onTrack: { listings: true, volume: false },
      },
    });
  });

  it('when new entries arrive, then the next answer includes them (a few, and many)', async () => {
    await targets(t.config, NOW);
    await event('trade.settled', 'o-4', '2026-11-03T02:00:00Z', 10_000);
    let r = await targets(t.config, NOW);
    expect(r.volume.cumulativeFen).toBe(310_000);
    expect(r.monthly.at(-1)).toEqual({ month: '2026-11', listed: 0, volumeFen: 60_000 });
    for (let i = 0; i < 30; i++) await event('listing.listed', `bulk-${i}`, '2026-11-04T02:00:00Z');
    r = await targets(t.config, NOW);
    expect(r.listings).toEqual({ cumulative: 35, target: 7, progress: 5 });
    expect(r.monthly.at(-1)).toEqual({ month: '2026-11', listed: 30, volumeFen: 60_000 });
  });

  it('when the ledger is younger than six months, then the window says so', async () => {
    await resetLedger();
    await event('listing.listed', 'l-1', '2026-10-10T02:00:00Z');
    await event('listing.listed', 'l-2', '2026-11-10T02:00:00Z');
    await event('trade.settled', 'o-1', '2026-11-11T02:00:00Z', 1_000);
    const r = await targets(t.config, NOW);
    expect(r.monthly.map((m) => m.month)).toEqual(['2026-10', '2026-11']);
    expect(r.projection).toEqual({
      window: { from: '2026-10', to: '2026-11', months: 2 },
      listingsAtDeadline: 2 + 13, // one a month
      volumeFenAtDeadline: 1_000 + 500 * 13,
      onTrack: { listings: true, volume: false },
    });
  });

  it('when the deadline has passed, or the ledger is empty, then the projection is what there is', async () => {
    const late = await targets(t.config, new Date('2028-01-10T00:00:00Z'));
    expect(late.monthly.at(-1)!.month).toBe('2028-01');
    expect(late.projection).toMatchObject({ listingsAtDeadline: 5, volumeFenAtDeadline: 300_000 });
    await resetLedger();
    const empty = await targets(t.config, NOW);
    expect(empty).toMatchObject({
      listings: { cumulative: 0, progress: 0 },
      volume: { cumulativeFen: 0, progress: 0 },
      monthly: [{ month: '2026-11', listed: 0, volumeFen: 0 }],
      projection: { window: { from: '2026-11', to: '2026-11', months: 1 }, listingsAtDeadline: 0 },
    });
  });
});

describe('GET /stats/targets', () => {
  it('when anyone asks, without a token, then the figures come from the ledger with the configured targets', async () => {
    const res = await t.http.get('/api/v1/stats/targets').expect(200);
    expect(res.body).toMatchObject({
      listings: { cumulative: 5, target: 7, progress: 0.7143 },
      volume: { cumulativeFen: 300_000, targetFen: 1_000_000, progress: 0.3 },
      deadline: '2027-12-31',
    });
    expect(Math.abs(Date.parse(res.body.asOf) - Date.now())).toBeLessThan(60_000);
    expect(res.body.monthly[0]).toEqual({ month: '2026-02', listed: 0, volumeFen: 0 });
    expect(res.body.monthly[5]).toEqual({ month: '2026-07', listed: 1, volumeFen: 250_000 });
    expect(res.body.projection.window.to).toBe(shanghaiMonth(new Date()));
  });
});
