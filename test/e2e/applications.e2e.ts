import type { Page } from 'playwright-core';
import {
  ApplicationBody,
  AuthorizationCreateBody,
  shanghaiDate,
  shanghaiDayStartAfter,
  shanghaiDaysBetween,
} from '@zdec/shared';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ApplicationModel } from '../../server/src/modules/authorizations/application.model';
import * as applications from '../../server/src/modules/authorizations/applications.service';
import { grant } from '../../server/src/modules/authorizations/authorizations.service';
import { makeActor, type Actor } from '../helpers/factories';
import { makeResource } from '../listings/world';
import { principalOf } from '../reliability/registration-world';
import { useE2E } from './browser';
import { byTestId, bothLanguages, signIn, visibleText } from './steps';

/*
 * Issue 16 item 4 in the browser, the authorization lifecycle: an operator applies, the authority
 * approves with fee caps (or rejects with reasons), the operator sees the outcome and the new
 * authorization; an authorization ending within 7 days shows an urgent banner on both consoles, and
 * the operator's renewal button opens the application form filled in from it.
 */
const e = useE2E();
let authority: Actor;
let operator: Actor;
let authorityPage: Page;
let operatorPage: Page;
let busRidership: string;
let congestion: string;

/** A Shanghai calendar date `days` days from today. */
const shanghaiDay = (days: number) => shanghaiDate(shanghaiDayStartAfter(new Date(), days));

beforeAll(async () => {
  authority = await makeActor(e.config, 'authority', { orgName: '河南省数据局（测试）' });
  operator = await makeActor(e.config, 'provider', { orgName: '中原交通数据科技有限公司（测试）' });
  busRidership = String((await makeResource(authority, { name: '郑州市公交站点客流数据' }))._id);
  congestion = String((await makeResource(authority, { name: '郑州市道路拥堵指数' }))._id);
  operatorPage = await e.newPage();
  await signIn(e, operatorPage, operator.user.email, 'provider');
  authorityPage = await e.newPage();
  await signIn(e, authorityPage, authority.user.email, 'authority');
});

describe('authorization applications, decisions, expiry and renewal', () => {
  test('when the operator applies and the authority approves with fee caps, then the operator sees the approval and the new authorization', async () => {
    const op = operatorPage;
    await byTestId(op, 'nav-apply').click();
    await byTestId(op, 'applications-page').waitFor();
    await byTestId(op, 'apply-new').click();
    await byTestId(op, 'apply-resource', { id: busRidership }).check();
    await byTestId(op, 'apply-resource', { id: congestion }).check();
    await byTestId(op, 'apply-purpose').fill('城市交通客流分析产品开发与运营');
    await byTestId(op, 'apply-product-types-report').check();
    await byTestId(op, 'apply-delivery-modes-sandbox').check();
    await bothLanguages(e, op, 'apply-form');
    await byTestId(op, 'apply-submit').click();
    await byTestId(op, 'apply-submitted').waitFor();
    const mine = byTestId(op, 'application', { status: 'pending' });
    expect(await visibleText(mine)).toContain('城市交通客流分析产品开发与运营');
    const stored = await ApplicationModel.findOne({ operatorOrgId: operator.org._id }).lean();
    expect(stored).toMatchObject({ status: 'pending', allowedProductTypes: ['dataset', 'api', 'report'] });
    expect(stored!.allowedDeliveryModes).toEqual(['download', 'api', 'sandbox']);
    expect(stored!.resourceIds.map(String).sort()).toEqual([busRidership, congestion].sort());
    const id = String(stored!._id);

    // The authority finds it in its queue and approves it with a fee cap.
    const au = authorityPage;
    await byTestId(au, 'nav-applications').click();
    const queued = byTestId(au, 'application', { id });
    expect(await visibleText(queued)).toContain('中原交通数据科技有限公司（测试）');
    expect(await visibleText(queued)).toContain('郑州市道路拥堵指数');
    await byTestId(queued, 'application-approve').click();
    await byTestId(queued, 'approve-cap-one_time').fill('5000');
    await byTestId(queued, 'approve-cap-per_call').fill('0.5');
    await bothLanguages(e, au, 'application-approve');
    await byTestId(queued, 'approve-application-submit').click();
    await byTestId(au, 'application', { id, status: 'approved' }).waitFor();
    const number = await visibleText(byTestId(byTestId(au, 'application', { id }), 'application-number'));
    expect(number).toMatch(/^SQ-\d{4}-\d{6}$/);
    const granted = await AuthorizationModel.findOne({ number }).lean();
    expect(granted).toMatchObject({ operatorOrgId: operator.org._id, status: 'active' });
    expect(granted!.feeCaps).toMatchObject({ one_time: 500_000, per_call: 50 });

    // The operator sees the approval with the number, and the authorization it names.
    await op.reload();
    const approved = byTestId(op, 'application', { id, status: 'approved' });
    expect(await visibleText(byTestId(approved, 'application-number'))).toBe(number);
    await bothLanguages(e, op, 'applications-operator');
    await byTestId(approved, 'application-number').click();
    const row = byTestId(op, 'authz-row', { id: String(granted!._id) });
    expect(await visibleText(row)).toContain(number);
    expect(await visibleText(row)).toContain('¥5,000.00');
  });

  test('when the authority rejects, then reasons are required and the operator reads them', async () => {
    const p = principalOf(operator);
    const body = (purpose: string) =>
      ApplicationBody.parse({
        resourceIds: [congestion],
        purpose,
        allowedProductTypes: ['api'],
        allowedDeliveryModes: ['api'],
        validFrom: shanghaiDay(1),
        validTo: shanghaiDay(366),
      });
    const refused = await applications.apply(p, body('拥堵指数实时接口服务'));
    await applications.apply(p, body('拥堵指数月度分析报告'));

    const au = authorityPage;
    await au.goto(`${e.baseUrl}/authorization-applications`);
    const queued = byTestId(au, 'application', { id: refused.id });
    await byTestId(queued, 'application-reject').click();
    await byTestId(queued, 'reject-application-submit').click();
    expect(await visibleText(byTestId(queued, 'field-error', { path: 'body.reasons' }))).toBe('驳回至少需要一条理由');
    expect((await ApplicationModel.findById(refused.id).lean())!.status).toBe('pending');
    await byTestId(queued, 'application-reasons-input').fill(
      '实时接口涉及车辆轨迹，需先完成脱敏评估\n请补充数据安全保护方案',
    );
    await byTestId(queued, 'reject-application-submit').click();
    await byTestId(au, 'application', { id: refused.id, status: 'rejected' }).waitFor();
    // Pending first: the one left to decide leads the queue.
    expect(await byTestId(au, 'application').first().getAttribute('data-status')).toBe('pending');
    await bothLanguages(e, au, 'applications-queue');

    const op = operatorPage;
    await op.goto(`${e.baseUrl}/authorization-applications?status=rejected`);
    const rejected = byTestId(op, 'application', { id: refused.id, status: 'rejected' });
    expect(await visibleText(byTestId(rejected, 'application-reasons'))).toContain('请补充数据安全保护方案');
    expect((await ApplicationModel.findById(refused.id).lean())!.decision).toMatchObject({ decision: 'reject' });
  });

  test('when an authorization ends within 7 days, then both consoles show it urgent and the renewal opens the form filled in from it', async () => {
    const term = (days: number, purpose: string) =>
      grant(
        principalOf(authority),
        AuthorizationCreateBody.parse({
          operatorOrgId: operator.org.id,
          resourceIds: [busRidership],
          purpose,
          allowedProductTypes: ['dataset', 'report'],
          allowedDeliveryModes: ['download'],
          validFrom: shanghaiDay(-300),
          validTo: shanghaiDay(days),
          feeCaps: { one_time: 200_000 },
        }),
      );
    const soon = await term(5, '公交客流日报');
    const later = await term(20, '公交客流月报');
    const daysLeft = () => shanghaiDaysBetween(new Date(), soon.validTo);
    const before = daysLeft();

    const op = operatorPage;
    await op.goto(`${e.baseUrl}/authorizations`);
    const banner = byTestId(op, 'expiry-banner');
    const urgent = byTestId(banner, 'expiring', { id: soon.id });
    await urgent.waitFor();
    expect(await urgent.getAttribute('data-urgent')).toBe('true');
    expect([before, daysLeft()]).toContain(Number(await urgent.getAttribute('data-days')));
    expect(await visibleText(urgent)).toContain(soon.number);
    expect(await visibleText(urgent)).toContain('中原交通数据科技有限公司（测试）');
    expect(await byTestId(banner, 'expiring', { id: later.id }).getAttribute('data-urgent')).toBe('false');
    expect(await banner.getAttribute('data-urgent')).toBe('true');
    await bothLanguages(e, op, 'expiry-banner-operator');
    await op.setViewportSize({ width: 390, height: 844 });
    await e.shot(op, 'expiry-banner-operator-narrow');
    await op.setViewportSize({ width: 1280, height: 900 });

    await byTestId(urgent, 'renew').click();
    const form = byTestId(op, 'apply-form', { renewal: soon.id });
    await form.waitFor();
    expect(await byTestId(form, 'apply-purpose').inputValue()).toBe('公交客流日报');
    expect(await byTestId(form, 'apply-resource', { id: busRidership }).isChecked()).toBe(true);
    expect(await byTestId(form, 'apply-resource', { id: congestion }).isChecked()).toBe(false);
    expect(await byTestId(form, 'apply-product-types-report').isChecked()).toBe(true);
    expect(await byTestId(form, 'apply-product-types-api').isChecked()).toBe(false);
    expect(await byTestId(form, 'apply-valid-from').inputValue()).toBe(
      shanghaiDate(shanghaiDayStartAfter(soon.validTo, 1)),
    );
    expect(await visibleText(byTestId(op, 'renewal-of'))).toContain(soon.number);
    await bothLanguages(e, op, 'renewal-form');
    await byTestId(form, 'apply-submit').click();
    await byTestId(op, 'apply-submitted').waitFor();
    const renewal = await ApplicationModel.findOne({ renewalOf: soon.id }).lean();
    expect(renewal).toMatchObject({ status: 'pending', purpose: '公交客流日报' });
    expect(await visibleText(byTestId(op, 'application-renewal').first())).toContain(soon.number);

    // Back on the console the renewal is pending; the authority's banner shows it to decide.
    await op.goto(`${e.baseUrl}/authorizations`);
    await byTestId(op, 'renewal-pending', { id: soon.id }).first().waitFor();
    const au = authorityPage;
    await au.goto(`${e.baseUrl}/authorizations`);
    const theirs = byTestId(byTestId(au, 'expiry-banner'), 'expiring', { id: soon.id });
    expect(await theirs.getAttribute('data-urgent')).toBe('true');
    await byTestId(theirs, 'renewal-pending').waitFor();
    expect(await byTestId(au, 'renew').count()).toBe(0);
    await bothLanguages(e, au, 'expiry-banner-authority');
  });
});
