import type { DeliveryMode, PricingModel, ProductType } from '@zdec/shared';

/** One data product an operator builds from a resource template (`{city}` is replaced for city templates). */
export interface ProductIdea {
  title: string;
  type: ProductType;
  delivery: DeliveryMode;
  model: PricingModel;
  /** Price in yuan (Zhengzhou and provincial products; smaller cities pay less). */
  priceYuan: number;
  periodDays?: number;
  unit?: string;
  tags: string[];
  summary: string;
  /** Further source templates of the same region combined into the product. */
  with?: string[];
  /** A new edition every year (2025版, 2026版), each listed on its own. */
  yearly?: boolean;
}

/** The products an operator builds on the resources of one template. */
export interface ProductGroup {
  template: string;
  operator: string;
  ideas: ProductIdea[];
}

interface Options {
  model?: PricingModel;
  periodDays?: number;
  delivery?: DeliveryMode;
  with?: string[];
  yearly?: boolean;
}

function idea(
  type: ProductType,
  defaults: { delivery: DeliveryMode; model: PricingModel },
): (title: string, priceYuan: number, tags: string[], summary: string, o?: Options) => ProductIdea {
  return (title, priceYuan, tags, summary, o = {}) => {
    const model = o.model ?? defaults.model;
    return {
      title,
      type,
      delivery: o.delivery ?? defaults.delivery,
      model,
      priceYuan,
      ...(model === 'subscription' ? { periodDays: o.periodDays ?? 365, unit: '年' } : {}),
      ...(model === 'per_call' ? { unit: '千次' } : {}),
      tags,
      summary,
      ...(o.with ? { with: o.with } : {}),
      ...(o.yearly ? { yearly: true } : {}),
    };
  };
}

const dataset = idea('dataset', { delivery: 'download', model: 'one_time' });
const api = idea('api', { delivery: 'api', model: 'per_call' });
const report = idea('report', { delivery: 'download', model: 'one_time' });
const model = idea('model', { delivery: 'api', model: 'subscription' });
const service = idea('service', { delivery: 'sandbox', model: 'one_time' });
const component = idea('data-component', { delivery: 'api', model: 'subscription' });
const SUB = { model: 'subscription' } as const;

export const PRODUCTS: ProductGroup[] = [
  {
    template: '河南省高速公路收费站车流量数据',
    operator: 'hndata',
    ideas: [
      dataset('河南省高速公路车流量统计数据集', 180_000, ['高速公路', '车流量', '路网运行'], '全省收费站分时段、分车型出入口流量，按日汇总。'),
      api('高速公路收费站实时车流量API', 800, ['高速公路', '实时数据'], '按收费站查询最近一小时客车、货车流量。'),
      report('河南省高速公路货运流量分析报告', 36_000, ['货运', '物流'], '按月分析全省高速货车流量、主要通道和节点变化。', { ...SUB, yearly: true }),
      report('高速公路节假日出行预测报告', 26_000, ['节假日', '出行预测'], '春节、国庆等节假日高速出行量与拥堵时段预测。', { yearly: true }),
      model('物流园区选址评估模型', 680_000, ['物流园区', '选址'], '融合收费站流量与货车活跃度，评估物流园区候选地块的通达性。', {
        model: 'one_time',
        delivery: 'sandbox',
        with: ['河南省道路货运车辆运行轨迹统计'],
      }),
    ],
  },
  {
    template: '河南省道路货运车辆运行轨迹统计',
    operator: 'hndata',
    ideas: [
      dataset('河南省县域货运活跃度指数', 96_000, ['货运', '县域经济'], '县区重型货车日活跃车辆数、平均里程构成的活跃度指数。'),
      api('货运车辆运行指数API', 600, ['货运', '指数'], '按县区和日期查询货运活跃度与停留时长。'),
      report('河南省公路货运景气指数季度报告', 12_000, ['景气指数', '物流'], '季度货运景气指数及重点产业带运输走势。', { yearly: true }),
    ],
  },
  {
    template: '河南省网络货运平台运单数据',
    operator: 'hndata',
    ideas: [
      dataset('河南省网络货运运价指数（去标识化）', 150_000, ['运价指数', '网络货运'], '按起讫县区汇总的整车运价指数，已去除车牌号与司机联系方式。'),
      service('网络货运运单合规核验服务', 420_000, ['合规核验', '网络货运'], '在隐私计算环境中核验运单真实性与运费合理性，结果不出域。'),
      model('干线物流运价预测模型', 520_000, ['运价预测', '干线物流'], '基于去标识化运单的干线运价月度预测。'),
    ],
  },
  {
    template: '河南省气象观测站逐小时观测数据',
    operator: 'zymet',
    ideas: [
      dataset('河南省逐小时气象观测数据集', 60_000, ['气象观测', '历史数据'], '国家级与区域站逐小时气温、降水、风速、湿度。'),
      api('气象实况数据API', 500, ['气象实况', '实时数据'], '按站点或县区查询最新逐小时气象实况。'),
      report('河南省月度气候分析报告', 18_000, ['气候分析'], '月度气温、降水距平与极端天气事件分析。', { ...SUB, yearly: true }),
      component('气象数据质量控制组件', 90_000, ['数据组件', '质量控制'], '对接入的气象观测序列做极值、时间一致性和空间一致性检查。', {
        model: 'one_time',
      }),
    ],
  },
  {
    template: '河南省精细化网格气象预报数据',
    operator: 'zymet',
    ideas: [
      api('5公里网格气象预报API', 380_000, ['网格预报', '天气预报'], '按经纬度网格查询未来72小时逐3小时预报。', SUB),
      service('物流运输天气风险预警服务', 260_000, ['物流', '预警'], '按干线路段推送降雨、大雾、道路结冰风险预警。', { ...SUB, delivery: 'api' }),
      component('光伏风电发电气象预报组件', 650_000, ['新能源', '功率预测'], '为新能源场站功率预测系统提供辐照度、风速预报因子。'),
    ],
  },
  {
    template: '河南省农业气象灾害监测数据',
    operator: 'zymet',
    ideas: [
      dataset('河南省农业气象灾害监测数据集', 45_000, ['农业气象', '灾害监测'], '干旱、干热风、霜冻等灾害的县级监测指数。'),
      report('小麦干热风灾害风险评估报告', 28_000, ['小麦', '干热风'], '灌浆期干热风风险分区与减灾建议。', { yearly: true }),
      model('农业保险气象指数定损模型', 860_000, ['农业保险', '指数保险'], '以县级灾害指数和作物产量为依据的指数保险定损模型。', {
        model: 'one_time',
        delivery: 'sandbox',
        with: ['河南省主要农作物种植与产量数据'],
      }),
    ],
  },
  {
    template: '河南省土地利用现状数据',
    operator: 'hneco',
    ideas: [
      dataset('河南省土地利用现状统计数据集', 220_000, ['国土调查', '土地利用'], '按县区、地类汇总的土地利用现状面积。'),
      report('县域耕地保护监测报告', 35_000, ['耕地保护'], '县域耕地面积变化与非农化风险监测。', { yearly: true }),
    ],
  },
  {
    template: '河南省高精度基础测绘地理信息',
    operator: 'hneco',
    ideas: [
      service('高精度地形要素隐私计算沙箱服务', 1_200_000, ['重要数据', '隐私计算', '测绘'], '重要数据不出域：在沙箱内调用1:2000地形要素完成空间分析，仅输出统计结果。', SUB),
      dataset('城市三维建模基础地理数据沙箱', 1_680_000, ['重要数据', '三维建模'], '在隐私计算沙箱内提供道路、水系、居民地要素，用于城市信息模型构建。', {
        delivery: 'sandbox',
      }),
    ],
  },
  {
    template: '河南省不动产登记统计数据',
    operator: 'hndata',
    ideas: [
      dataset('河南省不动产登记月度统计数据集', 48_000, ['不动产', '房地产'], '按县区、用途统计的月度登记宗数。', SUB),
      report('房地产市场运行监测报告', 18_000, ['房地产', '市场监测'], '住宅、商业不动产登记量走势与区域分化。', { yearly: true }),
      model('住房信贷风险评估模型', 750_000, ['信贷风控', '住房'], '结合区域不动产登记活跃度评估住房信贷区域风险。'),
      component('不动产市场区县分析组件', 160_000, ['数据组件', '区县分析'], '按区县输出不动产交易活跃度指标的可嵌入组件。'),
    ],
  },
  {
    template: '河南省空气质量自动监测数据',
    operator: 'hneco',
    ideas: [
      dataset('河南省空气质量小时数据集', 38_000, ['空气质量', 'PM2.5'], '国控、省控站点逐小时六项污染物浓度与AQI。'),
      api('空气质量实时数据API', 500, ['空气质量', '实时数据'], '按站点查询最新小时空气质量。'),
      report('大气污染成因分析报告', 46_000, ['大气污染', '源解析'], '重污染过程回顾与成因分析。', { yearly: true }),
      component('空气质量预报数据组件', 120_000, ['数据组件', '空气质量预报'], '未来七天城市空气质量等级预报组件。'),
    ],
  },
  {
    template: '河南省重点排污单位在线监测数据',
    operator: 'hneco',
    ideas: [
      service('企业环境信用评价数据服务', 320_000, ['环境信用', '绿色金融'], '按企业输出排放达标率与环境信用分，服务金融机构。', { ...SUB, delivery: 'api' }),
      dataset('重点排污单位排放监测数据集', 160_000, ['排污监测', '污染源'], '重点排污单位废气、废水排放浓度小时数据。'),
      model('绿色信贷环境风险评估模型', 980_000, ['绿色信贷', '风险评估'], '以企业排放监测数据评估贷款主体的环境合规风险。', {
        model: 'one_time',
      }),
      report('排污许可执行情况分析报告', 30_000, ['排污许可'], '分行业排污许可执行与超标排放分析。', { yearly: true }),
    ],
  },
  {
    template: '河南省地表水水质监测数据',
    operator: 'hneco',
    ideas: [
      dataset('黄河流域地表水水质数据集', 52_000, ['黄河流域', '水质'], '黄河、淮河流域国控断面水质类别与主要指标。'),
      report('河南省水环境质量季度报告', 9_800, ['水环境'], '断面水质达标率与变化趋势。', { yearly: true }),
    ],
  },
  {
    template: '河南省医疗机构门诊量统计',
    operator: 'hndata',
    ideas: [
      report('河南省医疗服务需求分析报告', 42_000, ['医疗服务', '需求分析'], '分科室门急诊量变化与区域医疗资源供需。', { yearly: true }),
      dataset('医疗机构门诊量统计数据集', 88_000, ['门诊量', '医疗机构'], '二级以上医疗机构分科室月度门急诊人次。'),
      model('流感季门急诊预测模型', 460_000, ['流感', '预测'], '预测未来四周儿科、呼吸科门急诊量。'),
    ],
  },
  {
    template: '河南省电子健康档案数据',
    operator: 'hndata',
    ideas: [
      service('慢病人群健康画像统计服务（去标识化）', 720_000, ['慢病管理', '去标识化'], '沙箱内对去标识化健康档案做慢病人群统计，仅输出聚合结果。'),
      dataset('商业健康险精算数据沙箱', 580_000, ['健康险', '精算'], '保险机构在沙箱内使用去标识化的慢病与建档统计开展精算。', {
        ...SUB,
        delivery: 'sandbox',
      }),
      report('区域慢病患病率统计报告', 56_000, ['慢病', '患病率'], '按县区统计的高血压、糖尿病管理人数与患病率。', { yearly: true }),
    ],
  },
  {
    template: '河南省中小学校基础信息',
    operator: 'hneco',
    ideas: [
      dataset('河南省中小学校分布数据集', 26_000, ['教育资源', '学校分布'], '中小学校名称、类型、在校生规模与所在县区。'),
      report('学位供需预测分析报告', 68_000, ['学位供需'], '结合在校生规模预测县区学位缺口。'),
    ],
  },
  {
    template: '河南省A级旅游景区客流数据',
    operator: 'hneco',
    ideas: [
      dataset('河南省A级景区客流数据集', 75_000, ['景区客流', '文旅'], '全省A级景区日接待人次与门票收入。'),
      api('景区客流实时监测API', 600, ['景区客流', '实时数据'], '按景区查询当日累计接待人次。'),
      report('河南省文旅消费趋势年度报告', 32_000, ['文旅消费'], '景区接待、门票收入与节假日消费趋势。', { yearly: true }),
      model('节假日景区客流预测模型', 380_000, ['客流预测', '节假日'], '预测节假日重点景区分时客流，支撑限流预约。'),
      service('文旅景区客群分析服务', 240_000, ['客群分析'], '沙箱内按景区、季节分析客流结构与收入。'),
    ],
  },
  {
    template: '河南省市场主体登记信息',
    operator: 'hndata',
    ideas: [
      api('企业工商登记信息查询API', 1_200, ['企业信息', '工商登记'], '按统一社会信用代码或名称查询企业登记状态。'),
      report('河南省市场主体发展分析报告', 22_000, ['市场主体', '营商环境'], '新设、注销企业结构与区域分布。', { yearly: true }),
      dataset('河南省新设企业名录数据集', 68_000, ['新设企业', '名录'], '按月更新的新设企业名录。', SUB),
      component('企业关联关系图谱组件', 460_000, ['知识图谱', '关联关系'], '基于登记信息构建企业关联图谱，供风控系统调用。'),
    ],
  },
  {
    template: '河南省企业信用评价结果',
    operator: 'hndata',
    ideas: [
      api('企业公共信用评价查询API', 2_500, ['公共信用', '授信'], '按企业查询公共信用综合评价等级。'),
      model('中小企业信用风险评估模型', 1_380_000, ['信用风险', '普惠金融'], '融合登记与信用评价结果的中小企业违约风险评分。'),
      service('普惠金融信用数据服务', 1_850_000, ['普惠金融', '联合建模'], '银行在沙箱内与公共信用数据联合建模，数据可用不可见。', {
        with: ['河南省市场主体登记信息'],
      }),
      service('供应链企业信用监测服务', 680_000, ['供应链金融', '信用监测'], '对供应链上下游企业信用等级变化实时推送。', { ...SUB, delivery: 'api' }),
    ],
  },
  {
    template: '河南省政务服务事项办件统计',
    operator: 'hndata',
    ideas: [
      report('河南省政务服务效能分析报告', 15_000, ['政务服务', '效能'], '办件量、办结时长与一网通办成效分析。', { yearly: true }),
      dataset('政务服务办件统计数据集', 30_000, ['办件统计'], '按县区、事项类别的月度办件量。'),
    ],
  },
  {
    template: '河南省主要农作物种植与产量数据',
    operator: 'zymet',
    ideas: [
      dataset('河南省主要农作物产量数据集', 36_000, ['粮食生产', '农作物'], '县级主要农作物播种面积与产量。'),
      model('小麦产量预测模型', 560_000, ['小麦', '产量预测'], '结合气象观测预测县级小麦单产与总产。', {
        with: ['河南省气象观测站逐小时观测数据'],
      }),
      report('粮食生产形势分析报告', 24_000, ['粮食安全'], '夏粮、秋粮生产形势与产量预估。', { yearly: true }),
    ],
  },
  {
    template: '河南省高标准农田建设数据',
    operator: 'zymet',
    ideas: [
      dataset('高标准农田建设分布数据集', 58_000, ['高标准农田'], '项目区、面积与建设年度。'),
      service('农田水利投资决策分析服务', 390_000, ['农田水利', '投资决策'], '沙箱内评估农田建设项目的灌溉与增产效益。'),
    ],
  },
  {
    template: '河南省规模以上工业企业用电数据',
    operator: 'zymet',
    ideas: [
      api('企业用电景气指数API', 1_800, ['电力看经济', '景气指数'], '按企业或行业查询月度用电景气指数。'),
      report('电力看经济月度分析报告', 48_000, ['电力看经济'], '规上工业用电与产业景气联动分析。', { ...SUB, yearly: true }),
      model('企业经营风险用电监测模型', 1_500_000, ['经营风险', '贷后监测'], '以用电量异常识别企业停产、减产风险，服务银行贷后管理。'),
      component('区域产业电力指数组件', 2_000, ['数据组件', '产业指数'], '按区域、行业输出电力指数。', { model: 'per_call' }),
    ],
  },
  {
    template: '河南省新能源汽车充电桩运行数据',
    operator: 'zymet',
    ideas: [
      dataset('河南省充电桩运行数据集', 42_000, ['充电桩', '新能源汽车'], '县区公共充电桩日充电量与利用率。'),
      report('充电设施布局规划分析报告', 56_000, ['充电设施', '规划'], '充电需求热点与设施缺口分析。'),
      api('充电需求预测API', 700, ['充电需求', '预测'], '按县区预测未来一周充电需求。'),
    ],
  },
  {
    template: '河南省社会保险参保缴费数据',
    operator: 'hndata',
    ideas: [
      service('企业社保缴纳核验服务（去标识化）', 1_500, ['社保核验', '去标识化'], '核验企业参保人数与缴费连续性，不返回个人信息。', {
        model: 'per_call',
        delivery: 'api',
      }),
      report('就业人群收入结构统计报告', 65_000, ['收入结构', '就业'], '按行业、县区统计的缴费基数分布。'),
      model('个人信贷还款能力评估模型', 590_000, ['信贷', '还款能力'], '沙箱内以去标识化缴费数据评估还款能力，仅输出模型分。', {
        delivery: 'sandbox',
      }),
    ],
  },
  {
    template: '河南省企业职工就业统计',
    operator: 'hndata',
    ideas: [
      report('河南省就业形势季度分析报告', 12_000, ['就业形势'], '城镇新增就业与失业登记走势。', { yearly: true }),
      dataset('县域就业统计数据集', 28_000, ['县域就业'], '按县区、季度统计的就业与失业登记人数。'),
    ],
  },
  {
    template: '河南省金融机构普惠贷款统计',
    operator: 'hneco',
    ideas: [
      dataset('县域普惠金融发展指数', 82_000, ['普惠金融', '县域'], '普惠小微贷款余额、户数构成的县域指数。'),
      report('普惠金融发展监测报告', 38_000, ['普惠金融'], '县域普惠贷款投放与覆盖分析。', { yearly: true }),
    ],
  },
  {
    template: '河南省工业企业产能与产量数据',
    operator: 'hneco',
    ideas: [
      dataset('重点行业产能利用率数据集', 150_000, ['产能利用率', '制造业'], '重点行业规上企业月度产能利用率。', SUB),
      report('河南省制造业景气分析报告', 28_000, ['制造业', '景气'], '分行业产量与产能利用率景气分析。', { yearly: true }),
      model('产业链供应链风险监测模型', 1_260_000, ['产业链', '供应链风险'], '识别重点产业链上企业产能异常与断链风险。', {
        model: 'one_time',
      }),
    ],
  },

  // City templates: one product per city each.
  {
    template: '{city}公交车辆实时运行数据',
    operator: 'zztraffic',
    ideas: [
      report('{city}公交客流分析月报', 24_000, ['公交', '客流'], '线路客流、满载率与高峰时段分析，按月发布。', { ...SUB, yearly: true }),
      api('{city}公交实时到站数据API', 500, ['公交', '实时到站'], '按线路、站点查询车辆到离站时间。'),
      service('{city}公交线网优化分析服务', 260_000, ['线网优化'], '沙箱内分析线路重复系数与站点覆盖，输出优化方案。'),
    ],
  },
  {
    template: '{city}城市道路交通拥堵指数',
    operator: 'zztraffic',
    ideas: [
      api('{city}道路交通拥堵指数API', 500, ['拥堵指数', '实时路况'], '按道路查询实时拥堵指数与平均车速。'),
      report('{city}交通运行年度报告', 18_000, ['交通运行'], '全年拥堵指数、通勤时间与重点道路分析。', { yearly: true }),
      dataset('{city}通勤出行时空分析数据集', 60_000, ['通勤', '时空分析'], '主干道分时车速与公交满载率的联合数据集。', {
        with: ['{city}公交车辆实时运行数据'],
      }),
    ],
  },
  {
    template: '{city}网约车订单起讫点数据',
    operator: 'zztraffic',
    ideas: [
      dataset('{city}网约车出行OD热力数据（去标识化）', 120_000, ['出行OD', '去标识化'], '按网格聚合的出行起讫量，已去除精确坐标。'),
      model('{city}出行需求预测模型', 420_000, ['出行需求', '预测'], '沙箱内预测分时段、分区域出行需求。', { delivery: 'sandbox' }),
    ],
  },
  {
    template: '{city}气象站降水监测数据',
    operator: 'zymet',
    ideas: [
      service('{city}城市内涝风险预警服务', 180_000, ['内涝预警', '城市安全'], '结合小时降水实况推送易涝点风险等级。', { ...SUB, delivery: 'api' }),
      dataset('{city}逐小时降水数据集', 20_000, ['降水', '历史数据'], '区域自动站逐小时降水量。'),
    ],
  },
  {
    template: '{city}建设用地供应数据',
    operator: 'hndata',
    ideas: [
      report('{city}土地市场分析季报', 16_000, ['土地市场'], '出让地块面积、用途与成交价分析。', { yearly: true }),
      dataset('{city}建设用地供应数据集', 45_000, ['建设用地', '土地出让'], '国有建设用地出让、划拨地块明细。'),
    ],
  },
  {
    template: '{city}噪声与扬尘在线监测数据',
    operator: 'hneco',
    ideas: [
      api('{city}建筑工地扬尘监测数据API', 500, ['扬尘', '工地监管'], '按点位查询工地PM10与噪声。'),
      report('{city}环境噪声与扬尘分析报告', 15_000, ['噪声', '扬尘'], '工地扬尘超标时段与噪声投诉热点分析。', { yearly: true }),
    ],
  },
  {
    template: '{city}城市管理案件数据',
    operator: 'zztraffic',
    ideas: [
      dataset('{city}城市运行事件统计数据集', 25_000, ['城市运行', '数字城管'], '案件类型、县区与处置时长统计。'),
      report('{city}数字城管案件分析报告', 12_000, ['数字城管'], '案件高发区域与处置效率分析。', { yearly: true }),
    ],
  },
  {
    template: '{city}停车场泊位实时数据',
    operator: 'zztraffic',
    ideas: [
      api('{city}停车泊位实时查询API', 500, ['停车', '实时泊位'], '按停车场查询剩余泊位。'),
      service('{city}智慧停车规划分析服务', 150_000, ['智慧停车', '规划'], '沙箱内分析泊位周转与缺口，输出停车设施规划建议。'),
    ],
  },

  // Operators' own enterprise data.
  {
    template: '河南数据集团企业经营景气指数库',
    operator: 'hndata',
    ideas: [
      report('河南省企业经营景气指数月报', 36_000, ['景气指数', '企业经营'], '分行业、分县区企业经营景气指数月度发布。', SUB),
      api('区域经济景气指数API', 800, ['景气指数', '区域经济'], '按县区、行业查询景气指数。'),
    ],
  },
  {
    template: '中原气象风能太阳能资源观测数据',
    operator: 'zymet',
    ideas: [
      dataset('河南省风光资源评估数据集', 320_000, ['风能', '太阳能', '资源评估'], '测风塔与辐射站逐小时观测，用于风光资源评估。'),
      service('新能源场站选址评估服务', 880_000, ['新能源', '选址'], '沙箱内综合风光资源与电网接入条件评估场站选址。'),
    ],
  },
  {
    template: '郑州市共享单车停放热点统计',
    operator: 'zztraffic',
    ideas: [
      dataset('郑州市共享单车停放热点数据集', 30_000, ['共享单车', '停放热点'], '按道路聚合的停放量与周转率。'),
      report('郑州市非机动车停放治理分析报告', 18_000, ['非机动车', '城市治理'], '停放热点与治理建议。'),
    ],
  },
];
