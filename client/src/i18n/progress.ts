/** Messages of long work (issue 16 item 7): the demo world loading. Spread into zh.ts and en.ts. */
export const PROGRESS_ZH = {
  'demoWorld.loading':
    '演示数据正在后台加载：{phase}，{done}/{total} 步，历史已到 {at}（{percent}%）。目录、订单和统计会随之增加。',
  'demoWorld.starting': '演示数据正在后台加载，马上开始……',
  'demoWorld.interrupted': '演示数据加载中断，数据不完整：停止平台，删除 ./data 后重新启动。',
  'demoWorld.progressLabel': '演示数据加载进度',
  // a sample's column names are scanned too (issue 12)
  'scan.columnNames': '（列名本身）',
  'demoWorld.phase.resources': '登记数据资源',
  'demoWorld.phase.authorizations': '授权运营',
  'demoWorld.phase.listings': '产品上架审核',
  'demoWorld.phase.trades': '交易与结算',
  'demoWorld.phase.sandbox': '沙箱产品',
  'demoWorld.phase.waiting': '待办事项',
};

export const PROGRESS_EN: Record<keyof typeof PROGRESS_ZH, string> = {
  'demoWorld.loading':
    'The demo world is loading in the background: {phase}, step {done} of {total}, history up to {at} ({percent}%). The catalogue, orders and statistics grow as it goes.',
  'demoWorld.starting': 'The demo world is about to load in the background…',
  'demoWorld.interrupted':
    'Loading the demo world was interrupted and it is incomplete: stop the platform, delete ./data and start again.',
  'demoWorld.progressLabel': 'Demo world loading progress',
  'scan.columnNames': '(the column names themselves)',
  'demoWorld.phase.resources': 'registering data resources',
  'demoWorld.phase.authorizations': 'authorizations',
  'demoWorld.phase.listings': 'listing and review',
  'demoWorld.phase.trades': 'trades and settlement',
  'demoWorld.phase.sandbox': 'sandbox products',
  'demoWorld.phase.waiting': 'work waiting',
};
