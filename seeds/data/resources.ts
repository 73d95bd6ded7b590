import type { Domain, Grade, Openness } from '@zdec/shared';

/** How a sample column is generated (see seeds/samples.ts). */
export type Gen =
  | 'date'
  | 'datetime'
  | 'month'
  | 'station'
  | 'road'
  | 'plate'
  | 'idNumber'
  | 'mobile'
  | 'personName'
  | 'coord'
  | 'county'
  | 'company'
  | 'creditCode'
  | 'hospital'
  | 'school'
  | 'crop'
  | 'pollutant'
  | 'scenic'
  | `int:${number}:${number}`
  | `float:${number}:${number}:${number}`
  | `pick:${string}`;

export interface FieldDef {
  name: string;
  type: 'string' | 'integer' | 'number' | 'date' | 'datetime' | 'geo';
  description: string;
  gen: Gen;
}

export interface ResourceDef {
  key: string;
  /** The template's name (`{city}` not yet replaced): what the product catalogue refers to. */
  template: string;
  name: string;
  description: string;
  holder: string;
  region: string;
  domain: Domain;
  openness: Openness;
  frequency: 'realtime' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';
  records: number;
  fields: FieldDef[];
  /** Declared by the authority above what the scan finds (important-data catalogue). */
  declaredGrade?: Grade;
  /** Enterprise data (企业数据) registered by this provider organisation (seeds/data/orgs.ts key); public data otherwise. */
  owner?: string;
}

const f = (name: string, type: FieldDef['type'], description: string, gen: Gen): FieldDef => ({ name, type, description, gen });

interface Template extends Omit<ResourceDef, 'key' | 'template' | 'name' | 'holder' | 'region'> {
  name: string; // {city} is replaced
  holder: string; // {city} is replaced
}

/** Regions of the demo world and their names. */
export const CITIES: Record<string, string> = {
  '410000': '河南省',
  '410100': '郑州市',
  '410300': '洛阳市',
  '410700': '新乡市',
  '411300': '南阳市',
  '410200': '开封市',
  '411500': '信阳市',
};

/** Province-level templates (region 410000) and city templates instantiated for several cities. */
const PROVINCE: Template[] = [
  {
    name: '河南省高速公路收费站车流量数据',
    holder: '河南省交通运输厅',
    domain: 'transport',
    openness: 'conditional',
    frequency: 'hourly',
    records: 18_400_000,
    description: '全省高速公路收费站分时段出入口车流量、车型构成，用于路网运行分析与物流规划。',
    fields: [
      f('统计时间', 'datetime', '统计时段起点', 'datetime'),
      f('收费站', 'string', '收费站名称', 'station'),
      f('方向', 'string', '入口/出口', 'pick:入口|出口'),
      f('客车流量', 'integer', '辆', 'int:20:900'),
      f('货车流量', 'integer', '辆', 'int:10:700'),
    ],
  },
  {
    name: '河南省道路货运车辆运行轨迹统计',
    holder: '河南省交通运输厅',
    domain: 'transport',
    openness: 'conditional',
    frequency: 'daily',
    records: 52_000_000,
    description: '重型货车按县区聚合的日行驶里程、停留时长统计（已聚合，不含车辆标识）。',
    fields: [
      f('日期', 'date', '统计日期', 'date'),
      f('县区', 'string', '所在县区', 'county'),
      f('车辆数', 'integer', '活跃车辆数', 'int:100:9000'),
      f('平均里程', 'number', '公里', 'float:80:620:1'),
      f('平均停留时长', 'number', '小时', 'float:0.5:9:1'),
    ],
  },
  {
    name: '河南省网络货运平台运单数据',
    holder: '河南省交通运输厅',
    domain: 'transport',
    openness: 'conditional',
    frequency: 'daily',
    records: 9_600_000,
    description: '网络货运平台上报的运单信息，含承运车辆号牌与司机联系方式，须脱敏后使用。',
    fields: [
      f('运单日期', 'date', '托运日期', 'date'),
      f('起运地', 'string', '起运县区', 'county'),
      f('到达地', 'string', '到达县区', 'county'),
      f('车牌号', 'string', '承运车辆号牌', 'plate'),
      f('司机手机号', 'string', '司机联系电话', 'mobile'),
      f('运费', 'number', '元', 'float:300:12000:2'),
    ],
  },
  {
    name: '河南省气象观测站逐小时观测数据',
    holder: '河南省气象局',
    domain: 'meteorology',
    openness: 'unconditional',
    frequency: 'hourly',
    records: 31_000_000,
    description: '全省国家级与区域气象观测站逐小时气温、降水、风速、相对湿度观测资料。',
    fields: [
      f('观测时间', 'datetime', '北京时间', 'datetime'),
      f('站点', 'string', '观测站名称', 'station'),
      f('气温', 'number', '摄氏度', 'float:-12:41:1'),
      f('降水量', 'number', '毫米', 'float:0:38:1'),
      f('风速', 'number', '米/秒', 'float:0:17:1'),
      f('相对湿度', 'integer', '%', 'int:12:100'),
    ],
  },
  {
    name: '河南省精细化网格气象预报数据',
    holder: '河南省气象局',
    domain: 'meteorology',
    openness: 'conditional',
    frequency: 'hourly',
    records: 4_200_000,
    description: '5公里网格逐3小时温度、降水、风预报，服务农业、能源和保险行业。',
    fields: [
      f('预报时间', 'datetime', '起报时间', 'datetime'),
      f('县区', 'string', '网格所属县区', 'county'),
      f('预报气温', 'number', '摄氏度', 'float:-10:40:1'),
      f('降水概率', 'integer', '%', 'int:0:100'),
    ],
  },
  {
    name: '河南省农业气象灾害监测数据',
    holder: '河南省气象局',
    domain: 'meteorology',
    openness: 'unconditional',
    frequency: 'daily',
    records: 380_000,
    description: '干旱、干热风、霜冻等农业气象灾害监测指数，按县区发布。',
    fields: [
      f('日期', 'date', '监测日期', 'date'),
      f('县区', 'string', '县区', 'county'),
      f('灾害类型', 'string', '类型', 'pick:干旱|干热风|霜冻|连阴雨'),
      f('等级', 'string', '轻/中/重', 'pick:轻|中|重'),
    ],
  },
  {
    name: '河南省土地利用现状数据',
    holder: '河南省自然资源厅',
    domain: 'natural-resources',
    openness: 'conditional',
    frequency: 'yearly',
    records: 2_600_000,
    description: '国土调查口径的土地利用现状图斑统计（按县区、地类汇总）。',
    fields: [
      f('县区', 'string', '县区', 'county'),
      f('地类', 'string', '三调地类', 'pick:耕地|园地|林地|草地|建设用地|水域'),
      f('面积', 'number', '公顷', 'float:100:90000:2'),
      f('年度', 'integer', '年份', 'int:2022:2025'),
    ],
  },
  {
    name: '河南省高精度基础测绘地理信息',
    holder: '河南省自然资源厅',
    domain: 'natural-resources',
    openness: 'conditional',
    frequency: 'yearly',
    records: 740_000,
    description: '1:2000 高精度地形要素坐标数据，列入重要数据目录，仅可在隐私计算沙箱内使用。',
    declaredGrade: 'important',
    fields: [
      f('要素编号', 'string', '编号', 'int:100000:999999'),
      f('要素类型', 'string', '类型', 'pick:道路|水系|居民地|植被'),
      f('坐标', 'geo', 'CGCS2000 经纬度', 'coord'),
    ],
  },
  {
    name: '河南省不动产登记统计数据',
    holder: '河南省自然资源厅',
    domain: 'natural-resources',
    openness: 'conditional',
    frequency: 'monthly',
    records: 96_000,
    description: '按县区、用途统计的不动产登记宗数与面积（不含权利人信息）。',
    fields: [
      f('月份', 'string', '统计月份', 'month'),
      f('县区', 'string', '县区', 'county'),
      f('用途', 'string', '用途', 'pick:住宅|商业|工业|其他'),
      f('登记宗数', 'integer', '宗', 'int:20:4000'),
    ],
  },
  {
    name: '河南省矿产资源储量数据',
    holder: '河南省自然资源厅',
    domain: 'natural-resources',
    openness: 'closed',
    frequency: 'yearly',
    records: 12_000,
    description: '矿产资源储量与矿区范围，不予开放。',
    declaredGrade: 'core',
    fields: [
      f('矿区', 'string', '矿区名称', 'station'),
      f('矿种', 'string', '矿种', 'pick:钼|金|铝土矿|煤'),
      f('储量', 'number', '万吨', 'float:1:5000:1'),
    ],
  },
  {
    name: '河南省空气质量自动监测数据',
    holder: '河南省生态环境厅',
    domain: 'ecology',
    openness: 'unconditional',
    frequency: 'hourly',
    records: 14_000_000,
    description: '国控、省控空气质量自动监测站逐小时 PM2.5、PM10、O3、NO2 浓度与 AQI。',
    fields: [
      f('监测时间', 'datetime', '时间', 'datetime'),
      f('站点', 'string', '监测站', 'station'),
      f('PM2.5', 'number', '微克/立方米', 'float:3:260:0'),
      f('PM10', 'number', '微克/立方米', 'float:8:400:0'),
      f('AQI', 'integer', '指数', 'int:15:320'),
    ],
  },
  {
    name: '河南省重点排污单位在线监测数据',
    holder: '河南省生态环境厅',
    domain: 'ecology',
    openness: 'conditional',
    frequency: 'hourly',
    records: 6_800_000,
    description: '重点排污单位废气、废水在线监测排放浓度，含单位统一社会信用代码。',
    fields: [
      f('监测时间', 'datetime', '时间', 'datetime'),
      f('排污单位', 'string', '单位名称', 'company'),
      f('统一社会信用代码', 'string', '单位代码', 'creditCode'),
      f('污染物', 'string', '污染物', 'pollutant'),
      f('排放浓度', 'number', '毫克/立方米', 'float:0.1:90:2'),
    ],
  },
  {
    name: '河南省地表水水质监测数据',
    holder: '河南省生态环境厅',
    domain: 'ecology',
    openness: 'unconditional',
    frequency: 'weekly',
    records: 210_000,
    description: '黄河、淮河流域国控断面地表水水质类别与主要指标。',
    fields: [
      f('日期', 'date', '监测日期', 'date'),
      f('断面', 'string', '断面名称', 'station'),
      f('水质类别', 'string', 'I~劣V', 'pick:I|II|III|IV|V'),
      f('氨氮', 'number', 'mg/L', 'float:0.02:3:2'),
    ],
  },
  {
    name: '河南省医疗机构门诊量统计',
    holder: '河南省卫生健康委员会',
    domain: 'health',
    openness: 'conditional',
    frequency: 'monthly',
    records: 160_000,
    description: '二级以上医疗机构按科室统计的月门诊、急诊人次。',
    fields: [
      f('月份', 'string', '月份', 'month'),
      f('医疗机构', 'string', '机构名称', 'hospital'),
      f('科室', 'string', '科室', 'pick:内科|外科|儿科|妇产科|急诊科'),
      f('门诊人次', 'integer', '人次', 'int:200:60000'),
    ],
  },
  {
    name: '河南省电子健康档案数据',
    holder: '河南省卫生健康委员会',
    domain: 'health',
    openness: 'conditional',
    frequency: 'daily',
    records: 98_000_000,
    description: '居民电子健康档案，含身份证号与诊疗记录，属敏感个人信息，仅可经去标识化后授权使用。',
    fields: [
      f('姓名', 'string', '居民姓名', 'personName'),
      f('身份证号', 'string', '公民身份号码', 'idNumber'),
      f('手机号', 'string', '联系电话', 'mobile'),
      f('建档机构', 'string', '机构', 'hospital'),
      f('慢病标识', 'string', '是否慢病管理', 'pick:是|否'),
    ],
  },
  {
    name: '河南省中小学校基础信息',
    holder: '河南省教育厅',
    domain: 'education',
    openness: 'unconditional',
    frequency: 'yearly',
    records: 42_000,
    description: '中小学校名称、办学类型、在校生规模与所在县区。',
    fields: [
      f('学校', 'string', '学校名称', 'school'),
      f('县区', 'string', '县区', 'county'),
      f('办学类型', 'string', '类型', 'pick:小学|初级中学|高级中学|完全中学'),
      f('在校生数', 'integer', '人', 'int:120:4800'),
    ],
  },
  {
    name: '河南省A级旅游景区客流数据',
    holder: '河南省文化和旅游厅',
    domain: 'culture-tourism',
    openness: 'conditional',
    frequency: 'daily',
    records: 1_900_000,
    description: '全省A级景区日接待游客量与门票收入（景区级汇总）。',
    fields: [
      f('日期', 'date', '日期', 'date'),
      f('景区', 'string', '景区名称', 'scenic'),
      f('接待人次', 'integer', '人次', 'int:300:160000'),
      f('门票收入', 'number', '元', 'float:5000:5200000:2'),
    ],
  },
  {
    name: '河南省市场主体登记信息',
    holder: '河南省市场监督管理局',
    domain: 'market-regulation',
    openness: 'unconditional',
    frequency: 'daily',
    records: 10_800_000,
    description: '企业、个体工商户登记基本信息（名称、统一社会信用代码、成立日期、登记状态）。',
    fields: [
      f('企业名称', 'string', '名称', 'company'),
      f('统一社会信用代码', 'string', '代码', 'creditCode'),
      f('成立日期', 'date', '日期', 'date'),
      f('登记状态', 'string', '状态', 'pick:存续|在业|注销|吊销'),
    ],
  },
  {
    name: '河南省企业信用评价结果',
    holder: '河南省发展和改革委员会',
    domain: 'credit',
    openness: 'conditional',
    frequency: 'monthly',
    records: 2_100_000,
    description: '公共信用综合评价等级，服务金融机构授信与招投标。',
    fields: [
      f('企业名称', 'string', '名称', 'company'),
      f('统一社会信用代码', 'string', '代码', 'creditCode'),
      f('评价等级', 'string', 'A/B/C/D', 'pick:A|B|C|D'),
      f('评价日期', 'date', '日期', 'date'),
    ],
  },
  {
    name: '河南省政务服务事项办件统计',
    holder: '河南省行政审批和政务信息管理局',
    domain: 'gov-services',
    openness: 'unconditional',
    frequency: 'monthly',
    records: 640_000,
    description: '“豫事办”及各级政务服务中心事项办件量、办结时长统计。',
    fields: [
      f('月份', 'string', '月份', 'month'),
      f('县区', 'string', '县区', 'county'),
      f('事项类别', 'string', '类别', 'pick:企业开办|社保|不动产|户籍|交通'),
      f('办件量', 'integer', '件', 'int:50:90000'),
      f('平均办结时长', 'number', '工作日', 'float:0.2:12:1'),
    ],
  },
  {
    name: '河南省主要农作物种植与产量数据',
    holder: '河南省农业农村厅',
    domain: 'agriculture',
    openness: 'unconditional',
    frequency: 'yearly',
    records: 18_000,
    description: '按县区统计的小麦、玉米等主要农作物播种面积与产量。',
    fields: [
      f('年度', 'integer', '年份', 'int:2019:2025'),
      f('县区', 'string', '县区', 'county'),
      f('作物', 'string', '作物', 'crop'),
      f('播种面积', 'number', '万亩', 'float:1:260:1'),
      f('产量', 'number', '万吨', 'float:0.5:140:1'),
    ],
  },
  {
    name: '河南省高标准农田建设数据',
    holder: '河南省农业农村厅',
    domain: 'agriculture',
    openness: 'conditional',
    frequency: 'yearly',
    records: 26_000,
    description: '高标准农田项目区位置、面积与建设年度。',
    fields: [
      f('项目区', 'string', '名称', 'station'),
      f('县区', 'string', '县区', 'county'),
      f('面积', 'number', '万亩', 'float:0.5:12:1'),
      f('建设年度', 'integer', '年份', 'int:2015:2025'),
    ],
  },
  {
    name: '河南省规模以上工业企业用电数据',
    holder: '国网河南省电力公司',
    domain: 'energy',
    openness: 'conditional',
    frequency: 'monthly',
    records: 1_200_000,
    description: '规上工业企业月度用电量，反映产业景气度，广泛用于金融风控（电力看经济）。',
    fields: [
      f('月份', 'string', '月份', 'month'),
      f('企业名称', 'string', '名称', 'company'),
      f('统一社会信用代码', 'string', '代码', 'creditCode'),
      f('用电量', 'number', '万千瓦时', 'float:1:9000:2'),
    ],
  },
  {
    name: '河南省新能源汽车充电桩运行数据',
    holder: '河南省发展和改革委员会',
    domain: 'energy',
    openness: 'unconditional',
    frequency: 'daily',
    records: 3_300_000,
    description: '公共充电桩日充电量、利用率，按县区汇总。',
    fields: [
      f('日期', 'date', '日期', 'date'),
      f('县区', 'string', '县区', 'county'),
      f('充电量', 'number', '千瓦时', 'float:500:98000:1'),
      f('利用率', 'number', '%', 'float:2:68:1'),
    ],
  },
  {
    name: '河南省社会保险参保缴费数据',
    holder: '河南省人力资源和社会保障厅',
    domain: 'social-security',
    openness: 'conditional',
    frequency: 'monthly',
    records: 67_000_000,
    description: '职工养老、医疗保险参保缴费明细，含公民身份号码与缴费基数，须去标识化。',
    fields: [
      f('姓名', 'string', '参保人姓名', 'personName'),
      f('身份证号', 'string', '公民身份号码', 'idNumber'),
      f('参保单位', 'string', '单位', 'company'),
      f('缴费基数', 'number', '元', 'float:3500:32000:0'),
    ],
  },
  {
    name: '河南省企业职工就业统计',
    holder: '河南省人力资源和社会保障厅',
    domain: 'social-security',
    openness: 'unconditional',
    frequency: 'quarterly',
    records: 88_000,
    description: '按县区、行业统计的城镇新增就业与失业登记人数。',
    fields: [
      f('季度', 'string', '统计月份', 'month'),
      f('县区', 'string', '县区', 'county'),
      f('新增就业', 'integer', '人', 'int:100:30000'),
      f('失业登记', 'integer', '人', 'int:10:4000'),
    ],
  },
  {
    name: '河南省金融机构普惠贷款统计',
    holder: '中国人民银行河南省分行',
    domain: 'finance',
    openness: 'conditional',
    frequency: 'monthly',
    records: 54_000,
    description: '按县区统计的普惠小微贷款余额与户数。',
    fields: [
      f('月份', 'string', '月份', 'month'),
      f('县区', 'string', '县区', 'county'),
      f('贷款余额', 'number', '亿元', 'float:1:900:2'),
      f('贷款户数', 'integer', '户', 'int:100:98000'),
    ],
  },
  {
    name: '河南省工业企业产能与产量数据',
    holder: '河南省工业和信息化厅',
    domain: 'industry',
    openness: 'conditional',
    frequency: 'monthly',
    records: 310_000,
    description: '重点行业规上企业月度产量、产能利用率。',
    fields: [
      f('月份', 'string', '月份', 'month'),
      f('企业名称', 'string', '名称', 'company'),
      f('行业', 'string', '行业', 'pick:装备制造|食品|新材料|电子信息|汽车'),
      f('产能利用率', 'number', '%', 'float:40:98:1'),
    ],
  },
];

const CITY: Template[] = [
  {
    name: '{city}公交车辆实时运行数据',
    holder: '{city}交通运输局',
    domain: 'transport',
    openness: 'conditional',
    frequency: 'realtime',
    records: 7_200_000,
    description: '公交线路车辆到离站时间与满载率（线路级，不含车辆精确轨迹）。',
    fields: [
      f('时间', 'datetime', '到站时间', 'datetime'),
      f('线路', 'string', '线路编号', 'pick:1路|6路|B2|K906|Y801|28路'),
      f('站点', 'string', '站点名称', 'station'),
      f('满载率', 'number', '%', 'float:5:120:0'),
    ],
  },
  {
    name: '{city}城市道路交通拥堵指数',
    holder: '{city}公安局交通管理支队',
    domain: 'transport',
    openness: 'unconditional',
    frequency: 'hourly',
    records: 2_400_000,
    description: '主干道分时拥堵指数与平均车速。',
    fields: [
      f('时间', 'datetime', '统计时间', 'datetime'),
      f('道路', 'string', '道路名称', 'road'),
      f('拥堵指数', 'number', '0~10', 'float:0.5:9.8:1'),
      f('平均车速', 'number', '公里/小时', 'float:8:72:1'),
    ],
  },
  {
    name: '{city}网约车订单起讫点数据',
    holder: '{city}交通运输局',
    domain: 'transport',
    openness: 'conditional',
    frequency: 'daily',
    records: 15_000_000,
    description: '网约车订单上下车精确坐标与时间，属位置轨迹敏感信息，须去标识化。',
    fields: [
      f('上车时间', 'datetime', '时间', 'datetime'),
      f('上车位置', 'geo', '经纬度', 'coord'),
      f('下车位置', 'geo', '经纬度', 'coord'),
      f('里程', 'number', '公里', 'float:1:45:1'),
    ],
  },
  {
    name: '{city}气象站降水监测数据',
    holder: '{city}气象局',
    domain: 'meteorology',
    openness: 'unconditional',
    frequency: 'hourly',
    records: 1_100_000,
    description: '区域自动站逐小时降水量，服务城市内涝预警。',
    fields: [
      f('时间', 'datetime', '观测时间', 'datetime'),
      f('站点', 'string', '站点', 'station'),
      f('小时降水量', 'number', '毫米', 'float:0:60:1'),
    ],
  },
  {
    name: '{city}建设用地供应数据',
    holder: '{city}自然资源和规划局',
    domain: 'natural-resources',
    openness: 'unconditional',
    frequency: 'monthly',
    records: 9_000,
    description: '国有建设用地出让、划拨地块面积、用途与成交价。',
    fields: [
      f('成交日期', 'date', '日期', 'date'),
      f('县区', 'string', '县区', 'county'),
      f('用途', 'string', '用途', 'pick:住宅|商服|工业|公共设施'),
      f('面积', 'number', '公顷', 'float:0.3:60:2'),
      f('成交价', 'number', '万元', 'float:200:480000:0'),
    ],
  },
  {
    name: '{city}噪声与扬尘在线监测数据',
    holder: '{city}生态环境局',
    domain: 'ecology',
    openness: 'unconditional',
    frequency: 'hourly',
    records: 880_000,
    description: '建筑工地扬尘 PM10 与环境噪声在线监测。',
    fields: [
      f('时间', 'datetime', '时间', 'datetime'),
      f('点位', 'string', '点位', 'station'),
      f('PM10', 'number', '微克/立方米', 'float:10:380:0'),
      f('噪声', 'number', '分贝', 'float:38:92:1'),
    ],
  },
  {
    name: '{city}城市管理案件数据',
    holder: '{city}城市管理局',
    domain: 'urban-management',
    openness: 'unconditional',
    frequency: 'daily',
    records: 520_000,
    description: '数字城管案件类型、发生县区、处置时长。',
    fields: [
      f('上报日期', 'date', '日期', 'date'),
      f('县区', 'string', '县区', 'county'),
      f('案件类型', 'string', '类型', 'pick:占道经营|井盖破损|违规广告|垃圾暴露|路灯故障'),
      f('处置时长', 'number', '小时', 'float:0.5:96:1'),
    ],
  },
  {
    name: '{city}停车场泊位实时数据',
    holder: '{city}城市管理局',
    domain: 'urban-management',
    openness: 'unconditional',
    frequency: 'realtime',
    records: 3_100_000,
    description: '公共停车场剩余泊位与周转率。',
    fields: [
      f('时间', 'datetime', '时间', 'datetime'),
      f('停车场', 'string', '名称', 'station'),
      f('总泊位', 'integer', '个', 'int:40:2000'),
      f('空余泊位', 'integer', '个', 'int:0:800'),
    ],
  },
];

function instantiate(t: Template, region: string, key: string): ResourceDef {
  const city = CITIES[region]!;
  return {
    ...t,
    key,
    template: t.name,
    region,
    name: t.name.replace('{city}', city),
    holder: t.holder.replace('{city}', city),
  };
}

/** The cities the city templates are instantiated for. */
export const CITY_REGIONS = ['410100', '410300', '410700', '411300', '410200', '411500'];

/** The catalogue of public data: 28 provincial + 8 city templates × 6 cities = 76 resources. */
export const RESOURCES: ResourceDef[] = [
  ...PROVINCE.map((t, i) => instantiate(t, '410000', `p${i}`)),
  ...CITY_REGIONS.flatMap((region) => CITY.map((t, i) => instantiate(t, region, `c${region}-${i}`))),
];

/** Operators' own enterprise data (企业数据资源), registered by the provider itself; no authorization needed. */
export const ENTERPRISE_RESOURCES: ResourceDef[] = (
  [
  {
    key: 'e-hndata',
    owner: 'hndata',
    name: '河南数据集团企业经营景气指数库',
    holder: '河南数据集团有限公司',
    region: '410000',
    domain: 'industry',
    openness: 'conditional',
    frequency: 'monthly',
    records: 86_000,
    description: '集团自建的重点企业经营景气调查样本库，按县区、行业汇总的月度景气指数与样本企业数。',
    fields: [
      f('月份', 'string', '统计月份', 'month'),
      f('县区', 'string', '县区', 'county'),
      f('行业', 'string', '行业', 'pick:装备制造|食品|新材料|电子信息|现代物流|批发零售'),
      f('景气指数', 'number', '50为荣枯线', 'float:38:72:1'),
      f('样本企业数', 'integer', '家', 'int:20:900'),
    ],
  },
  {
    key: 'e-zymet',
    owner: 'zymet',
    name: '中原气象风能太阳能资源观测数据',
    holder: '中原气象数据服务有限公司',
    region: '410000',
    domain: 'energy',
    openness: 'conditional',
    frequency: 'hourly',
    records: 2_700_000,
    description: '公司自建测风塔与辐射观测站的逐小时风速、总辐照度观测，用于新能源场站选址与功率预测。',
    fields: [
      f('观测时间', 'datetime', '北京时间', 'datetime'),
      f('站点', 'string', '观测站', 'station'),
      f('70米风速', 'number', '米/秒', 'float:0.5:18:1'),
      f('总辐照度', 'number', '瓦/平方米', 'float:0:1050:0'),
      f('有效发电小时', 'number', '小时', 'float:0:1:2'),
    ],
  },
  {
    key: 'e-zztraffic',
    owner: 'zztraffic',
    name: '郑州市共享单车停放热点统计',
    holder: '郑州交通大数据运营有限公司',
    region: '410100',
    domain: 'urban-management',
    openness: 'conditional',
    frequency: 'daily',
    records: 640_000,
    description: '与共享单车企业合作汇聚的停放热点统计（按道路聚合，不含骑行轨迹与用户信息）。',
    fields: [
      f('日期', 'date', '统计日期', 'date'),
      f('县区', 'string', '县区', 'county'),
      f('道路', 'string', '热点道路', 'road'),
      f('停放量', 'integer', '辆次', 'int:50:6800'),
      f('周转率', 'number', '次/车/日', 'float:0.8:6.5:1'),
    ],
  },
] satisfies Omit<ResourceDef, 'template'>[]
).map((r) => ({ ...r, template: r.name }));


/**
 * Public data registered at the end of the demo world's history under the registration lifecycle
 * (公示, objections, certificate): the first went through its notice, an objection that was
 * dismissed and its certificate; the second is under notice now, with an objection waiting for the
 * authority's ruling (issue 16 item 5). No product is built on them.
 */
export const NOTICE_RESOURCES: ResourceDef[] = (
  [
    {
      key: 'n-parking',
      name: '郑州市公共停车场泊位实时数据',
      description: '全市公共停车场（含路内泊位）泊位总数、实时空余泊位与收费标准，用于停车诱导与出行服务。',
      holder: '郑州市城市管理局',
      region: '410100',
      domain: 'urban-management',
      openness: 'conditional',
      frequency: 'realtime',
      records: 2_300_000,
      fields: [
        f('采集时间', 'datetime', '北京时间', 'datetime'),
        f('停车场', 'string', '停车场名称', 'station'),
        f('所在区县', 'string', '区县', 'county'),
        f('总泊位', 'integer', '个', 'int:40:1200'),
        f('空余泊位', 'integer', '个', 'int:0:600'),
      ],
    },
    {
      key: 'n-rural-roads',
      name: '河南省农村公路路况巡查数据',
      description: '全省农村公路路面技术状况、病害类型与养护巡查记录，按县区、路线编号汇总。',
      holder: '河南省交通运输厅',
      region: '410000',
      domain: 'transport',
      openness: 'conditional',
      frequency: 'monthly',
      records: 860_000,
      fields: [
        f('巡查日期', 'date', '巡查日期', 'date'),
        f('县区', 'string', '县区', 'county'),
        f('路线', 'string', '路线名称', 'road'),
        f('路面技术状况指数', 'number', 'PQI', 'float:55:98:1'),
        f('病害类型', 'string', '类型', 'pick:裂缝|坑槽|沉陷|车辙|无'),
      ],
    },
  ] satisfies Omit<ResourceDef, 'template'>[]
).map((r) => ({ ...r, template: r.name }));
