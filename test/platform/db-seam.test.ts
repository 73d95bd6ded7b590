import mongoose, { model, Schema } from 'mongoose';
import {
  appendOnce,
  claimOnce,
  compareAndSet,
  engineOf,
  findByIds,
  hasIndexedQueries,
  headOf,
  isDuplicateKey,
  membersAt,
  newestPage,
  updateIf,
  writeFilter,
} from '../../server/src/platform/db';
import { useTestApp } from '../helpers/app';

/**
 * The database seam against the real database of the run (FerretDB here, MongoDB when
 * MONGODB_URI is set): every assertion holds on both engines.
 */
useTestApp();

const Claim = model('SeamTestClaim', new Schema({ _id: String, who: Number }, { versionKey: false }), 'seam_claims');
const Thing = model(
  'SeamTestThing',
  new Schema({ _id: String, state: String, code: String, n: Number }, { versionKey: false }).index(
    { code: 1 },
    { unique: true, sparse: true },
  ),
  'seam_things',
);

beforeAll(async () => {
  await Promise.all([Claim.init(), Thing.init()]);
});

describe('engine', () => {
  it('when asked, then it names the engine the run uses', async () => {
    const kind = process.env.TEST_DATABASE_KIND;
    expect(await engineOf()).toBe(kind === 'ferretdb' ? 'ferretdb' : 'mongodb');
    expect(await hasIndexedQueries()).toBe(kind !== 'ferretdb');
    expect(await engineOf(mongoose.connection.getClient())).toBe(await engineOf());
  });
});

describe('claimOnce', () => {
  it('when 20 callers race for one key, then exactly one wins and the claim is the winner’s', async () => {
    const got = await Promise.all(
      Array.from({ length: 20 }, (_, who) => claimOnce<{ _id: string; who: number }>(Claim, { _id: 'k', who })),
    );
    const winners = got.filter((g) => g !== null);
    expect(winners).toHaveLength(1);
    expect((await Claim.findById('k').lean())?.who).toBe(winners[0]!.who);
  });
});

describe('isDuplicateKey', () => {
  it('when an insert or an update hits a unique index, then it is a duplicate key; other errors are not', async () => {
    await Thing.create([
      { _id: 'a', code: 'A' },
      { _id: 'b', code: 'B' },
    ]);
    const insertErr = await Thing.create({ _id: 'a' }).catch((e: unknown) => e);
    const updateErr = await Thing.updateOne({ _id: 'b' }, { $set: { code: 'A' } }).catch((e: unknown) => e);
    expect(isDuplicateKey(insertErr)).toBe(true);
    expect(isDuplicateKey(updateErr)).toBe(true);
    const castErr = await Thing.updateOne({ _id: 'b' }, { $set: { n: 'x' } }).catch((e: unknown) => e);
    expect(isDuplicateKey(castErr)).toBe(false);
    expect(isDuplicateKey(new Error('boom'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });
});

describe('compareAndSet', () => {
  it('when the state is one of from, then it moves and says so; otherwise it changes nothing', async () => {
    await Thing.create({ _id: 'c', state: 'pending', n: 1 });
    expect(await compareAndSet(Thing, 'c', 'state', ['pending'], { state: 'paid', n: 2 })).toBe(true);
    expect(await Thing.findById('c').lean()).toMatchObject({ state: 'paid', n: 2 });
    expect(await compareAndSet(Thing, 'c', 'state', ['pending'], { state: 'cancelled' })).toBe(false);
    expect(await compareAndSet(Thing, 'missing', 'state', ['pending'], { state: 'paid' })).toBe(false);
    expect(await Thing.findById('c').lean()).toMatchObject({ state: 'paid', n: 2 });
  });

  it('when the field is absent, then null in from matches it', async () => {
    await Thing.create({ _id: 'd' });
    expect(await compareAndSet(Thing, 'd', 'state', [null], { state: 'set' })).toBe(true);
    expect((await Thing.findById('d').lean())?.state).toBe('set');
  });

  it('when racing writers all project the decision of one claim, then the state ends as decided', async () => {
    await Thing.create({ _id: 'e', state: 'pending' });
    const decided = await claimOnce<{ who: number }>(Claim, { _id: 'e-resolution', who: 7 });
    await Promise.all(
      Array.from({ length: 10 }, () =>
        compareAndSet(Thing, 'e', 'state', ['pending'], { state: `by-${decided!.who}` }),
      ),
    );
    expect((await Thing.findById('e').lean())?.state).toBe('by-7');
  });
});

describe('updateIf and writeFilter', () => {
  it('when the document matches the whole filter, then it is written; when any condition fails, nothing changes', async () => {
    await Thing.create({ _id: 'u', state: 'listed', n: 3 });
    expect(await updateIf(Thing, { _id: 'u', state: { $in: ['listed', 'suspended'] }, n: 3 }, { $inc: { n: 1 } })).toBe(
      true,
    );
    expect(await updateIf(Thing, { _id: 'u', state: 'listed', n: 3 }, { $set: { state: 'delisted' } })).toBe(false);
    expect(await updateIf(Thing, { _id: 'u', state: 'draft' }, { $set: { state: 'delisted' } })).toBe(false);
    expect(await updateIf(Thing, { _id: 'nobody', state: 'listed' }, { $set: { state: 'x' } })).toBe(false);
    expect(await Thing.findById('u').lean()).toMatchObject({ state: 'listed', n: 4 });
  });

  it('when the filter uses $exists, null and a top-level $or, then it means what it means in MongoDB', async () => {
    await Thing.create({ _id: 'w', state: 'registered' });
    const notNewer = { $or: [{ n: { $exists: false } }, { n: { $lt: 2 } }] };
    expect(await updateIf(Thing, { _id: 'w', code: null, ...notNewer }, { $set: { n: 2 } })).toBe(true);
    expect(await updateIf(Thing, { _id: 'w', ...notNewer }, { $set: { n: 1 } })).toBe(false);
    expect(await updateIf(Thing, { _id: 'w', code: { $exists: true } }, { $set: { n: 9 } })).toBe(false);
    expect((await Thing.findById('w').lean())?.n).toBe(2);
  });

  it('when the document matches, then the filter to write with names it; when not, there is none', async () => {
    await Thing.create({ _id: 'f', state: 'draft' });
    const where = await writeFilter(Thing, { _id: 'f', state: 'draft' });
    expect(where).not.toBeNull();
    expect(await Thing.findOneAndUpdate(where!, { $set: { state: 'x' } }, { new: true }).lean()).toMatchObject({
      _id: 'f',
      state: 'x',
    });
    expect(await writeFilter(Thing, { _id: 'f', state: 'draft' })).toBeNull();
  });
});

describe('findByIds', () => {
  it('when ids repeat or are unknown, then each known document comes once, with the projection', async () => {
    await Thing.create([
      { _id: 'i1', state: 'a', n: 1 },
      { _id: 'i2', state: 'b', n: 2 },
    ]);
    const found = await findByIds<{ _id: string; n?: number; state?: string }>(Thing, ['i2', 'nope', 'i1', 'i2'], {
      n: 1,
    });
    expect(found.map((d) => d._id).sort()).toEqual(['i1', 'i2']);
    expect(found.every((d) => d.state === undefined && typeof d.n === 'number')).toBe(true);
    expect(await findByIds(Thing, [])).toEqual([]);
  });
});

describe('append-only sequences', () => {
  it('when 60 appends of 30 refs race (each twice), then each ref is a member once, seqs 1..30 without gaps', async () => {
    const refs = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const seqs = await Promise.all([...refs, ...refs].map((r) => appendOnce('test', 'race', r)));
    expect(seqs.filter((s) => s > 0).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await headOf('test', 'race')).toBe(30);
    const all = await membersAt(
      'test',
      'race',
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(all.map((m) => m.ref).sort()).toEqual([...refs].sort());
  });

  it('when a page is read, then it is newest first with the count as total, and keys are separate', async () => {
    for (let i = 1; i <= 7; i++) await appendOnce('test', 'pages', `p${i}`, new Date(Date.UTC(2026, 0, i)));
    await appendOnce('test', 'other', 'x');
    const first = await newestPage('test', 'pages', 0, 3);
    expect(first.total).toBe(7);
    expect(first.items.map((m) => m.ref)).toEqual(['p7', 'p6', 'p5']);
    expect(first.items[0]!.at).toEqual(new Date(Date.UTC(2026, 0, 7)));
    expect((await newestPage('test', 'pages', 6, 3)).items.map((m) => m.ref)).toEqual(['p1']);
    expect((await newestPage('test', 'pages', 9, 3)).items).toEqual([]);
    expect(await headOf('test', 'other')).toBe(1);
    expect(await headOf('test', 'nobody')).toBe(0);
  });
});
