import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  formatYuan,
  type OrgName,
  type SupervisionReport,
  type SupervisionView,
  type TradeFigures,
} from '@zdec/shared';
import { CSV_BOM, CSV_EOL, csvCell } from '../ledger/ledger.csv';

type Cell = string | number | boolean | null;
interface Column<R> {
  /** Header as written: Chinese first, the English key after it, so both readers find the column. */
  header: string;
  value: (row: R) => Cell;
  /** Width in the spreadsheet. */
  width?: number;
}

const yuan = (fen: number) => formatYuan(fen);
const figures = <R>(pick: (r: R) => TradeFigures, prefix = '', en = ''): Column<R>[] => [
  { header: `${prefix}成交笔数 ${en}settledCount`, value: (r) => pick(r).settledCount },
  { header: `${prefix}成交金额（元） ${en}settledYuan`, value: (r) => yuan(pick(r).settledFen), width: 16 },
  { header: `${prefix}退款笔数 ${en}refundedCount`, value: (r) => pick(r).refundedCount },
  { header: `${prefix}退款金额（元） ${en}refundedYuan`, value: (r) => yuan(pick(r).refundedFen), width: 16 },
  { header: `${prefix}净交易额（元） ${en}volumeYuan`, value: (r) => yuan(pick(r).volumeFen), width: 16 },
  { header: `${prefix}净交易额（分） ${en}volumeFen`, value: (r) => pick(r).volumeFen, width: 16 },
];
const org = <R>(pick: (r: R) => OrgName | null, zh: string, en: string): Column<R>[] => [
  { header: `${zh} ${en}`, value: (r) => pick(r)?.name ?? pick(r)?.id ?? null, width: 32 },
  { header: `${zh}统一社会信用代码 ${en}CreditCode`, value: (r) => pick(r)?.creditCode ?? null, width: 22 },
];

type Rows = { [V in SupervisionView]: SupervisionReport[V][number] };
const COLUMNS: { [V in SupervisionView]: Column<Rows[V]>[] } = {
  byMonth: [{ header: '月份 month', value: (r) => r.month }, ...figures<Rows['byMonth']>((r) => r)],
  byDomain: [{ header: '领域 domain', value: (r) => r.domain }, ...figures<Rows['byDomain']>((r) => r)],
  byGrade: [{ header: '分级 grade', value: (r) => r.grade }, ...figures<Rows['byGrade']>((r) => r)],
  byOrg: [
    ...org<Rows['byOrg']>((r) => r, '单位', 'org'),
    ...figures<Rows['byOrg']>((r) => r.bought, '采购', 'bought.'),
    ...figures<Rows['byOrg']>((r) => r.sold, '销售', 'sold.'),
  ],
  largest: [
    { header: '台账序号 seq', value: (r) => r.seq },
    { header: '时间 at', value: (r) => r.at, width: 26 },
    { header: '挂牌编号 listingCode', value: (r) => r.listingCode, width: 20 },
    { header: '产品 listingTitle', value: (r) => r.listingTitle, width: 32 },
    ...org<Rows['largest']>((r) => r.buyer, '采购方', 'buyer'),
    ...org<Rows['largest']>((r) => r.provider, '供方', 'provider'),
    { header: '金额（元） amountYuan', value: (r) => yuan(r.amountFen), width: 16 },
    { header: '金额（分） amountFen', value: (r) => r.amountFen, width: 16 },
    { header: '订单 orderId', value: (r) => r.orderId, width: 26 },
  ],
  nearCap: [
    { header: '挂牌编号 listingCode', value: (r) => r.listingCode, width: 20 },
    { header: '产品 listingTitle', value: (r) => r.listingTitle, width: 32 },
    ...org<Rows['nearCap']>((r) => r.provider, '供方', 'provider'),
    { header: '授权编号 authorizationNumber', value: (r) => r.authorizationNumber, width: 18 },
    { header: '计价方式 pricingModel', value: (r) => r.pricingModel },
    { header: '价格（元） priceYuan', value: (r) => yuan(r.priceFen), width: 16 },
    { header: '收费上限（元） capYuan', value: (r) => yuan(r.capFen), width: 16 },
    { header: '价格/上限 ratio', value: (r) => r.ratio },
    { header: '超过上限 above', value: (r) => r.above },
    ...figures<Rows['nearCap']>((r) => r.trades),
  ],
  repeatedPairs: [
    ...org<Rows['repeatedPairs']>((r) => r.buyer, '采购方', 'buyer'),
    ...org<Rows['repeatedPairs']>((r) => r.provider, '供方', 'provider'),
    ...figures<Rows['repeatedPairs']>((r) => r.trades),
    { header: '涉及产品数 listings', value: (r) => r.listings },
    { header: '首笔 firstAt', value: (r) => r.firstAt, width: 26 },
    { header: '末笔 lastAt', value: (r) => r.lastAt, width: 26 },
    { header: '反向交易 reciprocal', value: (r) => r.reciprocal },
  ],
};

/** The rows an export of `view` writes (also what the client's progress counts against). */
export function exportRows<V extends SupervisionView>(report: SupervisionReport, view: V): Rows[V][] {
  return report[view] as Rows[V][];
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed) throw new Error('the client went away');
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Streams one view as CSV: UTF-8 with BOM (so Excel reads the Chinese), CRLF, one line per row. */
export async function writeViewCsv<V extends SupervisionView>(report: SupervisionReport, view: V, out: Writable) {
  const cols = COLUMNS[view] as Column<Rows[V]>[];
  await write(out, CSV_BOM + cols.map((c) => csvCell(c.header)).join(',') + CSV_EOL);
  let chunk = '';
  for (const row of exportRows(report, view)) {
    chunk += cols.map((c) => csvCell(String(c.value(row) ?? ''))).join(',') + CSV_EOL;
    if (chunk.length > 64 * 1024) {
      await write(out, chunk);
      chunk = '';
    }
  }
  if (chunk) await write(out, chunk);
}

function basisRows(report: SupervisionReport, view: SupervisionView): [string, Cell][] {
  const b = report.basis;
  return [
    ['视图 view', view],
    ['数据来源 source', '交易台账 ledger (trade.settled, trade.refunded)'],
    ['台账头序号 headSeq', b.headSeq],
    ['台账头哈希 headHash', b.headHash],
    ['计入条目 tradeEntries', b.tradeEntries],
    ['起 from', b.from],
    ['止 to', b.to],
    ['单位 org', b.org ? `${b.org.name} (${b.org.creditCode})` : null],
    ['生成时间 computedAt', b.computedAt],
  ];
}

/**
 * Streams one view as XLSX with exceljs' streaming writer (rows are committed as they are written),
 * with a second sheet that names the ledger head the figures were computed from.
 */
export async function writeViewXlsx<V extends SupervisionView>(report: SupervisionReport, view: V, out: Writable) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'ZDEC supervision';
  const cols = COLUMNS[view] as Column<Rows[V]>[];
  const sheet = wb.addWorksheet(view);
  sheet.columns = cols.map((c, i) => ({ key: String(i), width: c.width ?? 14 }));
  const header = sheet.addRow(cols.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for (const row of exportRows(report, view)) sheet.addRow(cols.map((c) => c.value(row))).commit();
  sheet.commit();
  const basis = wb.addWorksheet('basis 依据');
  basis.columns = [{ width: 24 }, { width: 70 }];
  for (const r of basisRows(report, view)) basis.addRow(r).commit();
  basis.commit();
  await wb.commit();
}
