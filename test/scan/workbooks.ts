import ExcelJS from 'exceljs';

/** One clean worksheet (客流), and a second one (名单) holding these ID numbers. */
export async function twoSheetXlsx(ids: readonly string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const first = wb.addWorksheet('客流');
  first.addRow(['站点', '客流量']);
  first.addRow(['郑州东站', 12345]);
  const second = wb.addWorksheet('名单');
  second.addRow(['姓名', '证件号码']);
  for (const id of ids) second.addRow(['张三', id]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
