/** Roles of SPEC section 2. */
export const ROLES = ['authority', 'provider', 'exchange', 'buyer', 'regulator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a person may choose when registering on their own; the rest are created by an admin. */
/**
 * Separation of duties within the exchange (SPEC section 9, issue 12 #8): each exchange user has
 * exactly one duty. Compliance reviewers review and delist products; clearing staff confirm bank
 * transfers, refund, cancel orders and revoke entitlements. Neither does the other's work.
 */
export const EXCHANGE_DUTIES = ['review', 'clearing'] as const;
export type ExchangeDuty = (typeof EXCHANGE_DUTIES)[number];

export const SELF_REGISTER_ROLES = ['buyer', 'provider'] as const;

/** Classification domains (分类), SPEC section 3, with their Chinese names. */
export const DOMAINS = {
  transport: '交通物流',
  meteorology: '气象服务',
  'natural-resources': '自然资源',
  ecology: '生态环境',
  health: '医疗健康',
  education: '教育',
  'culture-tourism': '文化旅游',
  'market-regulation': '市场监管',
  credit: '信用',
  'gov-services': '政务服务',
  agriculture: '农业',
  industry: '工业',
  finance: '金融',
  'social-security': '社会保障',
  'urban-management': '城市管理',
  energy: '能源',
  other: '其他',
} as const;
export type Domain = keyof typeof DOMAINS;
export const DOMAIN_KEYS = Object.keys(DOMAINS) as [Domain, ...Domain[]];

export const OPENNESS = ['unconditional', 'conditional', 'closed'] as const;
export type Openness = (typeof OPENNESS)[number];

/** Grades after GB/T 43697-2024, lowest first so that the index is the order. */
export const GRADES = ['general', 'important', 'core'] as const;
export type Grade = (typeof GRADES)[number];
/** Sensitivity levels of general data, lowest first. */
export const LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;
export type Level = (typeof LEVELS)[number];

/** `publicizing`: submitted for registration and under public notice (公示), no certificate yet. */
export const RESOURCE_STATUSES = ['draft', 'publicizing', 'registered', 'retired'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const UPDATE_FREQUENCIES = [
  'realtime',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;

export const AUTHORIZATION_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

export const PRODUCT_TYPES = ['dataset', 'api', 'report', 'model', 'data-component', 'service'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export const DELIVERY_MODES = ['download', 'api', 'sandbox'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const PRICING_MODELS = ['one_time', 'subscription', 'per_call'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];
export const LISTING_STATUSES = ['draft', 'pending_review', 'listed', 'rejected', 'suspended', 'delisted'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const PAYMENT_METHODS = ['stripe', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const ORDER_STATUSES = ['pending_payment', 'paid', 'delivered', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const LEDGER_TYPES = [
  'resource.registered',
  'authorization.granted',
  'authorization.revoked',
  'listing.listed',
  'listing.delisted',
  'trade.settled',
  'trade.refunded',
  // registration lifecycle (公共数据资源登记管理暂行办法): 变更, 更正, 注销
  'resource.changed',
  'resource.corrected',
  'resource.cancelled',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** The province's 2027 targets (defaults; the server reads them from configuration). */
export const TARGETS = {
  listings: 5000,
  volumeFen: 1_000_000_000_000,
  deadline: '2027-12-31',
} as const;

/** Largest page a list endpoint returns. */
export const MAX_PAGE_SIZE = 100;
