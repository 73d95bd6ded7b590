import { makeActor, TEST_PASSWORD, type Actor } from '../helpers/factories';
import { useE2E } from './browser';
import { bothLanguages, byTestId, signIn, visibleText } from './steps';

/*
 * Issue 12 #7 in the browser: a user changes the password on the account page; the other session
 * (a second browser context, signed in before) is ended by the server, this one stays signed in,
 * and the new password signs in. A weak new password is refused with the server's reason.
 */
const e = useE2E();
let buyer: Actor;
const NEW_PASSWORD = 'Zhengzhou#Port-2027!';

beforeAll(async () => {
  buyer = await makeActor(e.config, 'buyer', { orgName: '郑州账号测试有限公司' });
});

describe('the account page', () => {
  test('when the password is changed, then other sessions end and the new password signs in', async () => {
    const email = buyer.user.email;
    const other = await e.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const otherPage = await other.newPage();
    await signIn(e, otherPage, email, 'buyer');

    const page = await e.newPage();
    await signIn(e, page, email, 'buyer');
    await byTestId(page, 'nav-account').click();
    await byTestId(page, 'password-form').waitFor();
    await byTestId(page, 'account-who')
      .getByText(/郑州账号测试有限公司/)
      .waitFor();
    await bothLanguages(e, page, 'account');

    // Refused: the two entries differ (checked here), then a common password (checked by the server).
    await byTestId(page, 'password-current').fill(TEST_PASSWORD);
    await byTestId(page, 'password-new').fill(NEW_PASSWORD);
    await byTestId(page, 'password-confirm').fill(`${NEW_PASSWORD}x`);
    await byTestId(page, 'password-submit').click();
    await page.getByText('两次输入的新密码不一致').waitFor();
    await byTestId(page, 'password-new').fill('password1234');
    await byTestId(page, 'password-confirm').fill('password1234');
    await byTestId(page, 'password-submit').click();
    await page.locator('.field__error, [role="alert"]').first().waitFor();
    expect(await byTestId(page, 'password-changed').count()).toBe(0);

    await byTestId(page, 'password-new').fill(NEW_PASSWORD);
    await byTestId(page, 'password-confirm').fill(NEW_PASSWORD);
    await byTestId(page, 'password-submit').click();
    await byTestId(page, 'password-changed').waitFor();
    await e.shot(page, 'account-password-changed-zh');

    // This session goes on with its new token; the other one is ended on its next call.
    await page.goto(`${e.baseUrl}/orders`);
    await byTestId(page, 'user-box', { role: 'buyer' }).waitFor();
    await otherPage.goto(`${e.baseUrl}/orders`);
    await byTestId(otherPage, 'nav-signin').waitFor();
    await other.close();

    // The old password no longer signs in; the new one does.
    const fresh = await e.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const freshPage = await fresh.newPage();
    await freshPage.goto(`${e.baseUrl}/signin`);
    await byTestId(freshPage, 'signin-email').fill(email);
    await byTestId(freshPage, 'signin-password').fill(TEST_PASSWORD);
    await byTestId(freshPage, 'signin-submit').click();
    // Told in the reader's language by the problem's type (bad-credentials), not by its English detail.
    expect(await visibleText(freshPage.locator('[role="alert"]').first())).toContain('邮箱或密码错误');
    expect(await byTestId(freshPage, 'user-box', { role: 'buyer' }).count()).toBe(0);
    await signIn(e, freshPage, email, 'buyer', NEW_PASSWORD);
    await fresh.close();
    await page.close();
  });
});
