import { MongoClient } from 'mongodb';
import { testDbName } from '../helpers/app';

/**
 * tools/ferretdb-launcher creates, for every collection as it appears, an index on the expression
 * FerretDB's SQLite backend uses to look a document up by `_id` (its own `_id` index is on another
 * expression, so without ours every `_id` lookup scans). FerretDB's `explain` reports SQLite's plan.
 * On MongoDB there is nothing to fix: the `_id` index is the engine's own.
 */
const onFerret = process.env.TEST_DATABASE_KIND === 'ferretdb';
const maybe = onFerret ? describe : describe.skip;

async function planFor(client: MongoClient, db: string, coll: string): Promise<string> {
  const ex = (await client.db(db).command({ explain: { find: coll, filter: { _id: 'k1' } } })) as {
    queryPlanner?: { Plan?: string[] };
  };
  return JSON.stringify(ex.queryPlanner?.Plan ?? ex);
}

async function eventuallyIndexed(client: MongoClient, db: string, coll: string): Promise<string> {
  let plan = '';
  for (let i = 0; i < 50; i++) {
    // A real read first: a SQLite connection notices another connection's schema change (our
    // index) when it next starts a transaction, which EXPLAIN QUERY PLAN alone does not do.
    await client.db(db).collection<{ _id: string }>(coll).findOne({ _id: 'k1' });
    plan = await planFor(client, db, coll);
    if (/USING INDEX \S+_zdec_id/.test(plan)) return plan;
    await new Promise((r) => setTimeout(r, 100));
  }
  return plan;
}

maybe('the launcher’s _id expression index (FerretDB)', () => {
  let client: MongoClient;
  const db = testDbName();
  beforeAll(async () => {
    client = await MongoClient.connect(process.env.TEST_MONGODB_URI!);
  });
  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
  });

  it('when a collection appears, then a lookup by _id searches an index instead of scanning', async () => {
    await client.db(db).collection<{ _id: string }>('first').insertOne({ _id: 'k1' });
    const plan = await eventuallyIndexed(client, db, 'first');
    expect(plan).toMatch(/SEARCH first_\w+ USING INDEX first_\w+_zdec_id/);
    expect(plan).not.toMatch(/SCAN/);
  });

  it('when a later collection appears in the same database, then it gets the index too', async () => {
    await client.db(db).collection<{ _id: string }>('second').insertOne({ _id: 'k1' });
    expect(await eventuallyIndexed(client, db, 'second')).toMatch(/USING INDEX second_\w+_zdec_id/);
  });

  it('when a database is dropped and made again, then its new collections are indexed', async () => {
    const other = `${db}_again`;
    await client.db(other).collection<{ _id: string }>('c').insertOne({ _id: 'k1' });
    expect(await eventuallyIndexed(client, other, 'c')).toMatch(/_zdec_id/);
    await client.db(other).dropDatabase();
    await client.db(other).collection<{ _id: string }>('c').insertOne({ _id: 'k1' });
    expect(await eventuallyIndexed(client, other, 'c')).toMatch(/_zdec_id/);
    // FerretDB's own index list is unchanged: ours is invisible to listIndexes.
    const names = (await client.db(other).collection('c').listIndexes().toArray()).map((i) => i.name as string);
    expect(names).toEqual(['_id_']);
    await client.db(other).dropDatabase();
  });

  it('when a document is looked up by _id through the index, then it is the right one and uniqueness still holds', async () => {
    const c = client.db(db).collection<{ _id: string; n: number }>('third');
    await c.insertMany(Array.from({ length: 500 }, (_, n) => ({ _id: `k${n}`, n })));
    await eventuallyIndexed(client, db, 'third');
    expect(await c.findOne({ _id: 'k417' })).toEqual({ _id: 'k417', n: 417 });
    await expect(c.insertOne({ _id: 'k417', n: 0 })).rejects.toMatchObject({ code: 11000 });
  });
});
