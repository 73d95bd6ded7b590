import type { DeliveryMode, Domain, ProductType } from '@zdec/shared';

/** An authorization (授权运营协议) the provincial data bureau grants an operator in the demo world. */
export interface AuthorizationDef {
  key: string;
  /** Operator organisation (seeds/data/orgs.ts key). */
  operator: string;
  /** Every registered public resource of these domains (never closed or core ones) is covered. */
  domains: Domain[];
  /** Only provincial (410000) or only city resources; both when absent. */
  level?: 'province' | 'city';
  purpose: string;
  /** Shanghai date the agreement is signed; moved later when its resources are registered later. */
  planned: string;
  /** Term in years from the grant date. */
  years: number;
  productTypes?: ProductType[];
  deliveryModes?: DeliveryMode[];
  /** 政府指导价 in yuan per pricing model. */
  feeCapsYuan?: { one_time?: number; subscription?: number; per_call?: number };
  /** Revoked on this Shanghai date, with the reason. */
  revoked?: { on: string; reason: string };
}

export const AUTHORIZATIONS: AuthorizationDef[] = [
  {
    key: 'zymet-meteo',
    operator: 'zymet',
    domains: ['meteorology', 'agriculture'],
    purpose: '气象服务与农业公共数据授权运营：开发气象实况、预报和农业气象产品，服务农业保险、物流、新能源等行业。',
    planned: '2025-02-10',
    years: 3,
    feeCapsYuan: { subscription: 700_000 },
  },
  {
    key: 'hndata-transport',
    operator: 'hndata',
    domains: ['transport', 'natural-resources'],
    purpose: '全省交通物流与自然资源公共数据授权运营：路网运行、货运物流、土地与不动产统计类数据产品开发。',
    planned: '2025-02-17',
    years: 3,
  },
  {
    key: 'zztraffic-city',
    operator: 'zztraffic',
    domains: ['transport', 'urban-management'],
    level: 'city',
    purpose: '城市交通与城市管理公共数据授权运营：公交、道路运行、停车和城市运行事件数据产品开发。',
    planned: '2025-03-03',
    years: 3,
  },
  {
    key: 'hneco-eco',
    operator: 'hneco',
    domains: ['ecology', 'natural-resources'],
    purpose: '生态环境与自然资源公共数据授权运营：环境质量、污染源监测与国土空间数据产品开发，重要数据仅限隐私计算沙箱内使用。',
    planned: '2025-03-10',
    years: 3,
  },
  {
    key: 'hndata-public-service',
    operator: 'hndata',
    domains: ['gov-services', 'social-security', 'health'],
    purpose: '政务服务、社会保障与医疗健康公共数据授权运营：个人信息须经去标识化处理，执行政府指导价。',
    planned: '2025-04-14',
    years: 3,
    productTypes: ['dataset', 'api', 'report', 'model', 'service'],
    deliveryModes: ['download', 'api', 'sandbox'],
    feeCapsYuan: { one_time: 800_000, subscription: 600_000, per_call: 2_000 },
  },
  {
    key: 'hndata-credit',
    operator: 'hndata',
    domains: ['market-regulation', 'credit'],
    purpose: '市场监管与公共信用数据授权运营：企业登记、信用评价数据产品开发，服务金融机构授信和招投标。',
    planned: '2025-06-09',
    years: 3,
  },
  {
    key: 'zymet-energy',
    operator: 'zymet',
    domains: ['energy'],
    purpose: '能源公共数据授权运营：电力消费与充电设施数据产品开发（电力看经济、充电网络规划）。',
    planned: '2025-07-07',
    years: 3,
  },
  {
    key: 'hneco-tourism',
    operator: 'hneco',
    domains: ['culture-tourism'],
    purpose: '文化旅游公共数据授权运营：景区客流与文旅消费数据产品开发。',
    planned: '2025-07-14',
    years: 3,
  },
  {
    key: 'hneco-education',
    operator: 'hneco',
    domains: ['education'],
    purpose: '教育公共数据授权运营试点：学校布局与学位供需分析。',
    planned: '2025-09-01',
    years: 2,
    productTypes: ['dataset', 'report'],
    deliveryModes: ['download'],
    revoked: {
      on: '2026-05-18',
      reason: '试点期评估：教育数据应用场景未通过数据安全评估，依协议第十二条终止授权',
    },
  },
  {
    key: 'hneco-industry',
    operator: 'hneco',
    domains: ['industry', 'finance'],
    purpose: '工业与金融公共数据授权运营：产业运行监测与普惠金融数据产品开发。',
    planned: '2025-10-13',
    years: 3,
  },
];
