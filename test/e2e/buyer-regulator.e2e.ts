import fs from 'node:fs/promises';
import supertest from 'supertest';
import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { makeWorld, type World } from '../listings/world';
import { dossierProduct } from '../products/fixtures';
import { boughtByTransfer } from '../trade/fixtures';
import { useE2E } from './browser';
import { bothLanguages, byTestId, signIn, visibleText } from './steps';

/*
 * Issue 16 items 1–2 in the browser. A buyer judges a product before paying (its dossier), watches
 * it, and compares two products; a regulator reads the ledger by organisation names, filters by a
 * suggested organisation, exports with progress, drills from an entry to its order, and reads and
 * exports the supervision views. The products and trades are prepared through the HTTP API; every
 * screen is photographed in Chinese and in English.
 */

const e = useE2E();
let w: World;
let buyerY: Actor;
const s = {} as {
  listingA: string;
  listingB: string;
  certA: string;
  authA: string;
  buyerPage: Page;
  regulatorPage: Page;
};

beforeAll(async () => {
  const api = { http: supertest(e.baseUrl) } as TestApp;
  w = await makeWorld(e.config);
  buyerY = await makeActor(e.config, 'buyer', { orgName: '豫禾农业保险股份有限公司' });
  const clearing = await makeActor(e.config, 'exchange', { duty: 'clearing' }); // confirms the transfers
  const a = await dossierProduct(api, w, w.provider, { title: '郑州公交客流日报', priceFen: 50_000 });
  const b = await dossierProduct(api, w, w.otherProvider, {
    title: '郑州公交站点周报',
    priceFen: 95_000,
    feeCaps: { one_time: 100_000 },
    sourceName: '郑州市公交站点数据',
  });
  s.listingA = a.listingId;
  s.listingB = b.listingId;
  s.certA = a.source.registrationNumber!;
  s.authA = a.auth.number;
  for (let i = 1; i <= 3; i++) {
    await boughtByTransfer(api, { provider: w.provider, buyer: w.buyer, exchange: clearing }, s.listingA, i);
  }
  await boughtByTransfer(api, { provider: w.otherProvider, buyer: buyerY, exchange: clearing }, s.listingB);
}, 120_000);

describe('a buyer judges products before paying', () => {
  test('when a buyer opens a listed product, then its dossier shows dictionary, size, coverage, masked sample, review, authorization and certificates', async () => {
    const page = (s.buyerPage = await e.newPage());
    await signIn(e, page, w.buyer.user.email, 'buyer');
    await page.goto(`${e.baseUrl}/listings/${s.listingA}`);
    await byTestId(page, 'dossier').waitFor();

    const phone = byTestId(page, 'dictionary-field', { field: '联系电话' });
    expect(await phone.getAttribute('data-level')).toBe('L3');
    expect(await visibleText(phone)).toContain('站务联系电话');
    expect(await byTestId(page, 'dictionary-field').count()).toBe(4);
    expect(await visibleText(byTestId(page, 'dossier-records'))).toBe('365,000');
    expect(await visibleText(byTestId(page, 'dossier-frequency'))).toBe('每日');
    expect(await visibleText(byTestId(page, 'dossier-coverage'))).toContain('2026-01-01 – 2026-03-29');
    expect(await byTestId(page, 'sample-row').count()).toBe(20);
    expect(await visibleText(byTestId(page, 'sample-row').first())).toContain('站点1');
    expect(await byTestId(page, 'sample-download').getAttribute('href')).toBe(`/api/v1/listings/${s.listingA}/sample`);
    expect(await visibleText(byTestId(page, 'reviewed-at'))).toMatch(/\d{4}/);
    const rules = byTestId(byTestId(page, 'dossier-rules'), 'rule');
    expect(await rules.count()).toBeGreaterThanOrEqual(5);
    expect(await byTestId(byTestId(page, 'dossier-rules'), 'rule', { ok: 'false' }).count()).toBe(0);
    expect(await visibleText(byTestId(page, 'auth-number'))).toBe(s.authA);
    expect(await visibleText(byTestId(page, 'auth-operator'))).toContain(w.provider.org.creditCode);
    expect(await byTestId(page, 'certificate', { number: s.certA }).count()).toBe(1);
    expect(await page.content()).not.toContain('13812345678'); // the source's raw values never reach the page

    await bothLanguages(e, page, 'listing-dossier', () => byTestId(page, 'dossier-rules').waitFor());
  });

  test('when the buyer watches the product, then it stays watched after a reload and appears on the watch list', async () => {
    const page = s.buyerPage;
    await byTestId(page, 'watch-toggle', { watched: 'false' }).click();
    await byTestId(page, 'watch-toggle', { watched: 'true' }).waitFor();
    await page.reload();
    await byTestId(page, 'watch-toggle', { watched: 'true' }).waitFor();

    await byTestId(page, 'nav-watchlist').click();
    const row = byTestId(page, 'watch-row', { id: s.listingA, available: 'true' });
    expect(await visibleText(row)).toContain('郑州公交客流日报');
    await bothLanguages(e, page, 'watchlist', () => row.waitFor());
  });

  test('when the buyer adds two products to the comparison, then they stand side by side', async () => {
    const page = s.buyerPage;
    for (const id of [s.listingA, s.listingB]) {
      await page.goto(`${e.baseUrl}/listings/${id}`);
      await byTestId(page, 'compare-toggle', { 'in-compare': 'false' }).click();
      await byTestId(page, 'compare-toggle', { 'in-compare': 'true' }).waitFor();
    }
    await byTestId(page, 'compare-open').click();
    const table = byTestId(page, 'compare-table');
    await table.waitFor();
    expect(await byTestId(table, 'compare-column').count()).toBe(2);
    const text = await visibleText(table);
    expect(text).toContain('郑州公交客流日报');
    expect(text).toContain('郑州公交站点周报');
    expect(text).toContain(s.certA);
    expect(text).toContain('¥500.00');
    expect(text).toContain('¥950.00');
    await bothLanguages(e, page, 'compare', () => table.waitFor());
  });
});

describe('a regulator supervises by names and credit codes', () => {
  test('when the regulator opens the ledger, then organisations show by name with their credit codes, and a suggested organisation filters it', async () => {
    const page = (s.regulatorPage = await e.newPage());
    await signIn(e, page, w.regulator.user.email, 'regulator');
    await page.goto(`${e.baseUrl}/ledger`);
    await byTestId(page, 'ledger-row').first().waitFor();
    const buyerCell = byTestId(page, 'ledger-org-name', { 'org-id': w.buyer.org.id }).first();
    // The names come in one lookup after the rows (GET /orgs): wait for it before reading the cells.
    await buyerCell.filter({ hasText: w.buyer.org.name }).waitFor();
    expect(await visibleText(buyerCell)).toContain(w.buyer.org.creditCode);
    expect(await page.content()).not.toMatch(/…[0-9a-f]{6}</);

    await byTestId(page, 'ledger-org').fill(w.buyer.org.creditCode.slice(0, 10));
    await byTestId(page, 'org-suggestion', { 'credit-code': w.buyer.org.creditCode }).click();
    expect(await visibleText(byTestId(page, 'ledger-org-selected'))).toContain(w.buyer.org.creditCode);
    await byTestId(page, 'ledger-apply').click();
    await page.waitForURL((u) => u.searchParams.get('org') === w.buyer.org.id);
    await byTestId(page, 'ledger-total').filter({ hasText: '共 3 条' }).waitFor();
    const rows = byTestId(page, 'ledger-row');
    expect(await rows.count()).toBe(3);
    for (const row of await rows.all()) expect(await row.getAttribute('data-type')).toBe('trade.settled');

    await bothLanguages(e, page, 'ledger-names', () => byTestId(page, 'ledger-row').first().waitFor());
  });

  test('when the filtered ledger is exported, then progress is shown and the CSV (with BOM) holds exactly those trades', async () => {
    const page = s.regulatorPage;
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'ledger-export').click()]);
    await byTestId(page, 'ledger-export-progress', { done: 'true' }).waitFor();
    const bytes = await fs.readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes(w.buyer.org.id))).toBe(true);
  });

  test('when the regulator opens an entry, then it names both organisations and drills into the order', async () => {
    const page = s.regulatorPage;
    await byTestId(page, 'ledger-entry-link').first().click();
    await byTestId(page, 'ledger-entry').waitFor();
    const orgs = await visibleText(byTestId(page, 'entry-orgs'));
    expect(orgs).toContain(w.buyer.org.name);
    expect(orgs).toContain(w.provider.org.creditCode);
    await byTestId(page, 'entry-listing-open').waitFor();
    await bothLanguages(e, page, 'ledger-entry', () => byTestId(page, 'entry-order-open').waitFor());
    await byTestId(page, 'entry-order-open').click();
    await page.waitForURL(/\/orders\/[0-9a-f]{24}$/);
  });

  test('when the regulator opens the supervision views, then every figure says it comes from the ledger, repeated trades and near-cap prices are listed, and a view exports as XLSX', async () => {
    const page = s.regulatorPage;
    await byTestId(page, 'nav-supervision').click();
    await byTestId(page, 'sup-basis').waitFor();
    expect(await visibleText(byTestId(page, 'sup-basis'))).toContain('交易台账');
    // 500 × (1 + 2 + 3) + 950
    expect(await visibleText(byTestId(page, 'sup-total-volume'))).toBe('¥3,950.00');
    const pair = byTestId(page, 'sup-pair-row');
    expect(await pair.count()).toBe(1);
    expect(await visibleText(pair)).toContain(w.buyer.org.name);
    expect(await visibleText(byTestId(page, 'sup-near-cap-row'))).toContain('95%');
    expect(await byTestId(page, 'sup-view-byOrg').getAttribute('data-rows')).toBe('4');
    await bothLanguages(e, page, 'supervision', () => byTestId(page, 'sup-table-byOrg').waitFor());

    // Filter by the insurer's credit code typed in full, without picking a suggestion.
    await byTestId(page, 'sup-org').fill(buyerY.org.creditCode);
    await byTestId(page, 'sup-apply').click();
    await page.waitForURL((u) => u.searchParams.get('org') === buyerY.org.id);
    await byTestId(page, 'sup-total-volume').filter({ hasText: '¥950.00' }).waitFor();
    expect(await visibleText(byTestId(page, 'sup-basis'))).toContain(buyerY.org.creditCode);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId(page, 'sup-export-byOrg-xlsx').click(),
    ]);
    await byTestId(page, 'sup-export-byOrg-xlsx-progress', { done: 'true' }).waitFor();
    expect(download.suggestedFilename()).toMatch(/^zdec-supervision-byOrg-seq\d+\.xlsx$/);
    const bytes = await fs.readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: the XLSX container
  });
});
