import { withCreditCodeCheck, type ExchangeDuty, type Role } from '@zdec/shared';

export interface OrgDef {
  key: string;
  name: string;
  creditCode: string;
  users: { email: string; displayName: string; role: Role; duty?: ExchangeDuty }[];
  /** Providers: which resource domains they build products from. */
  focus?: string[];
}

/** One password for every demo account (shown in the README; a demo, never production). */
export const DEMO_PASSWORD = 'Zdec#2026demo';

const code = (first17: string) => withCreditCodeCheck(first17);

export const ORGS: OrgDef[] = [
  {
    key: 'platform',
    name: '平台运营方',
    creditCode: code('91410100MA9XPLAT0'),
    users: [{ email: 'admin@demo.zdec.cn', displayName: '平台管理员', role: 'admin' }],
  },
  {
    key: 'authority',
    name: '河南省行政审批和政务信息管理局（省数据局）',
    creditCode: code('11410000MB1957830'),
    users: [{ email: 'authority@demo.zdec.cn', displayName: '数据资源处 李明', role: 'authority' }],
  },
  {
    key: 'exchange',
    name: '郑州数据交易中心有限公司',
    creditCode: code('91410100MA9K4RXW1'),
    users: [
      { email: 'exchange@demo.zdec.cn', displayName: '合规审核部 王芳', role: 'exchange', duty: 'review' },
      { email: 'clearing@demo.zdec.cn', displayName: '清算部 赵强', role: 'exchange', duty: 'clearing' },
    ],
  },
  {
    key: 'regulator',
    name: '河南省数据交易监管办公室',
    creditCode: code('11410000MB0R3GL70'),
    users: [{ email: 'regulator@demo.zdec.cn', displayName: '监管处 陈静', role: 'regulator' }],
  },
  {
    key: 'hndata',
    name: '河南数据集团有限公司',
    creditCode: code('91410100MA9G8HD01'),
    users: [{ email: 'provider@demo.zdec.cn', displayName: '产品部 刘洋', role: 'provider' }],
    focus: ['transport', 'natural-resources', 'gov-services', 'social-security', 'health', 'market-regulation', 'credit'],
  },
  {
    key: 'zztraffic',
    name: '郑州交通大数据运营有限公司',
    creditCode: code('91410100MA9JT0Y2X'),
    users: [{ email: 'traffic@demo.zdec.cn', displayName: '运营部 张伟', role: 'provider' }],
    focus: ['transport', 'urban-management'],
  },
  {
    key: 'zymet',
    name: '中原气象数据服务有限公司',
    creditCode: code('91410100MA9QX8M3L'),
    users: [{ email: 'meteo@demo.zdec.cn', displayName: '数据服务部 孙磊', role: 'provider' }],
    focus: ['meteorology', 'agriculture', 'energy'],
  },
  {
    key: 'hneco',
    name: '河南绿源生态环境数据科技有限公司',
    creditCode: code('91410100MA9EC0L4Q'),
    users: [{ email: 'eco@demo.zdec.cn', displayName: '技术部 何敏', role: 'provider' }],
    focus: ['ecology', 'natural-resources', 'culture-tourism', 'education', 'industry', 'finance'],
  },
  {
    key: 'logistics',
    name: '河南中原智慧物流有限公司',
    creditCode: code('91410100MA9WL5T6R'),
    users: [{ email: 'buyer@demo.zdec.cn', displayName: '采购部 周杰', role: 'buyer' }],
  },
  {
    key: 'insurer',
    name: '豫禾农业保险股份有限公司',
    creditCode: code('91410000MA9NB7X8P'),
    users: [{ email: 'insurer@demo.zdec.cn', displayName: '精算部 吴娟', role: 'buyer' }],
  },
  {
    key: 'bank',
    name: '嵩岳商业银行股份有限公司',
    creditCode: code('91410000MA9YH2K9U'),
    users: [{ email: 'bank@demo.zdec.cn', displayName: '风险管理部 郭涛', role: 'buyer' }],
  },
  {
    key: 'institute',
    name: '郑州城市规划设计研究院',
    creditCode: code('12410100MB1CG3H4N'),
    users: [{ email: 'institute@demo.zdec.cn', displayName: '规划所 林海燕', role: 'buyer' }],
  },
  {
    key: 'automaker',
    name: '河南新能源汽车科技有限公司',
    creditCode: code('91410100MA9QC6E7D'),
    users: [{ email: 'auto@demo.zdec.cn', displayName: '数据部 马超', role: 'buyer' }],
  },
];
