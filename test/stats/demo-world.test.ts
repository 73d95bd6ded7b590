import mongoose from 'mongoose';
import { useTestApp } from '../helpers/app';
import { killAll, startServer, type ServerProcess } from '../reliability/server-process';

/**
 * The pages' "demo world loading" banner reads GET /stats/demo-world. Here a real server process
 * starts on an empty database with the small demo world, and the route is polled while its seeder
 * child lays the world down.
 */
const t = useTestApp();

afterAll(killAll);

interface Status {
  state: string;
  percent?: number;
  progress?: { phase: string; done: number; total: number; at: string };
  doneAt?: string;
}

describe('GET /stats/demo-world', () => {
  it('when nothing was ever loaded, then it says none', async () => {
    const res = await t.http.get('/api/v1/stats/demo-world').expect(200);
    expect(res.body).toEqual({ state: 'none' });
  });

  it('when a server seeds an empty database, then the route says loading with progress, then loaded', async () => {
    const server: ServerProcess = await startServer(t.dbName, { SEED_ON_EMPTY: 'true', SEED_SCALE: 'small' });
    const seen: Status[] = [];
    const deadline = Date.now() + 240_000;
    let last: Status = { state: 'none' };
    while (Date.now() < deadline) {
      last = (await (await fetch(`${server.url}/api/v1/stats/demo-world`)).json()) as Status;
      seen.push(last);
      if (last.state === 'loaded' || last.state === 'interrupted') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(last.state).toBe('loaded');
    expect(typeof last.doneAt).toBe('string');
    const loading = seen.filter((s) => s.state === 'loading' && s.progress);
    expect(loading.length).toBeGreaterThan(0);
    for (const s of loading) {
      expect(s.progress!.total).toBeGreaterThan(0);
      expect(s.progress!.done).toBeLessThanOrEqual(s.progress!.total);
      expect(s.percent).toBe(Math.floor((100 * s.progress!.done) / s.progress!.total));
    }
    // The percent never goes back while one load runs.
    const percents = loading.map((s) => s.percent!);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const listings = await (await fetch(`${server.url}/api/v1/listings`)).json();
    expect((listings as { total: number }).total).toBeGreaterThan(0);
    await server.stop(); // perhaps while the seeder, done, is still exiting: a finished load stays loaded
    const after = await t.http.get('/api/v1/stats/demo-world').expect(200);
    expect(after.body.state).toBe('loaded');
    const marker = await mongoose.connection
      .db!.collection<{ _id: string }>('platform_meta')
      .findOne({ _id: 'demo-seed' });
    expect(marker).not.toHaveProperty('failedAt');
  }, 300_000);

  it('when the server is stopped while it loads, then after a restart the load is reported interrupted at once', async () => {
    const dbName = `${t.dbName}_restart`;
    const env = { SEED_ON_EMPTY: 'true', SEED_SCALE: 'small' };
    const first = await startServer(dbName, env);
    const status = async (url: string) => (await (await fetch(`${url}/api/v1/stats/demo-world`)).json()) as Status;
    let s: Status = { state: 'none' };
    // Stopped once the seeder has laid down its first steps (an empty database would just be seeded again).
    for (let i = 0; i < 1200 && !(s.state === 'loading' && s.progress); i++) {
      s = await status(first.url);
      if (!s.progress) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(s).toMatchObject({ state: 'loading', progress: { phase: expect.any(String) } });
    await first.stop(); // SIGTERM: the server stops its seeder before it stops
    const second = await startServer(dbName, env);
    expect((await status(second.url)).state).toBe('interrupted');
    expect(second.output()).toContain('the demo world was interrupted while loading');
    await second.stop();
    await mongoose.connection.useDb(dbName).dropDatabase();
  }, 120_000);

  it('when a load stopped beating without finishing, then it is reported interrupted, not loading', async () => {
    const meta = mongoose.connection.db!.collection<{ _id: string }>('platform_meta');
    const long = new Date(Date.now() - 10 * 60_000);
    await meta.updateOne(
      { _id: 'demo-seed' },
      { $set: { startedAt: long, beatAt: long, progress: { phase: 'trades', done: 5, total: 10, at: '2025-06-01' } } },
      { upsert: true },
    );
    await meta.updateOne({ _id: 'demo-seed' }, { $unset: { doneAt: '', failedAt: '', owner: '' } });
    const res = await t.http.get('/api/v1/stats/demo-world').expect(200);
    expect(res.body.state).toBe('interrupted');
    expect(res.body.progress).toEqual({ phase: 'trades', done: 5, total: 10, at: '2025-06-01' });

    await meta.updateOne({ _id: 'demo-seed' }, { $set: { beatAt: new Date() } });
    const live = await t.http.get('/api/v1/stats/demo-world').expect(200);
    expect(live.body).toMatchObject({ state: 'loading', percent: 50 });
  });
});
