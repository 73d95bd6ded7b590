import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../server/src/app';
import { loadConfig, type Config } from '../../server/src/config';
import { connectTestDb, dropTestDb } from '../helpers/app';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  Boolean,
) as string[];

/** Debian's Chromium (never a downloaded browser). */
export function chromiumPath(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error('Chromium not found: install it with `apt-get install chromium` (or set CHROMIUM_PATH)');
  }
  return found;
}

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/screenshots');

export interface E2E {
  config: Config;
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
}

/** Starts the real app on 127.0.0.1 (own database) and a headless Chromium for one test file. */
export function useE2E(env: Record<string, string> = {}): E2E {
  const e = {} as E2E;
  let server: http.Server;
  beforeAll(async () => {
    e.config = loadConfig({ ...process.env, ...env });
    await connectTestDb();
    server = http.createServer(createApp({ config: e.config }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    e.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    e.browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    e.newPage = async () => {
      const page = await e.browser.newPage({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      page.setDefaultTimeout(15_000);
      return page;
    };
    e.shot = async (page, name) => {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    };
  });
  afterAll(async () => {
    await e.browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await dropTestDb();
  });
  return e;
}
