import supertest from 'supertest';
import { UserModel } from '../../server/src/modules/accounts/user.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import type { TestApp } from '../helpers/app';
import { makeActor, randomCreditCode, TEST_PASSWORD } from '../helpers/factories';
import {
  CLEAN_CSV,
  createListing,
  grant,
  ID_CSV,
  listingBody,
  makeResource,
  makeWorld,
  submit,
  upload,
} from '../listings/world';
import { useE2E } from './browser';
import { byTestId, fillRegistration, freshEmail, signIn, visibleText } from './steps';

/*
 * Refusals the user sees in the page: a wrong password, a credit code with a wrong check character,
 * and a product the compliance rules forbid, which the exchange cannot approve. The forbidden
 * product is prepared through the HTTP API; only the refusal itself is driven in the browser.
 */

const e = useE2E();

describe('refusals shown in the browser', () => {
  test('when the password is wrong, then the sign-in form says so and nobody is signed in', async () => {
    const buyer = await makeActor(e.config, 'buyer');
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/signin`);
    await byTestId(page, 'signin-email').fill(buyer.user.email);
    await byTestId(page, 'signin-password').fill(`${TEST_PASSWORD}-wrong`);
    await byTestId(page, 'signin-submit').click();

    const alert = byTestId(page, 'form-error');
    expect(await visibleText(alert)).not.toBe('');
    expect(await alert.getAttribute('data-status')).toBe('401');
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(await byTestId(page, 'user-box', { role: 'buyer' }).count()).toBe(0);
    expect(await page.evaluate<string | null>("localStorage.getItem('zdec.token')")).toBeNull();
    await e.shot(page, 'signin-wrong-password');

    // The right password still works: the refusal was about the password, not the account.
    await signIn(e, page, buyer.user.email, 'buyer');
  });

  test('when the credit code has a wrong check character, then registration shows the field error and creates nobody', async () => {
    const valid = randomCreditCode();
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const email = freshEmail('bad-code');
    const page = await e.newPage();
    await fillRegistration(e, page, {
      role: 'buyer',
      email,
      password: TEST_PASSWORD,
      displayName: '赵测试',
      orgName: '郑州校验测试有限公司',
      creditCode: wrong,
    });

    const fieldError = byTestId(page, 'field-error', { path: 'body.org.creditCode' });
    expect(await visibleText(fieldError)).not.toBe('');
    expect(await byTestId(page, 'field-error').count()).toBe(1);
    expect(await byTestId(page, 'register-credit-code').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).pathname).toBe('/register');
    expect(await UserModel.countDocuments({ email })).toBe(0);
    await e.shot(page, 'register-bad-credit-code');
  });

  test('when a product holds ID numbers in its sample and is priced above the fee cap, then the exchange cannot approve it and sees the failed rules', async () => {
    const api = { http: supertest(e.baseUrl) } as TestApp;
    const w = await makeWorld(e.config);
    const resource = await makeResource(w.authority, { name: '郑州市公交刷卡记录' });
    const authorization = await grant(api, w.authority, w.provider, [resource], { feeCaps: { one_time: 100_000 } });
    const listing = await createListing(
      api,
      w.provider,
      listingBody([resource], authorization.id, {
        title: '公交乘客出行明细',
        pricing: { model: 'one_time', priceFen: 250_000 },
      }),
    );
    await upload(api, w.provider, listing.id, 'sample', ID_CSV, 'riders-sample.csv');
    await upload(api, w.provider, listing.id, 'data', CLEAN_CSV, 'riders.csv');
    await submit(api, w.provider, listing.id);
    const ledgerBefore = await LedgerEntryModel.countDocuments();

    const page = await e.newPage();
    await signIn(e, page, w.exchange.user.email, 'exchange');
    const item = byTestId(page, 'review-item', { id: listing.id });
    await byTestId(item, 'review-approve').click();

    const refusal = byTestId(item, 'review-rules');
    await refusal.waitFor();
    const failed = await byTestId(refusal, 'rule', { ok: 'false' }).evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-rule')),
    );
    expect(failed.sort()).toEqual(['price-within-cap', 'sample-clean']);
    expect(await byTestId(refusal, 'rule', { rule: 'sample-clean' }).innerText()).toContain('证件号码');
    expect(await byTestId(refusal, 'rule', { ok: 'true' }).count()).toBeGreaterThan(0);
    expect(await item.getAttribute('data-decision')).toBe('');
    expect(await byTestId(item, 'review-approved').count()).toBe(0);
    await e.shot(page, 'review-refused');

    // Nothing changed: still waiting for review, no code, nothing in the ledger.
    const stored = await ListingModel.findById(listing.id).lean();
    expect(stored).toMatchObject({ status: 'pending_review' });
    expect(stored?.code ?? null).toBeNull();
    expect(await LedgerEntryModel.countDocuments()).toBe(ledgerBefore);

    // The reviewer rejects it instead, with the failed rules offered as the reasons.
    await byTestId(item, 'review-reject').click();
    const reasons = byTestId(item, 'reject-reasons');
    expect((await reasons.inputValue()).split('\n')).toHaveLength(2);
    await byTestId(item, 'reject-submit').click();
    await byTestId(item, 'review-rejected').waitFor();
    expect(await ListingModel.findById(listing.id).lean()).toMatchObject({ status: 'rejected' });
    expect(await LedgerEntryModel.countDocuments()).toBe(ledgerBefore);
  });
});
