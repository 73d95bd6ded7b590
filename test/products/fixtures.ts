import { scanRecords } from '@zdec/shared';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import type { TestApp } from '../helpers/app';
import type { Actor } from '../helpers/factories';
import { createListing, grant, listingBody, submit, upload, type World } from '../listings/world';

/*
 * Products with a full dossier: a registered public resource written to the model with a real scan
 * of its records (so the field levels are the scanner's) and a certificate, an authorization and a
 * product taken through the real API, review included.
 */

let seq = 700;

/** 30 rows three days apart from 2026-01-01 (the last is 2026-03-29), no personal data. */
export const PRODUCT_SAMPLE = Buffer.from(
  '站点,日期,客流量\n' +
    Array.from({ length: 30 }, (_, i) => {
      const d = new Date(Date.UTC(2026, 0, 1 + i * 3)).toISOString().slice(0, 10);
      return `站点${i + 1},${d},${1000 + i}`;
    }).join('\n') +
    '\n',
  'utf8',
);

/** A registered public resource whose `联系电话` column scans as L3 (mobile numbers). */
export async function registeredSource(owner: Actor, over: { name?: string; recordCount?: number } = {}) {
  const records = [
    { 站点: '郑州东站', 日期: '2026-01-01', 客流量: '12345', 联系电话: '13812345678' },
    { 站点: '二七广场', 日期: '2026-01-02', 客流量: '8800', 联系电话: '13987654321' },
  ];
  const scan = scanRecords(records);
  const number = `DR-410100-2026-${String(++seq).padStart(6, '0')}`;
  return ResourceModel.create({
    kind: 'public',
    name: over.name ?? '郑州市公交客流数据',
    description: '全市公交站点每日客流',
    holderDepartment: '郑州市交通运输局',
    regionCode: '410100',
    domain: 'transport',
    openness: 'conditional',
    fields: [
      { name: '站点', type: 'string', description: '公交站点名称' },
      { name: '日期', type: 'date', description: '统计日' },
      { name: '客流量', type: 'integer', description: '进站人次' },
      { name: '联系电话', type: 'string', description: '站务联系电话' },
    ],
    updateFrequency: 'daily',
    recordCount: over.recordCount ?? 365_000,
    scan,
    grade: 'general',
    level: scan.proposed.level,
    status: 'registered',
    registrationNumber: number,
    certificate: { number, issuedAt: new Date('2026-02-01T02:00:00Z'), digest: 'a'.repeat(64) },
    registeredAt: new Date('2026-02-01T02:00:00Z'),
    ownerOrgId: owner.org._id,
    createdBy: owner.user._id,
  });
}

/** Create, sample, deliverable, submit and approve through the API; returns the listing id. */
export async function approvedProduct(
  t: TestApp,
  w: Pick<World, 'exchange'>,
  provider: Actor,
  body: Record<string, unknown>,
): Promise<string> {
  const l = await createListing(t, provider, body);
  await upload(t, provider, l.id, 'sample', PRODUCT_SAMPLE, '客流样例.csv');
  await upload(t, provider, l.id, 'data', PRODUCT_SAMPLE, 'data.csv');
  await submit(t, provider, l.id);
  const approved = await t.http
    .post(`/api/v1/listings/${l.id}/review`)
    .set('Authorization', w.exchange.auth)
    .send({ decision: 'approve' });
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  return l.id;
}

/** A source, an authorization over it for `provider`, and an approved product of it. */
export async function dossierProduct(
  t: TestApp,
  w: Pick<World, 'authority' | 'exchange'>,
  provider: Actor,
  over: { title?: string; priceFen?: number; feeCaps?: Record<string, number>; sourceName?: string } = {},
) {
  const source = await registeredSource(w.authority, { name: over.sourceName });
  const auth = await grant(t, w.authority, provider, [source], over.feeCaps ? { feeCaps: over.feeCaps } : {});
  const listingId = await approvedProduct(
    t,
    w,
    provider,
    listingBody([source], auth.id, {
      deIdentified: true,
      ...(over.title ? { title: over.title } : {}),
      ...(over.priceFen ? { pricing: { model: 'one_time', priceFen: over.priceFen } } : {}),
    }),
  );
  return { source, auth, listingId };
}
