import { Types } from 'mongoose';
import { LEDGER_TYPES, type LedgerFilter } from '@zdec/shared';
import { hasIndexedQueries } from '../../server/src/platform/db';
import { ledgerFilter, listEntries } from '../../server/src/modules/ledger/audit.service';
import { LedgerEntryModel, LedgerHeadModel } from '../../server/src/modules/ledger/ledger.model';
import { pageByPaths, pathsIdle } from '../../server/src/modules/ledger/ledger.paths';
import { append, headRef } from '../../server/src/modules/ledger/ledger.service';
import { connectTestDb, dropTestDb } from '../helpers/app';
import { bulkLedger } from './fixtures';

const [orgA, orgB, orgC, nobody] = Array.from({ length: 4 }, () => new Types.ObjectId().toHexString()) as [
  string,
  string,
  string,
  string,
];
const PAGE = 7;
const BULK = 100; // more than a read records inline: the first filtered read queries and backfills
const minute = 60_000;
const start = new Date('2026-01-01T00:00:00Z').getTime();
let ats: number[] = []; // every entry's `at`, by seq - 1

beforeAll(async () => {
  await connectTestDb();
});
afterAll(async () => {
  await pathsIdle();
  await dropTestDb();
});

/** The query's answer for a page (what MongoDB's indexes serve, and what the paths must equal). */
async function byQuery(f: LedgerFilter, page: number) {
  const filter = ledgerFilter(f);
  const [docs, total] = await Promise.all([
    LedgerEntryModel.find(filter)
      .sort({ seq: -1 })
      .skip((page - 1) * PAGE)
      .limit(PAGE)
      .lean(),
    LedgerEntryModel.countDocuments(filter),
  ]);
  return { ids: docs.map((d) => String(d._id)), seqs: docs.map((d) => d.seq), total };
}

/** Every page 1..n+1 of `listEntries` equals the query's; returns how many pages the paths served. */
async function expectSameAsQuery(f: LedgerFilter): Promise<number> {
  let served = 0;
  const { total } = await byQuery(f, 1);
  for (let page = 1; page <= Math.ceil(total / PAGE) + 1; page++) {
    const want = await byQuery(f, page);
    const got = await listEntries({ ...f, page, pageSize: PAGE });
    expect({ f, page, ids: got.items.map((e) => e.id), total: got.total }).toEqual({
      f,
      page,
      ids: want.ids,
      total: want.total,
    });
    expect(got.items.map((e) => e.seq)).toEqual(want.seqs);
    if (await pageByPaths(f, page, PAGE, headRef)) served++;
  }
  return served;
}

const at = (seq: number) => new Date(ats[seq - 1]!);

function filters(): LedgerFilter[] {
  const head = ats.length;
  const mid = Math.floor(head / 2);
  return [
    ...LEDGER_TYPES.map((type) => ({ type })),
    { org: orgA },
    { org: orgB },
    { org: orgC },
    { org: nobody },
    { from: at(1) },
    { from: at(mid) }, // exactly on an entry's `at` (and on several: equal `at`s below)
    { to: at(mid) }, // exactly on one: that entry is out (`to` is exclusive)
    { from: at(10), to: at(mid) },
    { from: new Date(ats[BULK + 3]! - 1), to: new Date(ats[BULK + 3]! + 1) }, // the entries sharing one `at`
    { from: new Date(ats[20]! + 1), to: new Date(ats[21]! - 1) }, // between two entries: empty
    { from: new Date(ats[head - 1]! + 1) }, // beyond the head: empty
    { to: at(1) }, // before the first: empty
    { to: new Date(ats[head - 1]! + 1) }, // up to and with the head
  ];
}

describe('the audit list through access paths', () => {
  it('runs where only `_id` reads are cheap (else the query serves and there is nothing to compare)', async () => {
    expect(await hasIndexedQueries()).toBe(false);
  });

  it('when entries were written before the paths existed, then a filtered page is right at once and served by the paths once they caught up', async () => {
    await bulkLedger(BULK, { start: new Date(start), stepMs: minute, orgIds: [orgA, orgB] });
    ats = Array.from({ length: BULK }, (_, i) => start + i * minute);
    // The paths are behind by more than a read records inline: the query answers, a catch-up starts.
    expect(await pageByPaths({ type: 'trade.settled' }, 1, PAGE, headRef)).toBeNull();
    await expectSameAsQuery({ type: 'trade.settled' });
    await pathsIdle();
    expect(await pageByPaths({ type: 'trade.settled' }, 1, PAGE, headRef)).not.toBeNull();
  });

  it('when entries are appended (types, organisations, equal `at`s), then every filtered page equals the query and the paths serve type, organisation and date ranges', async () => {
    let t = ats[BULK - 1]!;
    for (let i = 0; i < 40; i++) {
      if (i % 5 !== 3) t += minute; // every fifth entry shares the previous entry's `at`
      const orgIds = i % 3 === 0 ? [orgA] : i % 3 === 1 ? [orgB, orgC] : [orgC];
      const type = LEDGER_TYPES[i % 4]!;
      await append({
        type,
        ref: `p-${i}`,
        amountFen: type.startsWith('trade.') ? 100 * i : 0,
        orgIds,
        at: new Date(t),
      });
      ats.push(t);
    }
    await pathsIdle();
    for (const f of filters()) {
      const served = await expectSameAsQuery(f);
      const { total } = await byQuery(f, 1);
      expect({ f, served }).toEqual({ f, served: Math.ceil(total / PAGE) + 1 });
    }
  });

  it('when filters combine or are not covered, then the query answers them, the same as before', async () => {
    for (const f of [
      { type: 'trade.settled', org: orgC },
      { org: orgA, from: at(50) },
      { listingCode: 'ZDEC-2026-000002' },
      { minAmountFen: 1000 },
    ] satisfies LedgerFilter[]) {
      expect(await pageByPaths(f, 1, PAGE, headRef)).toBeNull();
      await expectSameAsQuery(f);
    }
  });

  it('when an entry lands after a later `at` (a late outbox event), then date ranges fall back to the query and stay right', async () => {
    const early = ats[BULK + 10]! + 1;
    await append({ type: 'trade.settled', ref: 'late-1', amountFen: 5, orgIds: [orgB], at: new Date(early) });
    ats.push(early);
    await pathsIdle();
    expect(await pageByPaths({ from: at(BULK) }, 1, PAGE, headRef)).toBeNull();
    for (const f of [{ from: new Date(early) }, { to: new Date(early + 1) }, { from: at(BULK), to: at(BULK + 20) }]) {
      await expectSameAsQuery(f);
    }
    // The sequences themselves are still in seq order: type and organisation pages stay on the paths.
    expect(await expectSameAsQuery({ org: orgB })).toBeGreaterThan(0);
    expect(await pageByPaths({ type: 'trade.settled' }, 1, PAGE, headRef)).not.toBeNull();
  });

  it('when entries are appended concurrently, then the paths still equal the query', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        append({ type: 'trade.refunded', ref: `c-${i}`, amountFen: -i, orgIds: [orgA, orgC] }),
      ),
    );
    await pathsIdle();
    expect(await expectSameAsQuery({ type: 'trade.refunded' })).toBeGreaterThan(0);
    expect(await expectSameAsQuery({ org: orgC })).toBeGreaterThan(0);
  });
});

describe('the audit list after the ledger was restored from a backup (an earlier state of it)', () => {
  it('when the paths name entries the ledger no longer has, then the query answers and pages stay right, also after new appends', async () => {
    await pathsIdle();
    const keep = BULK + 20;
    await LedgerEntryModel.collection.deleteMany({ seq: { $gt: keep } }); // raw driver: the model refuses deletes
    await LedgerHeadModel.collection.deleteMany({});
    ats = ats.slice(0, keep);
    for (const f of [{ type: 'trade.settled' }, { org: orgC }, { from: at(BULK) }] satisfies LedgerFilter[]) {
      await expectSameAsQuery(f);
    }
    for (let i = 0; i < 5; i++) {
      await append({ type: 'trade.settled', ref: `after-restore-${i}`, amountFen: 1, orgIds: [orgC] });
    }
    await pathsIdle();
    for (const f of [{ type: 'trade.settled' }, { org: orgC }, { org: orgA }] satisfies LedgerFilter[]) {
      await expectSameAsQuery(f);
    }
  });
});
