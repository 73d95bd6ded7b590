/**
 * Messages of long work (issue 16 item 7: the demo world loading) and of the account page (issue 12:
 * password change). Spread into zh.ts and en.ts.
 */
export const PROGRESS_ZH = {
  'demoWorld.loading':
    '演示数据正在后台加载：{phase}，{done}/{total} 步，历史已到 {at}（{percent}%）。目录、订单和统计会随之增加。',
  'demoWorld.starting': '演示数据正在后台加载，马上开始……',
  'demoWorld.interrupted': '演示数据加载中断，数据不完整：停止平台，删除 ./data 后重新启动。',
  'demoWorld.progressLabel': '演示数据加载进度',
  // a sample's column names are scanned too (issue 12)
  'scan.columnNames': '（列名本身）',
  // the account page (issue 12)
  'nav.account': '我的账号',
  'account.title': '我的账号',
  'account.subtitle': '登录账号与所属单位；修改密码后，其他设备上的登录会全部失效。',
  'account.role': '角色',
  'account.org': '所属单位',
  'account.changePassword': '修改密码',
  'account.changeHint': '新密码至少 10 位，不能是常见或已泄露的密码。',
  'account.current': '当前密码',
  'account.new': '新密码',
  'account.confirm': '再次输入新密码',
  'account.mismatch': '两次输入的新密码不一致',
  'account.changed': '密码已修改。其他设备上的登录已失效，本设备保持登录。',
  'demoWorld.phase.resources': '登记数据资源',
  'demoWorld.phase.authorizations': '授权运营',
  'demoWorld.phase.listings': '产品上架审核',
  'demoWorld.phase.trades': '交易与结算',
  'demoWorld.phase.sandbox': '沙箱产品',
  'demoWorld.phase.registrations': '登记公示与异议',
};

export const PROGRESS_EN: Record<keyof typeof PROGRESS_ZH, string> = {
  'demoWorld.loading':
    'The demo world is loading in the background: {phase}, step {done} of {total}, history up to {at} ({percent}%). The catalogue, orders and statistics grow as it goes.',
  'demoWorld.starting': 'The demo world is about to load in the background…',
  'demoWorld.interrupted':
    'Loading the demo world was interrupted and it is incomplete: stop the platform, delete ./data and start again.',
  'demoWorld.progressLabel': 'Demo world loading progress',
  'scan.columnNames': '(the column names themselves)',
  'nav.account': 'My account',
  'account.title': 'My account',
  'account.subtitle': 'Your sign-in and organisation. Changing the password signs you out on every other device.',
  'account.role': 'Role',
  'account.org': 'Organisation',
  'account.changePassword': 'Change password',
  'account.changeHint': 'At least 10 characters, and not a common or breached password.',
  'account.current': 'Current password',
  'account.new': 'New password',
  'account.confirm': 'New password again',
  'account.mismatch': 'The two new passwords differ',
  'account.changed': 'Password changed. Other devices are signed out; this one stays signed in.',
  'demoWorld.phase.resources': 'registering data resources',
  'demoWorld.phase.authorizations': 'authorizations',
  'demoWorld.phase.listings': 'listing and review',
  'demoWorld.phase.trades': 'trades and settlement',
  'demoWorld.phase.sandbox': 'sandbox products',
  'demoWorld.phase.registrations': 'registration notices and objections',
};
