import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import mongoose from 'mongoose';
import { useE2E } from './browser';
import { byTestId } from './steps';

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
    // Shown with a step count once the seeder reports its first steps.
    await page.getByText(/演示数据正在后台加载：.+步/).waitFor({ timeout: 60_000 });
    expect(Number(await banner.getAttribute('data-percent'))).toBeGreaterThanOrEqual(0);
    await expect(page.locator('progress.demo-world-banner__bar').count()).resolves.toBe(1);
    await e.shot(page, 'demo-world-loading-zh');
    await byTestId(page, 'lang-toggle').click();
    await page.getByText(/The demo world is loading in the background: .+ step \d+ of \d+/).waitFor();
    await e.shot(page, 'demo-world-loading-en');

    // Another page while it loads: the banner is in the layout, so it is there too.
    await page.goto(`${e.baseUrl}/targets`);
    await banner.waitFor({ timeout: 30_000 }).catch(() => undefined); // it may have finished meanwhile

    const [code] = (await exited) as [number | null];
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.goto(`${e.baseUrl}/`);
    await byTestId(page, 'brand').waitFor();
    expect(await banner.count()).toBe(0);
    await page.close();
  });
});
