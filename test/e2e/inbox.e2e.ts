import { ListingCreateBody } from '@zdec/shared';
import * as authorizations from '../../server/src/modules/authorizations/authorizations.service';
import * as listings from '../../server/src/modules/listings/listings.service';
import * as listingFiles from '../../server/src/modules/listings/listings.files';
import * as listingReview from '../../server/src/modules/listings/listings.review';
import { NotificationModel } from '../../server/src/modules/notifications/notification.model';
import { makeActor, type Actor } from '../helpers/factories';
import { CLEAN_CSV, daysFromNow, makeResource } from '../listings/world';
import { principalOf } from '../reliability/registration-world';
import { useE2E } from './browser';
import { byTestId, signIn, visibleText } from './steps';

/*
 * Issue 16 item 6 in the browser: a provider submits a product (through the service), the exchange's
 * header shows an unread notification, the inbox says what to do, following it opens the review
 * queue and marks it read.
 */
const e = useE2E();
let exchange: Actor;
let provider: Actor;
let authority: Actor;

beforeAll(async () => {
  exchange = await makeActor(e.config, 'exchange', { orgName: '郑州数据交易中心（测试）' });
  provider = await makeActor(e.config, 'provider', { orgName: '中原交通数据科技有限公司（测试）' });
  authority = await makeActor(e.config, 'authority');
});

describe('the inbox', () => {
  test('when a product is submitted, then the exchange sees an unread notification and follows it to the review queue', async () => {
    const resource = await makeResource(authority);
    const granted = await authorizations.grant(principalOf(authority), {
      operatorOrgId: provider.org.id,
      resourceIds: [String(resource._id)],
      purpose: '公交客流分析产品开发',
      allowedProductTypes: ['dataset'],
      allowedDeliveryModes: ['download'],
      validFrom: new Date(daysFromNow(-1)),
      validTo: new Date(daysFromNow(300)),
      feeCaps: {},
    });
    const p = principalOf(provider);
    const l = await listings.create(
      p,
      ListingCreateBody.parse({
        title: '郑州公交站点客流日报',
        summary: '按站点汇总的每日公交客流，适合交通规划分析。',
        productType: 'dataset',
        sourceResourceIds: [String(resource._id)],
        authorizationId: granted.id,
        deliveryMode: 'download',
        pricing: { model: 'one_time', priceFen: 880_000 },
        tags: ['交通'],
      }),
    );
    await listingFiles.uploadSample(p, l.id, { buffer: CLEAN_CSV, originalname: 'sample.csv' });
    await listingFiles.uploadData(p, l.id, { buffer: CLEAN_CSV, originalname: 'data.csv' });
    await listingReview.submit(p, l.id);

    const page = await e.newPage();
    await signIn(e, page, exchange.user.email, 'exchange');
    expect(await visibleText(byTestId(page, 'inbox-unread'))).toBe('1');
    await byTestId(page, 'inbox-link').click();
    const item = byTestId(page, 'notification', { kind: 'review.requested', read: 'false' });
    expect(await visibleText(item)).toContain('郑州公交站点客流日报');
    await e.shot(page, 'inbox-zh');
    await byTestId(page, 'lang-toggle').click();
    expect(await visibleText(item)).toContain('Product awaiting review');
    await e.shot(page, 'inbox-en');
    await byTestId(page, 'lang-toggle').click();

    await item.locator('a').click();
    await page.waitForURL(`${e.baseUrl}/exchange`);
    await byTestId(page, 'inbox-link', { unread: '0' }).waitFor();
    expect(await byTestId(page, 'inbox-unread').count()).toBe(0);
    const stored = await NotificationModel.findOne({ userId: exchange.user.id }).lean();
    expect(stored!.readAt).toBeInstanceOf(Date);
  });
});
