import { Types } from 'mongoose';
import { scanRecords } from '@zdec/shared';
import { withIdCheck } from '../../shared/src/scan/test-helpers';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { parseSample } from '../../server/src/modules/samples/samples.parse';
import { putFile } from '../../server/src/platform/storage';
import type { Actor } from '../helpers/factories';
import { makeProduct } from '../trade/fixtures';

/** Districts of the test settlements and how many records each has: 惠济区 is a group of 3. */
export const DISTRICTS: [string, number][] = [
  ['金水区', 25],
  ['二七区', 20],
  ['中原区', 12],
  ['惠济区', 3],
];
export const TOTAL = DISTRICTS.reduce((s, [, n]) => s + n, 0);

/**
 * 60 medical-insurance settlements: a valid (generated) ID number per insured person, a district, a
 * hospital, an amount, a date. Record i is born in 1950 + (i % 50), so age bands are well populated.
 */
export function settlementsCsv(): Buffer {
  const lines = ['结算编号,身份证号,区县,医院,险种,结算金额,结算日期'];
  let i = 0;
  for (const [district, n] of DISTRICTS) {
    for (let j = 0; j < n; j++, i++) {
      const birth = `${1950 + (i % 50)}${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`;
      const id = withIdCheck(`410105${birth}${String(100 + i).slice(-3)}`);
      const hospital = i % 2 ? '郑州大学第一附属医院' : '河南省人民医院';
      const kind = i % 3 ? '职工医保' : '居民医保';
      const amount = (100 + ((i * 37) % 900) + 0.5).toFixed(2);
      const date = `2026-0${(i % 3) + 1}-${String((i % 27) + 1).padStart(2, '0')}`;
      lines.push(`JS${String(i + 1).padStart(5, '0')},${id},${district},${hospital},${kind},${amount},${date}`);
    }
  }
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

export const SETTLEMENT_FIELDS = [
  { name: '结算编号', type: 'string', description: '结算单号' },
  { name: '身份证号', type: 'string', description: '参保人身份证号' },
  { name: '区县', type: 'string', description: '参保地区县' },
  { name: '医院', type: 'string', description: '定点医疗机构' },
  { name: '险种', type: 'string', description: '职工医保 / 居民医保' },
  { name: '结算金额', type: 'number', description: '医保基金支付金额（元）' },
  { name: '结算日期', type: 'date', description: '结算日期' },
] as const;

/** A listed sandbox-only product of the settlements, with its source resource and the deliverable's scan. */
export async function makeSandboxProduct(provider: Actor, opts: { k?: number; csv?: Buffer } = {}) {
  const product = await makeProduct(provider, { deliveryMode: 'sandbox', grade: 'important', withDataFile: false });
  const resource = await ResourceModel.create({
    kind: 'public',
    ownerOrgId: new Types.ObjectId(),
    createdBy: new Types.ObjectId(),
    name: '医保结算明细',
    holderDepartment: '河南省医疗保障局',
    regionCode: '410000',
    domain: 'health',
    openness: 'conditional',
    fields: SETTLEMENT_FIELDS,
    updateFrequency: 'monthly',
    recordCount: TOTAL,
    grade: 'important',
    level: 'L4',
    status: 'registered',
  });
  const csv = opts.csv ?? settlementsCsv();
  const stored = await putFile(csv, '医保结算.csv');
  const scan = scanRecords((await parseSample(csv)).records);
  await ListingModel.updateOne(
    { _id: product.listing._id },
    {
      $set: {
        title: '郑州市医保结算（沙箱）',
        sourceResourceIds: [resource._id],
        dataFile: {
          fileId: stored.fileId,
          filename: '医保结算.csv',
          format: 'csv',
          encoding: 'utf-8',
          size: stored.size,
          sha256: stored.sha256,
          uploadedAt: new Date(),
        },
        dataScan: scan,
        ...(opts.k ? { sandboxK: opts.k } : {}),
      },
    },
  );
  return { ...product, resource };
}
