import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { makeActor, randomCreditCode, TEST_PASSWORD } from '../helpers/factories';
import { useE2E } from './browser';
import { byTestId, freshEmail, register, signIn, visibleText } from './steps';

/*
 * The whole flow across roles, every step through the web client: the authority registers a
 * resource from a sample and authorizes an operator; the operator lists a product; the exchange
 * approves it; a buyer orders and pays by bank transfer; the exchange confirms the transfer; the
 * buyer downloads the data; the regulator verifies the ledger and the targets count the trade.
 */

const e = useE2E();

const RESOURCE_SAMPLE = Buffer.from(
  '站点,日期,客流量\n郑州东站,2026-01-01,12345\n二七广场,2026-01-01,8800\n紫荆山,2026-01-01,9100\n',
  'utf8',
);
const LISTING_SAMPLE = Buffer.from('站点,日期,客流量\n郑州东站,2026-01-01,12345\n二七广场,2026-01-01,8800\n', 'utf8');
const DATA_FILE = Buffer.from(
  [
    '站点,日期,客流量',
    ...['郑州东站', '二七广场', '紫荆山', '郑州火车站', '会展中心'].flatMap((station, i) =>
      ['2026-01-01', '2026-01-02', '2026-01-03'].map((day, j) => `${station},${day},${8000 + i * 731 + j * 97}`),
    ),
  ].join('\n') + '\n',
  'utf8',
);
const PRICE_YUAN = '800';
const QUANTITY = 2;
const AMOUNT_TEXT = '¥1,600.00';
/** An order whose payment has settled (delivery may already have been recorded). */
const SETTLED = ':is([data-status="paid"], [data-status="delivered"])';

/** What one step learns and a later one needs. */
const s = {} as {
  authorityPage: Page;
  providerPage: Page;
  exchangePage: Page;
  buyerPage: Page;
  regulatorPage: Page;
  providerOrgId: string;
  resourceId: string;
  authorizationId: string;
  listingId: string;
  listingCode: string;
  orderId: string;
  bankReference: string;
};

const selectFile = (name: string, buffer: Buffer) => ({ name, mimeType: 'text/csv', buffer });

describe('the marketplace flow in the browser', () => {
  test('when an operator registers itself, then its console shows the organisation id the authority needs', async () => {
    s.providerPage = await e.newPage();
    await register(e, s.providerPage, {
      role: 'provider',
      email: freshEmail('provider'),
      password: TEST_PASSWORD,
      displayName: '李运营',
      orgName: '中原交通数据科技有限公司',
      creditCode: randomCreditCode(),
    });
    const orgId = await visibleText(byTestId(s.providerPage, 'provider-org-id').locator('.code'));
    expect(orgId).toMatch(/^[0-9a-f]{24}$/);
    s.providerOrgId = orgId;
  });

  test('when the authority creates a resource and uploads its sample, then the scan is shown field by field and registration issues a certificate', async () => {
    const authority = await makeActor(e.config, 'authority', { orgName: '河南省数据局' });
    const page = (s.authorityPage = await e.newPage());
    await signIn(e, page, authority.user.email, 'authority');

    await byTestId(page, 'resource-new').click();
    await byTestId(page, 'resource-name').fill('郑州市公交站点客流数据');
    await byTestId(page, 'resource-holder').fill('郑州市交通运输局');
    await byTestId(page, 'resource-region').fill('410100');
    await byTestId(page, 'resource-record-count').fill('36500');
    const fieldNames = byTestId(page, 'resource-field-name');
    await fieldNames.nth(0).fill('站点');
    await byTestId(page, 'resource-add-field').click();
    await fieldNames.nth(1).fill('日期');
    await byTestId(page, 'resource-add-field').click();
    await fieldNames.nth(2).fill('客流量');
    await byTestId(page, 'resource-submit').click();
    await page.waitForURL(/\/resources\/[0-9a-f]{24}$/);
    s.resourceId = new URL(page.url()).pathname.split('/').pop()!;

    await byTestId(page, 'sample-file').setInputFiles(selectFile('bus-resource-sample.csv', RESOURCE_SAMPLE));
    await byTestId(page, 'sample-upload').click();
    await byTestId(page, 'scan-table').waitFor();
    // The upload showed its progress (XHR upload events), full once sent and scanned.
    expect(await byTestId(page, 'upload-progress').evaluate((el) => (el as unknown as { value: number }).value)).toBe(
      1,
    );
    const rows = byTestId(page, 'scan-field-row');
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-field')))).toEqual([
      '站点',
      '日期',
      '客流量',
    ]);
    const proposed = byTestId(page, 'scan-proposed');
    expect(await proposed.getAttribute('data-grade')).toBe('general');
    expect(await proposed.getAttribute('data-level')).toBe('L1');
    await e.shot(page, 'scan-result');

    await byTestId(page, 'register-resource-submit').click();
    expect(await visibleText(byTestId(page, 'certificate-number'))).not.toBe('');
    await byTestId(page, 'resource-detail', { status: 'registered' }).waitFor();
    expect(await page.locator('.breadcrumb').innerText()).toMatch(/DR-410100-\d{4}-\d{6}/);
  });

  test('when the authority grants the operator an authorization over the resource, then it is listed as active', async () => {
    const page = s.authorityPage;
    await byTestId(page, 'nav-authorizations').click();
    await byTestId(page, 'authz-new').click();
    await byTestId(page, 'grant-operator').fill(s.providerOrgId);
    await byTestId(page, 'grant-resource', { id: s.resourceId }).check();
    await byTestId(page, 'grant-purpose').fill('公交客流分析产品开发与运营');
    await byTestId(page, 'grant-cap-one_time').fill('1000');
    const firstDay = await byTestId(page, 'grant-valid-from').inputValue();
    const lastDay = await byTestId(page, 'grant-valid-to').inputValue();
    await byTestId(page, 'grant-submit').click();
    const row = byTestId(page, 'authz-row', { status: 'active' });
    await row.waitFor();
    expect(await row.innerText()).toContain('中原交通数据科技有限公司');
    s.authorizationId = (await row.getAttribute('data-id'))!;

    // The term is whole Shanghai days (in force from 00:00 of the first), whatever the hour of the grant.
    const stored = await AuthorizationModel.findById(s.authorizationId).lean();
    expect(stored?.validFrom).toEqual(new Date(`${firstDay}T00:00:00+08:00`));
    expect(stored?.validTo).toEqual(new Date(`${lastDay}T23:59:59.999+08:00`));
  });

  test('when the operator creates a product under the authorization, uploads its files and submits it, then every rule passes and it waits for review', async () => {
    const page = s.providerPage;
    await byTestId(page, 'listing-new').click();
    await byTestId(page, 'listing-title').fill('郑州公交站点客流日报');
    await byTestId(page, 'listing-summary').fill('按站点汇总的每日公交客流，适合交通规划与商业选址分析。');
    await byTestId(page, 'listing-authorization').selectOption(s.authorizationId);
    await byTestId(page, 'listing-source', { id: s.resourceId }).check();
    await byTestId(page, 'listing-price').fill(PRICE_YUAN);
    await byTestId(page, 'listing-save').click();
    await page.waitForURL(/\/provider$/);

    const row = byTestId(page, 'provider-listing-row', { status: 'draft' });
    await row.waitFor();
    s.listingId = (await row.getAttribute('data-id'))!;
    await byTestId(row, 'listing-files').click();
    await byTestId(row, 'listing-sample-file').setInputFiles(selectFile('bus-sample.csv', LISTING_SAMPLE));
    await byTestId(row, 'listing-sample-upload').click();
    await row.getByText('bus-sample.csv').waitFor();
    await byTestId(row, 'listing-data-file').setInputFiles(selectFile('bus-daily.csv', DATA_FILE));
    await byTestId(row, 'listing-data-upload').click();
    await row.getByText('bus-daily.csv').waitFor();

    await byTestId(row, 'listing-submit').click();
    await byTestId(page, 'submit-checklist').waitFor();
    expect(await byTestId(page, 'rule', { ok: 'false' }).count()).toBe(0);
    expect(await byTestId(page, 'rule', { ok: 'true' }).count()).toBeGreaterThanOrEqual(9);
    await byTestId(page, 'provider-listing-row', { id: s.listingId, status: 'pending_review' }).waitFor();
  });

  test('when the exchange approves the product in its review queue, then it gets a listing code', async () => {
    const exchange = await makeActor(e.config, 'exchange', { orgName: '郑州数据交易中心' });
    const page = (s.exchangePage = await e.newPage());
    await signIn(e, page, exchange.user.email, 'exchange');
    const item = byTestId(page, 'review-item', { id: s.listingId });
    await item.waitFor();
    await e.shot(page, 'review-queue');

    await byTestId(item, 'review-approve').click();
    const approved = await visibleText(byTestId(item, 'review-approved'));
    const code = /ZDEC-\d{4}-\d{6}/.exec(approved)?.[0];
    expect(code).toBeDefined();
    s.listingCode = code!;
    expect(await item.getAttribute('data-decision')).toBe('approve');
  });

  test('when a buyer registers, finds the product in the catalog and orders it by bank transfer, then the order shows the transfer instructions', async () => {
    const page = (s.buyerPage = await e.newPage());
    await register(e, page, {
      role: 'buyer',
      email: freshEmail('buyer'),
      password: TEST_PASSWORD,
      displayName: '王采购',
      orgName: '郑州智慧物流有限公司',
      creditCode: randomCreditCode(),
    });
    const card = byTestId(page, 'listing-card', { id: s.listingId });
    await card.waitFor();
    expect(await card.getAttribute('data-code')).toBe(s.listingCode);
    await e.shot(page, 'catalog');

    // Catalog facets (issue 11): choosing the product's domain keeps it and marks the facet chosen.
    const domain = (await ListingModel.findById(s.listingId, { domains: 1 }).lean())!.domains[0]!;
    const facet = byTestId(byTestId(page, 'facet-domain'), 'facet-value', { value: domain });
    expect(Number(await facet.locator('.facets__count').innerText())).toBeGreaterThanOrEqual(1);
    await facet.click();
    await page.waitForURL(new RegExp(`domain=${domain}`));
    await byTestId(page, 'facet-domain').locator('[aria-pressed="true"]').waitFor();
    await card.waitFor();
    await e.shot(page, 'catalog-facets');

    await byTestId(card, 'listing-link').click();
    await byTestId(page, 'buy-form').waitFor();
    expect(await visibleText(byTestId(page, 'listing-code'))).toBe(s.listingCode);
    await e.shot(page, 'listing-detail');

    await byTestId(page, 'buy-quantity').fill(String(QUANTITY));
    await byTestId(page, 'buy-method-bank_transfer').check();
    await byTestId(page, 'buy-button').click();
    await page.waitForURL(/\/orders\/[0-9a-f]{24}$/);
    s.orderId = new URL(page.url()).pathname.split('/').pop()!;
    s.bankReference = await visibleText(byTestId(page, 'bank-reference'));
    expect(s.bankReference.length).toBeGreaterThanOrEqual(4);
    expect(await visibleText(byTestId(page, 'order-amount'))).toBe(AMOUNT_TEXT);
    expect(await byTestId(page, 'order-detail').getAttribute('data-status')).toBe('pending_payment');
    await e.shot(page, 'order-bank-transfer');
  });

  test("when the exchange's clearing desk confirms the transfer with its reference, then the order is settled", async () => {
    // Separation of duties: the reviewer who approved the product may not confirm payments.
    const clearing = await makeActor(e.config, 'exchange', { orgName: '郑州数据交易中心', duty: 'clearing' });
    const page = (s.exchangePage = await e.newPage());
    await signIn(e, page, clearing.user.email, 'exchange');
    await byTestId(page, 'exchange-orders-link').click();
    const row = byTestId(page, 'order-row', { id: s.orderId, status: 'pending_payment' });
    await row.waitFor();
    await byTestId(row, 'order-confirm').click();
    await byTestId(page, 'confirm-reference').fill(s.bankReference);
    expect(await byTestId(page, 'confirm-amount').inputValue()).toBe('1600.00');
    await byTestId(page, 'confirm-submit').click();
    // Settled, the order leaves the list of transfers awaiting confirmation…
    await row.waitFor({ state: 'detached' });
    // …and shows as paid among all orders.
    await byTestId(page, 'orders-status-filter').selectOption('');
    await page.locator(`${SETTLED}[data-testid="order-row"][data-id="${s.orderId}"]`).waitFor();
  });

  test('when the buyer asks for delivery, then the file downloaded is the data file the operator uploaded', async () => {
    const page = s.buyerPage;
    await page.reload();
    await page.locator(`${SETTLED}[data-testid="order-detail"]`).waitFor();
    await byTestId(page, 'delivery-load').click();
    const link = byTestId(page, 'delivery-download');
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('bus-daily.csv');
    const bytes = await fs.readFile(await download.path());
    expect(bytes.equals(DATA_FILE)).toBe(true);
  });

  test('when the regulator verifies the ledger, then the chain is intact and holds the listing and the trade', async () => {
    const regulator = await makeActor(e.config, 'regulator', { orgName: '河南省数据交易监管办公室' });
    const page = (s.regulatorPage = await e.newPage());
    await signIn(e, page, regulator.user.email, 'regulator');
    await byTestId(page, 'ledger-table').waitFor();
    await byTestId(page, 'ledger-verify').click();
    const result = byTestId(page, 'verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.getAttribute('data-first-broken-seq')).toBe('');

    const types = await byTestId(page, 'ledger-row').evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-type')),
    );
    expect([...types].sort()).toEqual(
      ['authorization.granted', 'listing.listed', 'resource.registered', 'trade.settled'].sort(),
    );
    const trade = byTestId(page, 'ledger-row', { type: 'trade.settled' });
    expect(await trade.innerText()).toContain(AMOUNT_TEXT);
    expect(await byTestId(page, 'ledger-row', { type: 'listing.listed' }).innerText()).toContain(s.listingCode);
    expect(await visibleText(byTestId(page, 'verify-head-seq'))).toBe('4');
    await e.shot(page, 'ledger-verified');
  });

  test('when anyone opens the targets page, then the KPIs count the new listing and the trade volume', async () => {
    const page = s.regulatorPage;
    await byTestId(page, 'nav-targets').click();
    const listings = byTestId(page, 'kpi-listings');
    expect(await visibleText(listings.locator('.kpi__value'))).toBe('1');
    expect(await visibleText(byTestId(page, 'kpi-volume').locator('.kpi__value'))).toBe(AMOUNT_TEXT);
    await byTestId(page, 'chart-volume').locator('canvas').waitFor();
    await e.shot(page, 'targets');
  });

  test('when the catalog is opened on a phone, then the product is shown in a single column', async () => {
    const page = await e.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(e.baseUrl);
    const card = byTestId(page, 'listing-card', { id: s.listingId });
    await card.waitFor();
    const box = await card.boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await e.shot(page, 'catalog-phone');
  });
});
