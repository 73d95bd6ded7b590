import { configureSampleScan } from '../../server/src/modules/samples/samples.scan';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, personCsv, storedFileCount, uploadSample } from '../resources/fixtures';

/*
 * Issue 12, item 1: samples are scanned in worker threads (piscina, loading the TypeScript task
 * through tsx, here under jest) within a time budget; a sample that exceeds it is refused with 422.
 */

const t = useTestApp({ SCAN_BUDGET_MS: '300' });
let authority: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
});

afterEach(() => configureSampleScan({ budgetMs: 300, graceMs: 2_000 }));

/** Rows of 4 KB cells of space-separated 1s: the input that once blocked the process. */
const hostileCsv = (rows: number) =>
  Buffer.from(['编号,备注', ...Array.from({ length: rows }, (_, i) => `${i},${'1 '.repeat(2_000).trim()}`)].join('\n'));

describe('sample scan in worker threads', () => {
  it('when a normal sample is uploaded, then the worker thread parses and scans it', async () => {
    const id = await createDraft(t, authority);
    const res = await uploadSample(t, authority, id, Buffer.from(personCsv()), 'people.csv');
    expect(res.status).toBe(200);
    expect(res.body.scan).toMatchObject({ rowsScanned: 4, complete: true });
    expect(res.body.proposed.level).toBe('L4');
  });

  it('when a sample does not parse, then the worker thread answers with the parser problem (422, where)', async () => {
    const id = await createDraft(t, authority);
    const res = await uploadSample(t, authority, id, Buffer.from('a,b\n1,"broken\n'), 'bad.csv');
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/sample-unparseable$/);
    expect(res.body.detail).toMatch(/line 2/);
  });

  it('when the scan takes longer than the budget, then 422 says so and nothing is stored', async () => {
    const id = await createDraft(t, authority);
    const files = await storedFileCount();
    const res = await uploadSample(t, authority, id, hostileCsv(2_400), 'hostile.csv');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.type).toMatch(/sample-scan-timeout$/);
    expect(res.body.detail).toMatch(/time budget of 300 ms/);
    expect(res.body.budgetMs).toBe(300);
    expect(res.body.rows).toBeGreaterThan(0);
    expect(await storedFileCount()).toBe(files);
  });

  it('when one value alone outlasts the budget, then the thread is stopped, 422, and the next upload works', async () => {
    configureSampleScan({ budgetMs: 1, graceMs: 0 });
    const id = await createDraft(t, authority);
    const files = await storedFileCount();
    const oneValue = Buffer.from(`编号,备注\n1,${'1 '.repeat(1_000_000).trim()}\n`);
    const res = await uploadSample(t, authority, id, oneValue, 'one.csv');
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/sample-scan-timeout$/);
    expect(res.body.detail).toMatch(/stopped inside one value/);
    expect(await storedFileCount()).toBe(files);

    configureSampleScan({ budgetMs: 30_000, graceMs: 2_000 });
    const next = await uploadSample(t, authority, id, Buffer.from(personCsv()), 'people.csv');
    expect(next.status).toBe(200);
  });

  it('when a long scan runs, then the server answers other requests meanwhile', async () => {
    configureSampleScan({ budgetMs: 60_000 });
    const id = await createDraft(t, authority);
    const order: string[] = [];
    const upload = uploadSample(t, authority, id, hostileCsv(600), 'hostile.csv').then((r) => {
      order.push('upload');
      return r;
    });
    // Give the upload time to reach its worker thread, then ask for something else.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await t.http.get('/healthz');
    order.push('healthz');
    expect(health.status).toBe(200);
    const res = await upload;
    expect(res.status).toBe(200);
    expect(res.body.scan).toMatchObject({ rowsScanned: 600, complete: true, proposed: { level: 'L1' } });
    expect(order).toEqual(['healthz', 'upload']);
  });
});
