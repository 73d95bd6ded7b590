import JSZip from 'jszip';
import { parseSample } from '../../server/src/modules/samples/samples.parse';
import { twoSheetXlsx } from './workbooks';

/*
 * ExcelJS's streaming reader names a worksheet from xl/workbook.xml and fails on a worksheet read
 * after the rels and shared strings but before xl/workbook.xml ("Cannot read properties of undefined
 * (reading 'sheets')"); ExcelJS's own writer sometimes orders an archive so. The parser puts the
 * workbook's parts first, so every order reads the same.
 */
const workbook = () => twoSheetXlsx(['110101199003074514']);

/** The same archive with its entries in the order `rank` gives (lower first). */
async function reordered(data: Buffer, rank: (name: string) => number): Promise<Buffer> {
  const zip = await JSZip.loadAsync(data);
  const out = new JSZip();
  const entries = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
  for (const n of entries.sort((a, b) => rank(a) - rank(b))) out.file(n, await zip.file(n)!.async('uint8array'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function read(data: Buffer) {
  const rows: string[] = [];
  const parsed = await parseSample(data, { onRecord: (r, part) => rows.push(`${part}${JSON.stringify(r)}`) });
  return { columns: parsed.columns, records: parsed.records, rows };
}

const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;
const EARLY = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'];

it('when the worksheets come between the shared strings and xl/workbook.xml, then the workbook reads as in the usual order, sheet names included', async () => {
  const usual = await reordered(await workbook(), (n) => (n === 'xl/workbook.xml' ? 0 : 1));
  const late = await reordered(await workbook(), (n) =>
    EARLY.includes(n) ? 0 : SHEET.test(n) ? 1 : n === 'xl/workbook.xml' ? 3 : 2,
  );
  const order = Object.keys((await JSZip.loadAsync(late)).files);
  expect(order.findIndex((n) => SHEET.test(n))).toBeLessThan(order.indexOf('xl/workbook.xml'));

  const want = await read(usual);
  expect(want.columns).toEqual(['站点', '客流量']);
  expect(want.rows).toEqual([
    '{"站点":"郑州东站","客流量":12345}',
    '名单!{"姓名":"张三","证件号码":"110101199003074514"}',
  ]);
  expect(await read(late)).toEqual(want);
});
