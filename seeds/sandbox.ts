/**
 * The demo world's sandbox-only products (issue 14): two `important` public resources whose records
 * are personal data — medical-insurance settlements and freight-vehicle tracks — each registered by
 * the data authority, licensed to an operator for sandbox delivery only, listed with a de-identified
 * preview and its full deliverable (ID numbers, plates, precise coordinates: they never leave the
 * sandbox), bought by a demo buyer, and queried: example queries that run, one suppressed, one
 * refused, so the audit has something to show. Everything goes through the same services as the API.
 */
import {
  AuthorizationCreateBody,
  ConfirmTransferBody,
  ListingCreateBody,
  OrderCreateBody,
  ResourceCreateBody,
  ResourceRegisterBody,
  ReviewBody,
} from '@zdec/shared';
import type { Config } from '../server/src/config';
import type { Principal } from '../server/src/platform/http/auth';
import type { Logger } from '../server/src/platform/logger';
import * as authorizations from '../server/src/modules/authorizations/authorizations.service';
import * as catalog from '../server/src/modules/resources/resources.service';
import * as listings from '../server/src/modules/listings/listings.service';
import * as listingFiles from '../server/src/modules/listings/listings.files';
import * as listingReview from '../server/src/modules/listings/listings.review';
import { runQuery } from '../server/src/modules/sandbox/sandbox.service';
import { createOrder } from '../server/src/modules/trade/orders.service';
import { confirmTransfer } from '../server/src/modules/trade/payments.service';
import { rng } from './samples';

const DAY = 24 * 3600 * 1000;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** GB 11643 check character. */
function idNumber(first17: string): string {
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * (2 ** (17 - i) % 11), 0);
  return first17 + '10X98765432'[sum % 11];
}

const DISTRICTS = ['金水区', '二七区', '中原区', '管城回族区', '惠济区', '郑东新区', '高新区', '经开区'];
const DISTRICT_CODES = ['410105', '410103', '410102', '410104', '410108', '410171', '410172', '410173'];
const HOSPITALS = ['郑州大学第一附属医院', '河南省人民医院', '郑州市中心医院', '河南省中医院', '郑州人民医院'];
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';

type Field = { name: string; type: 'string' | 'number' | 'date' | 'datetime'; description: string };
const csv = (fields: Field[], rows: (string | number)[][]) =>
  Buffer.from([fields.map((f) => f.name).join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n', 'utf8');

const SETTLEMENT_FIELDS: Field[] = [
  { name: '结算编号', type: 'string', description: '医保结算单号' },
  { name: '身份证号', type: 'string', description: '参保人公民身份号码' },
  { name: '姓名', type: 'string', description: '参保人姓名' },
  { name: '区县', type: 'string', description: '参保地（郑州市区县）' },
  { name: '医院', type: 'string', description: '定点医疗机构' },
  { name: '险种', type: 'string', description: '职工医保 / 居民医保' },
  { name: '就诊类型', type: 'string', description: '门诊 / 住院' },
  { name: '结算金额', type: 'number', description: '医保基金支付金额（元）' },
  { name: '结算日期', type: 'date', description: '结算日期' },
];

function settlements(n: number): (string | number)[][] {
  const r = rng(20260414);
  return Array.from({ length: n }, (_, i) => {
    const d = Math.floor(r() * DISTRICTS.length);
    const birth = new Date(Date.UTC(1940 + Math.floor(r() * 70), Math.floor(r() * 12), 1 + Math.floor(r() * 28)));
    const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
    const inpatient = r() < 0.2;
    const amount = inpatient ? 3000 + r() * 20000 : 50 + r() * 600;
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 300) * DAY);
    return [
      `YB2026${String(i + 1).padStart(7, '0')}`,
      idNumber(`${DISTRICT_CODES[d]}${ymd}${String(Math.floor(r() * 1000)).padStart(3, '0')}`),
      pick(r, [...SURNAMES]) + pick(r, [...GIVEN]) + (r() < 0.6 ? pick(r, [...GIVEN]) : ''),
      DISTRICTS[d]!,
      pick(r, HOSPITALS),
      r() < 0.65 ? '职工医保' : '居民医保',
      inpatient ? '住院' : '门诊',
      amount.toFixed(2),
      day.toISOString().slice(0, 10),
    ];
  });
}

const TRACK_FIELDS: Field[] = [
  { name: '轨迹点编号', type: 'string', description: '定位记录编号' },
  { name: '车牌号', type: 'string', description: '营运货车号牌' },
  { name: '经度', type: 'number', description: 'GCJ-02 经度' },
  { name: '纬度', type: 'number', description: 'GCJ-02 纬度' },
  { name: '定位时间', type: 'datetime', description: '北斗定位时间' },
  { name: '速度', type: 'number', description: '瞬时速度（km/h）' },
  { name: '货物类型', type: 'string', description: '运单登记的货物类别' },
  { name: '所在区县', type: 'string', description: '定位点所在区县' },
];

function tracks(n: number): (string | number)[][] {
  const r = rng(20260502);
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const plates = Array.from({ length: 240 }, () => {
    const office = pick(r, ['A', 'A', 'A', 'B', 'F', 'G', 'H', 'K']);
    return `豫${office}${pick(r, [...letters])}${String(Math.floor(r() * 10000)).padStart(4, '0')}`;
  });
  const goods = ['冷链食品', '建材', '快递包裹', '汽车零部件', '粮食', '危险化学品', '日用百货'];
  return Array.from({ length: n }, (_, i) => {
    const d = Math.floor(r() * DISTRICTS.length);
    const at = new Date(Date.UTC(2026, 3, 1) + Math.floor(r() * 60 * 24 * 60) * 60_000);
    return [
      `GJ${String(i + 1).padStart(8, '0')}`,
      pick(r, plates),
      (113.55 + r() * 0.25).toFixed(6),
      (34.68 + r() * 0.2).toFixed(6),
      at.toISOString().slice(0, 19).replace('T', ' '),
      (r() < 0.15 ? 0 : 20 + r() * 70).toFixed(1),
      pick(r, goods),
      DISTRICTS[d]!,
    ];
  });
}

interface Product {
  resource: { name: string; description: string; holder: string; domain: 'health' | 'transport'; fields: Field[] };
  rows: (string | number)[][];
  operator: string;
  buyer: string;
  title: string;
  summary: string;
  tags: string[];
  priceFen: number;
  /** A de-identified preview (aggregates): what buyers see before they buy. */
  preview: Buffer;
  queries: string[];
}

function products(): Product[] {
  const s = settlements(2400);
  const tr = tracks(3600);
  return [
    {
      resource: {
        name: '郑州市医疗保障基金结算明细（沙箱）',
        description: '定点医疗机构医保基金结算明细，含参保人身份信息，属重要数据，仅可在隐私计算沙箱内使用',
        holder: '郑州市医疗保障局',
        domain: 'health',
        fields: SETTLEMENT_FIELDS,
      },
      rows: s,
      operator: 'hndata',
      buyer: 'insurer',
      title: '郑州市医保结算沙箱分析',
      summary:
        '2026 年郑州市医保基金结算明细，按区县、医院、险种、就诊类型与年龄段进行聚合分析；' +
        '在隐私计算沙箱内交付，数据可用不可见，身份证号仅可经年龄段等粗化使用。',
      tags: ['医保', '沙箱', '健康险精算'],
      priceFen: 5_000_000,
      preview: Buffer.from(
        '区县,险种,就诊类型,记录数,平均结算金额\n金水区,职工医保,门诊,180,312.40\n二七区,居民医保,住院,32,12850.75\n',
        'utf8',
      ),
      queries: [
        'SELECT 区县, count(*) AS 结算笔数, round(avg(结算金额), 2) AS 平均金额\nFROM records\nGROUP BY 区县\nORDER BY 结算笔数 DESC',
        "SELECT age_band(身份证号) AS 年龄段, 就诊类型, count(*) AS n, round(sum(结算金额)) AS 基金支付\nFROM records\nWHERE 险种 = '职工医保'\nGROUP BY 年龄段, 就诊类型\nORDER BY 年龄段, 就诊类型",
        'SELECT 医院, 区县, 就诊类型, count(*) AS n\nFROM records\nGROUP BY 医院, 区县, 就诊类型',
        'SELECT 身份证号, 姓名, 结算金额\nFROM records\nWHERE 结算金额 > 20000',
      ],
    },
    {
      resource: {
        name: '郑州市营运货车北斗轨迹（沙箱）',
        description: '重点营运货车北斗定位轨迹，含车牌号与精确坐标，属重要数据，仅可在隐私计算沙箱内使用',
        holder: '郑州市交通运输局',
        domain: 'transport',
        fields: TRACK_FIELDS,
      },
      rows: tr,
      operator: 'zztraffic',
      buyer: 'logistics',
      title: '郑州货运车辆轨迹沙箱分析',
      summary:
        '郑州市营运货车北斗轨迹点，支持按区县、货物类型、时段、约 1 公里网格与号牌归属地聚合，' +
        '用于物流选址与运力分析；在沙箱内交付，车牌与精确坐标不出沙箱。',
      tags: ['货运', '轨迹', '沙箱'],
      priceFen: 3_000_000,
      preview: Buffer.from('所在区县,货物类型,小时,轨迹点数\n经开区,冷链食品,08,215\n高新区,快递包裹,21,188\n', 'utf8'),
      queries: [
        'SELECT 货物类型, count(*) AS 轨迹点, round(avg(速度), 1) AS 平均速度\nFROM records\nGROUP BY 货物类型\nORDER BY 轨迹点 DESC',
        'SELECT plate_region(车牌号) AS 号牌归属地, count(DISTINCT 车牌号) AS 车辆数, count(*) AS 轨迹点\nFROM records\nGROUP BY 号牌归属地\nORDER BY 轨迹点 DESC',
        'SELECT grid_cell(经度) AS 经度格, grid_cell(纬度) AS 纬度格, count(*) AS n\nFROM records\nGROUP BY 1, 2\nORDER BY n DESC\nLIMIT 20',
        "SELECT 车牌号, 经度, 纬度, 定位时间\nFROM records\nWHERE 所在区县 = '经开区'",
      ],
    },
  ];
}

export interface SandboxSeedOptions {
  config: Config;
  log?: Logger;
  /** The demo principal of an organisation (seeds/data/orgs keys): authority, hndata, insurer … */
  actor: (orgKey: string) => Principal;
  reviewer: Principal;
  clearing: Principal;
}

/** Lays down the sandbox products, their purchases and example queries; returns the order ids. */
export async function seedSandboxProducts(opts: SandboxSeedOptions): Promise<string[]> {
  const { config, log, actor, reviewer, clearing } = opts;
  const authority = actor('authority');
  const orderIds: string[] = [];
  for (const p of products()) {
    const created = await catalog.createResource(
      authority,
      ResourceCreateBody.parse({
        name: p.resource.name,
        description: p.resource.description,
        holderDepartment: p.resource.holder,
        regionCode: '410100',
        domain: p.resource.domain,
        openness: 'conditional',
        fields: p.resource.fields,
        updateFrequency: 'daily',
        recordCount: p.rows.length,
      }),
    );
    await catalog.uploadSample(authority, created.id, {
      buffer: csv(p.resource.fields, p.rows.slice(0, 40)),
      originalname: `${p.resource.name}-样例.csv`,
    });
    await catalog.registerResource(authority, created.id, ResourceRegisterBody.parse({ grade: 'important' }));
    const operator = actor(p.operator);
    const now = Date.now();
    const granted = await authorizations.grant(
      authority,
      AuthorizationCreateBody.parse({
        operatorOrgId: operator.orgId,
        resourceIds: [created.id],
        purpose: `${p.title}：在隐私计算沙箱内提供聚合分析服务`,
        allowedProductTypes: ['dataset', 'service'],
        allowedDeliveryModes: ['sandbox'],
        validFrom: new Date(now - 30 * DAY).toISOString().slice(0, 10),
        validTo: new Date(now + 730 * DAY).toISOString().slice(0, 10),
        feeCaps: {},
      }),
    );
    const listing = await listings.create(
      operator,
      ListingCreateBody.parse({
        title: p.title,
        summary: p.summary,
        productType: 'service',
        sourceResourceIds: [created.id],
        authorizationId: granted.id,
        deIdentified: true,
        deliveryMode: 'sandbox',
        pricing: { model: 'one_time', priceFen: p.priceFen },
        tags: p.tags,
      }),
    );
    await listingFiles.uploadSample(operator, listing.id, { buffer: p.preview, originalname: `${p.title}-预览.csv` });
    await listingFiles.uploadData(operator, listing.id, {
      buffer: csv(p.resource.fields, p.rows),
      originalname: `${p.title}.csv`,
    });
    await listingReview.submit(operator, listing.id);
    await listingReview.review(reviewer, listing.id, ReviewBody.parse({ decision: 'approve' }));

    const buyer = actor(p.buyer);
    const order = await createOrder(
      { config, log },
      buyer,
      OrderCreateBody.parse({ listingId: listing.id, quantity: 1, paymentMethod: 'bank_transfer' }),
      `demo-seed-sandbox-${listing.id}`,
    );
    const orderId = String(order.order.id);
    await confirmTransfer(
      { config, log },
      clearing,
      orderId,
      ConfirmTransferBody.parse({ bankReference: `SBX-${orderId.slice(-8)}`, amountFen: order.order.amountFen }),
    );
    for (const sql of p.queries) {
      // The last query of each product is refused by design: a refusal is an answer, not a failure.
      await runQuery({ config }, buyer, orderId, sql).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'query-refused') throw err;
      });
    }
    orderIds.push(orderId);
  }
  return orderIds;
}
