import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import mongoose from 'mongoose';
import { useE2E } from './browser';
import { bothLanguages, byTestId } from './steps';

/*
 * Issue 16 item 7 in the browser: while the demo world loads (here the small world, laid down by the
 * real seeder, seeds/seed.ts, in a child process writing into this server's database, as `npm start`
 * does on an empty database), the pages say so with a progress bar; once it is loaded the banner
 * goes and the catalogue shows the world.
 */
const e = useE2E();
const ROOT = path.resolve(__dirname, '../..');

describe('the demo world loading banner', () => {
  test('when the seeder runs, then every page shows its progress; when it is done, the banner goes', async () => {
    const dbName = mongoose.connection.db!.databaseName;
    const seeder = spawn(
      process.execPath,
      ['--import', 'tsx', 'seeds/seed.ts', '--uri', process.env.TEST_MONGODB_URI!, '--db', dbName, '--scale', 'small'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    let output = '';
    seeder.stdout.on('data', (d: Buffer) => (output += d.toString()));
    seeder.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(seeder, 'exit');

    // As with `npm start`, the load is under way (its marker written) by the time someone opens a page.
    const meta = mongoose.connection.db!.collection<{ _id: string }>('platform_meta');
    for (let i = 0; i < 240 && !(await meta.findOne({ _id: 'demo-seed' })); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/`);
    const banner = byTestId(page, 'demo-world-loading');
    // Shown with a step count once the seeder reports its first steps (nothing here may wait on the
    // banner staying: the small world loads in seconds).
    await page.getByText(/演示数据正在后台加载：.+，\d+\/\d+ 步/).waitFor({ timeout: 60_000 });
    await e.shot(page, 'demo-world-loading-live-zh');

    const [code] = (await exited) as [number | null];
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.goto(`${e.baseUrl}/`);
    await byTestId(page, 'brand').waitFor();
    expect(await banner.count()).toBe(0);

    // The banner's content, held still: a load half-way through its trades, as the seeder records it.
    const marker = { _id: 'demo-seed' };
    await meta.updateOne(marker, {
      $set: { beatAt: new Date(), progress: { phase: 'trades', done: 50, total: 100, at: '2026-06-01T04:00:00Z' } },
      $unset: { doneAt: '', failedAt: '' },
    });
    await page.goto(`${e.baseUrl}/targets`); // any page: the banner is in the layout
    await page.getByText('演示数据正在后台加载：交易与结算，50/100 步，历史已到 2026/06/01（50%）').waitFor();
    expect(await banner.getAttribute('data-percent')).toBe('50');
    expect(await page.locator('progress.demo-world-banner__bar').getAttribute('value')).toBe('50');
    await bothLanguages(e, page, 'demo-world-loading', () =>
      page.getByText(/(交易与结算，50\/100 步|trades and settlement, step 50 of 100)/).waitFor(),
    );

    // A load whose seeder stopped beating says what to do instead.
    await meta.updateOne(marker, { $set: { beatAt: new Date(Date.now() - 10 * 60_000) } });
    await page.reload();
    await byTestId(page, 'demo-world-interrupted').waitFor();
    expect(await banner.count()).toBe(0);
    await e.shot(page, 'demo-world-interrupted-zh');
    await page.close();
  });
});
