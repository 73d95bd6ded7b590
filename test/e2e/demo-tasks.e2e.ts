import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, ORGS } from '../../seeds/data/orgs';
import { seedDemoWorld } from '../../seeds/world';
import { useE2E } from './browser';
import { bothLanguages, byTestId, signIn, visibleText } from './steps';

/*
 * Issue 16 item 5 in the browser: the small demo world is loaded through the services, and each role
 * does the first task the README's demo table names, on the page it names, signed in with the
 * README's password — the reviewer approves a pending listing, the buyer asks for a refund, clearing
 * staff confirm a waiting transfer and decide both refund requests (decline one, refund the other),
 * the authority rules on the objection to the registration under notice, the regulator finds an
 * organisation's trades by its credit code and exports them. Every page visited is photographed in
 * Chinese and in English.
 */

const e = useE2E();
const s = {} as { buyerOrder: string };
const creditCode = (key: string) => ORGS.find((o) => o.key === key)!.creditCode;

beforeAll(async () => {
  const world = await seedDemoWorld({ config: e.config, scale: 'small' });
  expect(world.seeded).toBe(true);
}, 240_000);

async function signedIn(email: string, role: Parameters<typeof signIn>[3]): Promise<Page> {
  const page = await e.newPage();
  await signIn(e, page, email, role, DEMO_PASSWORD);
  return page;
}

describe('the demo world: each role does its first task from the README', () => {
  test('when exchange@ opens 挂牌审核, then the products submitted in the last days wait there and one is approved', async () => {
    const page = await signedIn('exchange@demo.zdec.cn', 'exchange');
    await page.goto(`${e.baseUrl}/exchange`);
    const items = byTestId(page, 'review-item');
    await items.first().waitFor();
    expect(await items.count()).toBe(3);
    await bothLanguages(e, page, 'demo-review-queue', () => items.first().waitFor());

    const first = items.first();
    await byTestId(first, 'review-approve').click();
    expect(await visibleText(byTestId(first, 'review-approved'))).toMatch(/ZDEC-\d{4}-\d{6}/);
    await bothLanguages(e, page, 'demo-review-approved', () => byTestId(first, 'review-approved').waitFor());
    await page.close();
  });

  test('when buyer@ opens a delivered order, then it requests a refund with a reason and sees the request open', async () => {
    const page = await signedIn('buyer@demo.zdec.cn', 'buyer');
    await page.goto(`${e.baseUrl}/orders?status=delivered`);
    const row = byTestId(page, 'order-row', { status: 'delivered' }).first();
    await row.waitFor();
    await bothLanguages(e, page, 'demo-buyer-orders', () => row.waitFor());
    await byTestId(row, 'order-link').click();
    const detail = byTestId(page, 'order-detail', { status: 'delivered' });
    await detail.waitFor();
    s.buyerOrder = (await detail.getAttribute('data-id'))!;

    await byTestId(page, 'refund-request-open').click();
    await byTestId(page, 'refund-request-submit').click(); // no reason: the form says so, nothing is sent
    await byTestId(page, 'field-error', { path: 'body.reason' }).waitFor();
    await byTestId(page, 'refund-request-reason').fill('接口返回字段与产品说明不一致，业务系统无法对接，申请退款');
    await byTestId(page, 'refund-request-submit').click();
    const state = byTestId(page, 'refund-request-state', { status: 'open' });
    expect(await visibleText(state)).toContain('无法对接');
    await bothLanguages(e, page, 'demo-buyer-refund-requested', () => state.waitFor());
    await page.close();
  });

  test('when clearing@ works its queues, then a waiting transfer is confirmed and both refund requests are decided', async () => {
    const page = await signedIn('clearing@demo.zdec.cn', 'exchange');
    await page.goto(`${e.baseUrl}/orders?status=pending_payment`);
    const waiting = byTestId(page, 'order-row', { status: 'pending_payment' });
    await waiting.first().waitFor();
    expect(await waiting.count()).toBeGreaterThanOrEqual(3);
    await bothLanguages(e, page, 'demo-clearing-transfers', () => waiting.first().waitFor());

    const id = (await waiting.first().getAttribute('data-id'))!;
    await byTestId(waiting.first(), 'order-confirm').click();
    await byTestId(page, 'confirm-reference').fill('ZYB20261202000901');
    await byTestId(page, 'confirm-submit').click();
    await byTestId(page, 'order-row', { id }).waitFor({ state: 'detached' });

    // 退款申请: the insurer's request from the history and the buyer's from the test before.
    await byTestId(page, 'nav-refund-requests').click();
    const rows = byTestId(page, 'refund-request-row', { status: 'open' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    await bothLanguages(e, page, 'demo-refund-queue', () => rows.first().waitFor());

    const buyers = byTestId(page, 'refund-request-row', { order: s.buyerOrder });
    await byTestId(buyers, 'refund-request-decline').click();
    await byTestId(page, 'refund-decline-reason').fill(
      '经核实接口按产品说明正常返回，请按接入文档配置字段映射；不符合退款条件',
    );
    await bothLanguages(e, page, 'demo-refund-decline-form', () => byTestId(page, 'refund-decline-form').waitFor());
    await byTestId(page, 'refund-decline-submit').click();
    await buyers.waitFor({ state: 'detached' });

    const insurers = rows.first();
    await byTestId(insurers, 'refund-request-refund').click();
    await byTestId(page, 'refund-reason').fill('数据未按约定更新，同意全额退款');
    await byTestId(page, 'refund-submit').click(); // an order paid by transfer needs the refund's reference
    await byTestId(page, 'field-error', { path: 'body.bankReference' }).waitFor();
    await byTestId(page, 'refund-bank-reference').fill('ZYBTK202612020001');
    await byTestId(page, 'refund-submit').click();
    await rows.first().waitFor({ state: 'detached' });
    expect(await visibleText(byTestId(page, 'refund-requests-page'))).toContain('没有待处理的退款申请');

    await byTestId(page, 'refund-requests-tab-all').click();
    await byTestId(page, 'refund-request-row', { status: 'refunded' }).waitFor();
    await byTestId(page, 'refund-request-row', { status: 'declined' }).waitFor();
    await bothLanguages(e, page, 'demo-refund-decided', () => byTestId(page, 'refund-requests-table').waitFor());
    await page.close();
  });

  test('when buyer@ opens its order again, then the request shows as declined with the clearing desk’s reasons', async () => {
    const page = await signedIn('buyer@demo.zdec.cn', 'buyer');
    await page.goto(`${e.baseUrl}/orders/${s.buyerOrder}`);
    const state = byTestId(page, 'refund-request-state', { status: 'declined' });
    expect(await visibleText(state)).toContain('不符合退款条件');
    await byTestId(page, 'refund-request-open').waitFor(); // it may ask again
    await bothLanguages(e, page, 'demo-buyer-refund-declined', () => state.waitFor());
    await page.close();
  });

  test('when authority@ opens 登记公示, then it rules on the objection, and the earlier registration shows its certificate', async () => {
    const page = await signedIn('authority@demo.zdec.cn', 'authority');
    await page.goto(`${e.baseUrl}/notices`);
    const pending = byTestId(page, 'pending-objection');
    expect(await visibleText(pending)).toContain('河南省农村公路路况巡查数据');
    await bothLanguages(e, page, 'demo-notices', () => pending.waitFor());

    await pending.locator('a').click();
    await byTestId(page, 'notice-detail', { status: 'publicizing' }).waitFor();
    await byTestId(page, 'ruling-dismiss').check();
    await byTestId(page, 'ruling-reasons').fill(
      '经核实，巡查数据由省交通运输厅依职责组织采集，受托采集不改变数据权属，异议不成立',
    );
    await byTestId(page, 'ruling-submit').click();
    await byTestId(page, 'objection', { status: 'dismissed' }).waitFor();
    expect(await visibleText(byTestId(page, 'objection-ruling'))).toContain('异议不成立');
    await bothLanguages(e, page, 'demo-notice-ruled', () => byTestId(page, 'objection-ruling').waitFor());

    await page.goto(`${e.baseUrl}/notices`);
    await byTestId(page, 'notices-tab-certified').click();
    const certified = byTestId(page, 'notice-row').filter({ hasText: '郑州市公共停车场泊位实时数据' });
    await certified.waitFor();
    await certified.locator('a').first().click();
    await byTestId(page, 'notice-detail', { status: 'certified' }).waitFor();
    await byTestId(page, 'objection', { status: 'dismissed' }).waitFor();
    await bothLanguages(e, page, 'demo-notice-certified', () => byTestId(page, 'objection-ruling').waitFor());
    await page.close();
  });

  test('when regulator@ types a credit code on 监管分析, then it sees that organisation’s trades and exports them', async () => {
    const page = await signedIn('regulator@demo.zdec.cn', 'regulator');
    await byTestId(page, 'nav-supervision').click();
    await byTestId(page, 'sup-basis').waitFor();
    const code = creditCode('logistics');
    await byTestId(page, 'sup-org').fill(code);
    await byTestId(page, 'sup-apply').click();
    await page.waitForURL((u) => u.searchParams.has('org'));
    await byTestId(page, 'sup-basis').filter({ hasText: code }).waitFor();
    await bothLanguages(e, page, 'demo-supervision-org', () => byTestId(page, 'sup-basis').waitFor());

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId(page, 'sup-export-byOrg-csv').click(),
    ]);
    await byTestId(page, 'sup-export-byOrg-csv-progress', { done: 'true' }).waitFor();
    const text = (await fs.readFile((await download.path())!)).toString('utf8');
    expect(text).toContain('河南中原智慧物流有限公司');
    await page.close();
  });

  test('when provider@ opens 我的产品, then the product sent back waits there with its status', async () => {
    const page = await signedIn('provider@demo.zdec.cn', 'provider');
    await page.goto(`${e.baseUrl}/provider`);
    const rejected = page.locator('[data-testid="status-badge"][data-value="rejected"]');
    await rejected.first().waitFor();
    await bothLanguages(e, page, 'demo-provider-listings', () => rejected.first().waitFor());
    await page.close();
  });
});
