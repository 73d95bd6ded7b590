import { ResourceCreateBody } from '@zdec/shared';
import * as catalog from '../../server/src/modules/resources/resources.service';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { settleDueNotices } from '../../server/src/modules/resources/registration.service';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { atTime } from '../../server/src/platform/clock';
import { makeActor, type Actor } from '../helpers/factories';
import { principalOf } from '../reliability/registration-world';
import { useE2E } from './browser';
import { bothLanguages, byTestId, signIn, visibleText } from './steps';

/*
 * Issue 16 item 3 in the browser: the authority submits a public resource, which goes to public
 * notice (10 working days); a buyer objects on the public notice page; the authority dismisses the
 * objection with reasons; the period ends (the platform clock is moved in this process, which also
 * serves the pages) and the certificate is issued; the authority then records a change registration.
 */
const e = useE2E({ REGISTRATION_NOTICE_WORKING_DAYS: '10' });
let authority: Actor;
let buyer: Actor;

const CSV = Buffer.from('站点编号,气温\r\nS001,21.5\r\nS002,19.0\r\n');

beforeAll(async () => {
  authority = await makeActor(e.config, 'authority', { orgName: '河南省数据局（测试）' });
  buyer = await makeActor(e.config, 'buyer', { orgName: '郑州物流采购有限公司（测试）' });
});

describe('registration through public notice, objection and certificate', () => {
  test('when the notice ends after a dismissed objection, then the certificate is issued and a change can be registered', async () => {
    const p = principalOf(authority);
    const draft = await catalog.createResource(
      p,
      ResourceCreateBody.parse({
        name: '郑州市道路气象观测数据',
        description: '主要道路沿线气象站逐小时观测',
        holderDepartment: '郑州市气象局',
        regionCode: '410100',
        domain: 'meteorology',
        openness: 'conditional',
        fields: [
          { name: '站点编号', type: 'string' },
          { name: '气温', type: 'number', description: '摄氏度' },
        ],
        updateFrequency: 'hourly',
        recordCount: 80000,
      }),
    );
    await catalog.uploadSample(p, draft.id, { buffer: CSV, originalname: 'sample.csv' });

    // The authority submits in the browser: the page says it is under notice, with no certificate yet.
    const page = await e.newPage();
    await signIn(e, page, authority.user.email, 'authority');
    await page.goto(`${e.baseUrl}/resources/${draft.id}`);
    await byTestId(page, 'register-resource-submit').click();
    await byTestId(page, 'register-publicized').waitFor();
    await byTestId(page, 'under-notice').waitFor();
    expect(await byTestId(page, 'certificate').count()).toBe(0);
    expect((await ResourceModel.findById(draft.id).lean())!.status).toBe('publicizing');

    // The public notice page lists it, signed in or not.
    const visitor = await e.newPage();
    await visitor.goto(`${e.baseUrl}/notices`);
    const row = byTestId(visitor, 'notice-row', { id: `${draft.id}#1` });
    expect(await visibleText(row)).toContain('郑州市道路气象观测数据');
    expect(await visibleText(row)).toContain('河南省数据局（测试）');
    await bothLanguages(e, visitor, 'notices');

    // A buyer objects on the notice page.
    const objector = await e.newPage();
    await signIn(e, objector, buyer.user.email, 'buyer');
    await objector.goto(`${e.baseUrl}/notices/${encodeURIComponent(`${draft.id}#1`)}`);
    await byTestId(objector, 'objection-reason-input').fill('该数据与本单位采集的路面气象数据存在权属争议');
    await byTestId(objector, 'objection-contact').fill('0371-66668888');
    await byTestId(objector, 'objection-submit').click();
    await byTestId(objector, 'objection', { status: 'pending' }).waitFor();
    expect(await visibleText(byTestId(objector, 'objection-reason'))).toContain('权属争议');
    await bothLanguages(e, objector, 'notice-objection');

    // The authority sees it waiting for a ruling and dismisses it, with reasons.
    await page.goto(`${e.baseUrl}/notices`);
    const pending = byTestId(page, 'pending-objection');
    expect(await visibleText(pending)).toContain('郑州市道路气象观测数据');
    await pending.locator('a').click();
    await byTestId(page, 'ruling-dismiss').check();
    await byTestId(page, 'ruling-reasons').fill('经核实，该数据由市气象局依法采集，权属清晰，异议不成立');
    await byTestId(page, 'ruling-submit').click();
    await byTestId(page, 'objection', { status: 'dismissed' }).waitFor();
    expect(await visibleText(byTestId(page, 'objection-ruling'))).toContain('权属清晰');
    await bothLanguages(e, page, 'notice-ruled');

    // The period ends: the certificate is issued once, and the resource page shows it.
    const endsAt = (await ResourceModel.findById(draft.id).lean())!.noticeEndsAt!;
    await atTime(new Date(endsAt.getTime() + 5 * 60_000), () => settleDueNotices());
    await page.goto(`${e.baseUrl}/resources/${draft.id}`);
    expect(await visibleText(byTestId(page, 'certificate-number'))).toMatch(/^DR-410100-\d{4}-\d{6}$/);
    expect(await LedgerEntryModel.countDocuments({ type: 'resource.registered', resourceId: draft.id })).toBe(1);

    // A change registration, with its reason.
    await byTestId(page, 'amendment-record-count').fill('95000');
    await byTestId(page, 'amendment-reason').fill('新增 12 个道路气象站');
    await byTestId(page, 'amendment-submit').click();
    await byTestId(page, 'amendment', { kind: 'change' }).waitFor();
    expect((await ResourceModel.findById(draft.id).lean())!.recordCount).toBe(95000);
    expect(await LedgerEntryModel.countDocuments({ type: 'resource.changed', resourceId: draft.id })).toBe(1);
    await bothLanguages(e, page, 'resource-lifecycle');
  });
});
