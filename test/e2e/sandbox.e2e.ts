import supertest from 'supertest';
import { closeEngine } from '../../server/src/modules/sandbox/engine';
import { SandboxQueryModel } from '../../server/src/modules/sandbox/sandbox-query.model';
import type { TestApp } from '../helpers/app';
import { makeActor } from '../helpers/factories';
import { makeSandboxProduct } from '../sandbox/fixtures';
import { boughtByTransfer, makeMarket } from '../trade/fixtures';
import { useE2E } from './browser';
import { byTestId, signIn, visibleText } from './steps';

/*
 * Issue 14 "done when": a buyer of a sandbox-only product reaches the sandbox from the order page,
 * runs an aggregate query and sees its chart, sees a refused query explained, and the regulator
 * reads both in the audit. The product and the order are prepared through the API and the models.
 */
const e = useE2E();

afterAll(async () => {
  await closeEngine();
});

describe('the sandbox page', () => {
  test('when the buyer runs an aggregate and a refused query, then it sees the chart and the refusal, and the regulator sees both', async () => {
    const m = await makeMarket(e.config);
    const { listing } = await makeSandboxProduct(m.provider);
    const t = { http: supertest(e.baseUrl) } as TestApp;
    const orderId = await boughtByTransfer(t, m, String(listing._id));

    const page = await e.newPage();
    await signIn(e, page, m.buyer.user.email, 'buyer');
    await page.goto(`${e.baseUrl}/orders/${orderId}`);
    await byTestId(page, 'delivery-open-sandbox').click();
    await byTestId(page, 'sandbox-page').waitFor();
    expect(await visibleText(byTestId(page, 'sandbox-k'))).toBe('10');
    expect(await byTestId(page, 'sandbox-fields').locator('tr[data-sensitive="true"]').count()).toBe(1);

    // An aggregate (the first example: records per district) runs; the group of 3 is suppressed.
    await byTestId(page, 'sandbox-sql').fill(
      'SELECT 区县, count(*) AS n, round(avg(结算金额), 2) AS avg_amount\nFROM records\nGROUP BY 区县\nORDER BY n DESC',
    );
    await byTestId(page, 'sandbox-run').click();
    await byTestId(page, 'sandbox-result', { outcome: 'suppressed' }).waitFor();
    await byTestId(page, 'sandbox-chart').locator('canvas').waitFor();
    expect(await byTestId(page, 'sandbox-result-table').locator('tbody tr').count()).toBe(2);
    expect(await visibleText(byTestId(page, 'sandbox-suppressed'))).toMatch(/2/);
    await e.shot(page, 'sandbox-result-chart');

    // The refused example: the ID numbers raw.
    await byTestId(page, 'sandbox-example-refused').click();
    await byTestId(page, 'sandbox-run').click();
    const refusal = byTestId(page, 'sandbox-refusal', { rule: 'sensitive-field' });
    await refusal.waitFor();
    expect(await visibleText(refusal)).toMatch(/身份证号/);
    await byTestId(page, 'sandbox-history').locator('tr[data-rule="sensitive-field"]').waitFor();
    await e.shot(page, 'sandbox-refused');

    // English.
    await page.evaluate("localStorage.setItem('zdec.locale', 'en')");
    await page.reload();
    await byTestId(page, 'sandbox-page').waitFor();
    expect(await page.locator('h1').innerText()).toBe('Privacy-computing sandbox');

    expect(await SandboxQueryModel.countDocuments({ orderId })).toBe(2);
    const regulator = await makeActor(e.config, 'regulator');
    const reg = await e.newPage();
    await signIn(e, reg, regulator.user.email, 'regulator');
    await byTestId(reg, 'nav-sandbox-audit').click();
    const audit = byTestId(reg, 'sandbox-audit');
    await audit.locator('tr[data-rule="sensitive-field"]').first().waitFor();
    await audit.locator('tr[data-outcome="suppressed"]').first().waitFor();
    await e.shot(reg, 'sandbox-audit-regulator');
  });
});
