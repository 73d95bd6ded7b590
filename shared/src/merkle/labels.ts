import { formatYuan } from '../money';
import type { CheckId, ReceiptKind } from './bundle';

/** Titles and claim labels of receipts, used by the PDF (server) and the printable page (client). */
export const RECEIPT_TITLES: Record<ReceiptKind, { zh: string; en: string }> = {
  registration: { zh: '公共数据资源登记证书', en: 'Data resource registration certificate' },
  listing: { zh: '数据产品挂牌证书', en: 'Data product listing certificate' },
  trade: { zh: '数据交易凭证', en: 'Data trade receipt' },
};

export const CLAIM_LABELS: Record<string, { zh: string; en: string }> = {
  certificateNumber: { zh: '登记证书编号', en: 'Certificate number' },
  resourceName: { zh: '资源名称', en: 'Resource' },
  holderDepartment: { zh: '数据持有部门', en: 'Holding department' },
  holder: { zh: '登记主体', en: 'Registrant' },
  regionCode: { zh: '行政区划代码', en: 'Region code' },
  domain: { zh: '领域', en: 'Domain' },
  level: { zh: '敏感级别', en: 'Sensitivity level' },
  issuedAt: { zh: '发证时间', en: 'Issued at' },
  certificateDigest: { zh: '证书摘要 (SHA-256)', en: 'Certificate digest (SHA-256)' },
  listingCode: { zh: '挂牌编号', en: 'Listing code' },
  title: { zh: '产品名称', en: 'Product' },
  provider: { zh: '挂牌主体', en: 'Provider' },
  productType: { zh: '产品类型', en: 'Product type' },
  deliveryMode: { zh: '交付方式', en: 'Delivery mode' },
  pricingModel: { zh: '计价方式', en: 'Pricing model' },
  priceFen: { zh: '挂牌价格', en: 'List price' },
  orderNumber: { zh: '订单编号', en: 'Order number' },
  buyer: { zh: '买方', en: 'Buyer' },
  seller: { zh: '卖方', en: 'Seller' },
  quantity: { zh: '数量', en: 'Quantity' },
  amountFen: { zh: '成交金额', en: 'Amount' },
  grade: { zh: '数据分级', en: 'Grade' },
  seq: { zh: '台账序号', en: 'Ledger seq' },
  ledgerType: { zh: '台账事件', en: 'Ledger event' },
  recordedAt: { zh: '上链时间', en: 'Recorded at' },
  entryHash: { zh: '台账条目哈希', en: 'Ledger entry hash' },
};

/** What each verification check means, for the verify page and the offline verifier. */
export const CHECK_LABELS: Record<CheckId, { zh: string; en: string }> = {
  format: { zh: '凭证格式', en: 'Bundle format' },
  digest: { zh: '二维码摘要与凭证一致', en: 'QR digest matches the bundle' },
  entryHash: { zh: '台账条目哈希由其内容重新计算', en: 'Entry hash recomputed from its fields' },
  claims: { zh: '凭证内容与台账条目一致', en: 'Receipt claims match the entry' },
  inclusion: { zh: 'Merkle 包含证明通向签名树根', en: 'Merkle inclusion proof leads to the signed root' },
  keyId: { zh: '签名密钥为交易中心公布的公钥', en: 'Signed by the published exchange key' },
  signature: { zh: '树头 Ed25519 签名有效', en: 'Ed25519 signature of the tree head is valid' },
  consistency: { zh: '与最新签名树头一致 (仅追加)', en: 'Consistent with the latest signed head (append-only)' },
  latestSignature: { zh: '最新树头签名有效', en: 'Signature of the latest head is valid' },
};

const CLAIM_ORDER = Object.keys(CLAIM_LABELS);

/** A receipt's claims in reading order (the bundle's canonical JSON sorts them alphabetically). */
export function orderedClaims(claims: Record<string, string | number>): [string, string | number][] {
  const rank = (k: string) => (CLAIM_ORDER.includes(k) ? CLAIM_ORDER.indexOf(k) : CLAIM_ORDER.length);
  return Object.entries(claims).sort(([a], [b]) => rank(a) - rank(b));
}

/** A claim as printed: amounts in fen as yuan. */
export function claimText(key: string, v: string | number): string {
  return typeof v === 'number' && key.endsWith('Fen') ? `¥${formatYuan(v)}` : String(v);
}
