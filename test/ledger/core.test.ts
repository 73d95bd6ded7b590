import { model, Schema } from 'mongoose';
import { armFault, disarmFaults, InjectedFault } from '../../server/src/platform/faults';
import { entryHash } from '../../server/src/modules/ledger/ledger.hash';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import {
  flushOutbox,
  outboxPush,
  registerOutbox,
  sweepOutbox,
  withOutbox,
} from '../../server/src/modules/ledger/outbox';
import { useTestApp } from '../helpers/app';

useTestApp();

const thingSchema = new Schema({ status: String });
withOutbox(thingSchema);
const Thing = model('OutboxThing', thingSchema);
const afterAppend = jest.fn(async () => undefined);
registerOutbox(Thing, { afterAppend });

afterEach(() => disarmFaults());

describe('ledger append', () => {
  it('when 40 appends race, then seq is 1..40 with no gap and every hash chains', async () => {
    const before = await LedgerEntryModel.countDocuments();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        append({ type: 'trade.settled', ref: `race-${i}`, amountFen: 100 + i, orgIds: ['a', 'b'] }),
      ),
    );
    const all = await LedgerEntryModel.find().sort({ seq: 1 }).lean();
    expect(all).toHaveLength(before + 40);
    all.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(all[i - 1]!.hash);
      expect(entryHash(e as never)).toBe(e.hash);
    });
  });

  it('when the same event is appended twice, then it is in the ledger once', async () => {
    const a = await append({ type: 'listing.listed', ref: 'listing-1', orgIds: ['p'] });
    const b = await append({ type: 'listing.listed', ref: 'listing-1', orgIds: ['p'] });
    expect(b.seq).toBe(a.seq);
    expect(await LedgerEntryModel.countDocuments({ type: 'listing.listed', ref: 'listing-1' })).toBe(1);
  });

  it('when code tries to update or delete an entry, then the model refuses', async () => {
    const e = await append({ type: 'trade.settled', ref: 'immutable', amountFen: 5, orgIds: [] });
    await expect(LedgerEntryModel.updateOne({ _id: e._id }, { amountFen: 1 })).rejects.toThrow(/append-only/);
    await expect(LedgerEntryModel.deleteOne({ _id: e._id })).rejects.toThrow(/append-only/);
    await expect(LedgerEntryModel.findOneAndUpdate({ _id: e._id }, { amountFen: 1 })).rejects.toThrow(/append-only/);
    const doc = await LedgerEntryModel.findById(e._id);
    doc!.amountFen = 1;
    await expect(doc!.save()).rejects.toThrow(/append-only/);
    expect((await LedgerEntryModel.findById(e._id).lean())!.amountFen).toBe(5);
  });
});

describe('outbox', () => {
  it('when the process dies between the state change and the append, then the sweep completes it exactly once', async () => {
    const thing = await Thing.create({ status: 'draft' });
    await Thing.updateOne(
      { _id: thing._id, status: 'draft' },
      {
        $set: { status: 'listed' },
        ...outboxPush({ type: 'listing.listed', ref: `thing-${thing.id}`, orgIds: ['x'] }),
      },
    );
    armFault('outbox.beforeAppend');
    await expect(flushOutbox(Thing, thing._id)).rejects.toBeInstanceOf(InjectedFault);
    expect(await LedgerEntryModel.countDocuments({ ref: `thing-${thing.id}` })).toBe(0);

    // and again after the append but before the item was cleared
    armFault('outbox.afterAppend');
    await expect(flushOutbox(Thing, thing._id)).rejects.toBeInstanceOf(InjectedFault);
    expect(await LedgerEntryModel.countDocuments({ ref: `thing-${thing.id}` })).toBe(1);

    expect(await sweepOutbox()).toBeGreaterThanOrEqual(1);
    expect(await sweepOutbox()).toBe(0);
    expect(await LedgerEntryModel.countDocuments({ ref: `thing-${thing.id}` })).toBe(1);
    expect(((await Thing.findById(thing._id).lean()) as unknown as { outbox: unknown[] }).outbox).toHaveLength(0);
    expect(afterAppend).toHaveBeenCalled();
  });
});
