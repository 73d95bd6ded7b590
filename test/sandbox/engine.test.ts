import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeEngine, preparedDatabase, runSteps } from '../../server/src/modules/sandbox/engine';
import { COARSENING_MACROS } from '../../server/src/modules/sandbox/coarsenings';

/*
 * The engine below disclosure control: even SQL that the analyser would never let through is held
 * by DuckDB's own locked configuration (defence in depth), and the limits stop what runs too long
 * or needs too much memory. Real DuckDB in the real worker process.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zdec-engine-'));
const db = path.join(dir, 'p.duckdb');
const secret = path.join(dir, 'secret.csv');
const limits = { timeoutMs: 1500, memoryLimitMb: 64 };

beforeAll(async () => {
  fs.writeFileSync(secret, 'a,b\n1,2\n');
  const rows = Array.from({ length: 500 }, (_, i) => [String(i), `g${i % 5}`]);
  await preparedDatabase(db, async () => ({
    columns: [
      { name: 'id', sqlType: 'BIGINT' },
      { name: 'g', sqlType: 'VARCHAR' },
    ],
    columnNames: ['id', 'g'],
    fieldsJson: '[]',
    rows,
    json: rows.map(([id, g]) => JSON.stringify({ id, g })),
  }));
}, 60_000);

afterAll(async () => {
  await closeEngine();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (sql: string, l = limits) => runSteps(db, COARSENING_MACROS, [{ sql, maxRows: 100 }], l);

describe('the locked engine', () => {
  it('when the prepared database is queried, then it holds the rows, typed, in file order', async () => {
    const out = await run('SELECT count(*), sum(id), min(g) FROM records');
    expect(out.error).toBeUndefined();
    expect(out.results[0]!.rows).toEqual([['500', '124750', 'g0']]);
    const raw = await run('SELECT raw FROM __rows WHERE rid = 7');
    expect(JSON.parse(String(raw.results[0]!.rows[0]![0]))).toEqual({ id: '7', g: 'g2' });
  });

  it.each([
    ['read_csv of a file', `SELECT * FROM read_csv('${secret}')`, /disabled by configuration|Permission/],
    ['COPY … TO a file', `COPY records TO '${path.join(dir, 'out.csv')}'`, /disabled|Permission|read-only|read only/i],
    ['ATTACH another database', `ATTACH '${path.join(dir, 'x.duckdb')}' AS x`, /disabled by configuration|Permission/],
    ['INSTALL an extension', 'INSTALL httpfs', /disabled by configuration|Permission/],
    ['LOAD an extension', 'LOAD httpfs', /disabled by configuration|Permission|not found/i],
    ['turning external access back on', 'SET enable_external_access = true', /locked/],
    ['raising the memory limit', "SET memory_limit = '10GB'", /locked/],
    ['writing to the product table', 'DELETE FROM records', /read-only|read only/i],
  ])('when the SQL tries %s, then DuckDB itself refuses it', async (_what, sql, message) => {
    const out = await run(sql);
    expect(out.error).toMatchObject({ kind: 'engine', message: expect.stringMatching(message) });
    expect(fs.existsSync(path.join(dir, 'out.csv'))).toBe(false);
  });

  it('when a cartesian blow-up needs more memory than the limit, then it stops with memory-limit', async () => {
    // 500 × 500 × 40 = 10 million distinct strings: a hash table far past 64 MB.
    const sql =
      "SELECT count(DISTINCT a.g || a.id || '-' || b.id || '-' || c.id) FROM records a, records b, records c WHERE c.id < 40";
    const out = await run(sql, {
      timeoutMs: 20_000,
      memoryLimitMb: 64,
    });
    expect(out.error?.kind).toBe('memory-limit');
  });

  it('when a query runs past the time limit, then it is interrupted with time-limit', async () => {
    const started = Date.now();
    // 500⁴ = 62.5 billion rows: no machine sums them within the limit (500³ did on a quiet one).
    const out = await run('SELECT sum(a.id + b.id + c.id + d.id) FROM records a, records b, records c, records d', {
      timeoutMs: 500,
      memoryLimitMb: 64,
    });
    expect(out.error?.kind).toBe('time-limit');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The pool is usable afterwards.
    expect((await run('SELECT count(*) FROM records')).results[0]!.rows).toEqual([['500']]);
  });
});
