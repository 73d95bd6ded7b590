import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyExport } from '../../scripts/ledger-verify';
import { entryHash } from '../../server/src/modules/ledger/ledger.hash';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { makeActor, type Actor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { resetLedger } from './fixtures';

const t = useTestApp();
let regulator: Actor;
let exchange: Actor;

beforeAll(async () => {
  regulator = await makeActor(t.config, 'regulator');
  exchange = await makeActor(t.config, 'exchange');
});

beforeEach(async () => {
  await resetLedger();
  for (let i = 1; i <= 30; i++) {
    await append({ type: 'trade.settled', ref: `order-${i}`, amountFen: i * 100, orgIds: ['buyer', 'provider'] });
  }
});

const raw = () => LedgerEntryModel.collection;
const verify = (query = '', who: Actor = regulator) =>
  t.http.get(`/api/v1/ledger/verify${query}`).set('Authorization', who.auth);

/** Swaps the positions of two entries by exchanging their seq (the unique index needs a detour). */
async function swapSeq(a: number, b: number): Promise<void> {
  await raw().updateOne({ seq: a }, { $set: { seq: -a } });
  await raw().updateOne({ seq: b }, { $set: { seq: a } });
  await raw().updateOne({ seq: -a }, { $set: { seq: b } });
}

describe('GET /ledger/verify', () => {
  it('when the ledger is untouched, then it is ok and reports the head', async () => {
    const head = await LedgerEntryModel.findOne({ seq: 30 }).lean();
    const res = await verify('', exchange).expect(200);
    expect(res.body).toEqual({ ok: true, checked: 30, headSeq: 30, headHash: head!.hash, checkpointsChecked: 0 });
  });

  it('when an amount is changed in the database, then it names that seq as a hash mismatch', async () => {
    await raw().updateOne({ seq: 7 }, { $set: { amountFen: 999_999 } });
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 7, reason: 'hash-mismatch', checked: 7, headSeq: 30 });
  });

  it('when an entry is deleted, then it names the missing seq', async () => {
    await raw().deleteOne({ seq: 12 });
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 12, reason: 'missing-entry', checked: 11 });
  });

  it('when the newest entry is deleted, then the head this server last appended names it missing', async () => {
    await raw().deleteOne({ seq: 30 });
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 30, reason: 'missing-entry' });
  });

  it('when two entries are swapped, then it names the first of the pair', async () => {
    await swapSeq(20, 21);
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 20, reason: 'prev-hash-mismatch' });
  });

  it('when two entries are swapped and each is re-hashed to look whole, then the broken link still names the first', async () => {
    await swapSeq(20, 21);
    for (const seq of [20, 21]) {
      const e = (await raw().findOne({ seq }))!;
      await raw().updateOne({ seq }, { $set: { hash: entryHash(e as never) } });
    }
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 20, reason: 'prev-hash-mismatch' });
  });

  it('when an entry is tampered beyond what the request covers, then a range before it is ok and a range with it is not', async () => {
    await raw().updateOne({ seq: 25 }, { $set: { ref: 'someone-else' } });
    expect((await verify('?from=5&to=24').expect(200)).body).toMatchObject({ ok: true, checked: 20, headSeq: 30 });
    expect((await verify('?from=20').expect(200)).body).toMatchObject({ ok: false, firstBrokenSeq: 25, checked: 6 });
    // the first entry of a range must chain onto the stored entry before it
    await raw().updateOne({ seq: 9 }, { $set: { hash: 'f'.repeat(64) } });
    expect((await verify('?from=10&to=12').expect(200)).body).toMatchObject({
      ok: false,
      firstBrokenSeq: 10,
      reason: 'prev-hash-mismatch',
    });
  });

  it('when a field is tampered into something that cannot be hashed, then it is a hash mismatch, not an error', async () => {
    await raw().updateOne({ seq: 3 }, { $unset: { orgIds: '' } });
    const res = await verify().expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'hash-mismatch' });
  });

  it('when fields are tampered into other types, then the export still streams them and the offline check names the first', async () => {
    await raw().updateOne({ seq: 8 }, { $set: { amountFen: 'lots', at: 'yesterday' } });
    await raw().updateOne({ seq: 4 }, { $set: { orgIds: 'everyone', ref: 17 } });
    const res = await t.http.get('/api/v1/ledger/export.csv').set('Authorization', regulator.auth).expect(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'tampered.csv');
    fs.writeFileSync(file, res.text);
    const offline = await verifyExport({ csvPath: file, checkpointPaths: [] });
    expect(offline).toMatchObject({ ok: false, rows: 30, firstBrokenSeq: 4 });
    expect(offline.problems.map((p) => p.seq)).toContain(8);
    expect((await verify().expect(200)).body).toMatchObject({ ok: false, firstBrokenSeq: 4, reason: 'hash-mismatch' });
  });

  it('when the ledger is empty, then it is ok with no head', async () => {
    await resetLedger();
    const res = await verify().expect(200);
    expect(res.body).toEqual({ ok: true, checked: 0, headSeq: 0, headHash: null, checkpointsChecked: 0 });
  });

  it('when the caller is not a regulator or exchange, or the query is wrong, then it is refused', async () => {
    const buyer = await makeActor(t.config, 'buyer');
    const provider = await makeActor(t.config, 'provider');
    await t.http.get('/api/v1/ledger/verify').expect(401);
    await verify('', buyer).expect(403);
    await verify('', provider).expect(403);
    await verify('?from=abc').expect(400);
    await verify('?from=10&to=5').expect(422);
    await verify('?from=0').expect(422);
    await verify('?extra=1').expect(400);
  });
});
