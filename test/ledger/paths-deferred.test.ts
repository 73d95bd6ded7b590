import { Types } from 'mongoose';
import { ledgerFilter, listEntries } from '../../server/src/modules/ledger/audit.service';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { deferPathRecording, pageByPaths, pathsIdle } from '../../server/src/modules/ledger/ledger.paths';
import { append, headRef } from '../../server/src/modules/ledger/ledger.service';
import { hasIndexedQueries } from '../../server/src/platform/db';
import { connectTestDb, dropTestDb } from '../helpers/app';

/*
 * The demo-world seeder appends its whole history with path recording deferred (seeds/seed.ts):
 * filtered ledger pages are still right (by the query) and are caught up afterwards.
 */
beforeAll(async () => {
  await connectTestDb();
});
afterAll(async () => {
  await pathsIdle();
  await dropTestDb();
});

it('when the paths were not recorded while appending, then a filtered page is the query’s, and the paths catch up after it', async () => {
  deferPathRecording();
  const org = new Types.ObjectId().toHexString();
  const start = new Date('2026-03-01T00:00:00Z').getTime();
  for (let i = 0; i < 80; i++) {
    await append({
      type: i % 2 ? 'trade.settled' : 'listing.listed',
      ref: `deferred-${i}`,
      orgIds: [i % 3 ? org : new Types.ObjectId().toHexString()],
      amountFen: i % 2 ? 100 * i : 0,
      at: new Date(start + i * 60_000),
    });
  }
  const f = { type: 'trade.settled' as const };
  await pathsIdle();
  const onFerret = !(await hasIndexedQueries());
  if (onFerret) expect(await pageByPaths(f, 1, 10, headRef)).toBeNull(); // nothing recorded yet (this read starts the catch-up)
  const want = (await LedgerEntryModel.find(ledgerFilter(f)).sort({ seq: -1 }).limit(10).lean()).map((d) => d.seq);
  const first = await listEntries({ ...f, page: 1, pageSize: 10 });
  expect(first.items.map((e) => e.seq)).toEqual(want);
  expect(first.total).toBe(40);
  await pathsIdle(); // the background catch-up the first read started
  if (onFerret) expect(await pageByPaths(f, 1, 10, headRef)).not.toBeNull();
  const again = await listEntries({ ...f, page: 1, pageSize: 10 });
  expect(again.items.map((e) => e.seq)).toEqual(want);
});
