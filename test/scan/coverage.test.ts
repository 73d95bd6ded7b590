import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { useTestApp } from '../helpers/app';
import { twoSheetXlsx } from './workbooks';
import { createDraft, uploadSample } from '../resources/fixtures';
import {
  approve,
  CLEAN_CSV,
  createListing,
  grant,
  idNumber,
  listingBody,
  makeResource,
  makeWorld,
  submit,
  upload,
  type World,
} from '../listings/world';

/*
 * Issue 12, item 2: the scan covers every row of every worksheet and every character of long values,
 * and review fails closed on a scan that did not (or that was stored before scans said so).
 */

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});

const IDS = Array.from({ length: 10 }, (_, i) => idNumber(`4101051990030${String(7100 + i)}`));

/** 5,000 clean rows (the old scan cap), then ten rows of valid ID numbers. */
const LATE_IDS_CSV = Buffer.from(
  [
    '站点,日期,证件号码',
    ...Array.from({ length: 5_000 }, (_, i) => `站点${i},2026-01-01,${100000 + i}`),
    ...IDS.map((id, i) => `末站${i},2026-01-02,${id}`),
  ].join('\n') + '\n',
  'utf8',
);

const twoSheets = () => twoSheetXlsx(IDS.slice(0, 3));

/** No header row: the first row, with an ID number and a mobile number, becomes the column names. */
const HEADERLESS_CSV = Buffer.from(`${IDS[1]},张三,13812345678\n站点1,2026-01-01,100\n站点2,2026-01-02,200\n`, 'utf8');

/** A value of 30,000 characters (past the 20,000 the scan once read) with an ID number at its end. */
const LONG_VALUE_CSV = Buffer.from(`站点,备注\n郑州东站,"${'客流平稳。'.repeat(6_000)}${IDS[0]}"\n`, 'utf8');

async function pendingListing(files: { sample?: Buffer; sampleName?: string; data?: Buffer }) {
  const resource = await makeResource(w.authority, { level: 'L4' });
  const auth = await grant(t, w.authority, w.provider, [resource]);
  const l = await createListing(t, w.provider, listingBody([resource], auth.id, { deIdentified: true }));
  await upload(t, w.provider, l.id, 'sample', files.sample ?? CLEAN_CSV, files.sampleName ?? 'sample.csv');
  await upload(t, w.provider, l.id, 'data', files.data ?? CLEAN_CSV, 'data.csv');
  const preview = await submit(t, w.provider, l.id);
  return { id: l.id, preview };
}

async function expectSampleCleanFails(listingId: string, message: RegExp) {
  const res = await approve(t, w.exchange, listingId);
  expect(res.status).toBe(422);
  expect(res.body.errors).toEqual([{ path: 'rules.sample-clean', message: expect.stringMatching(message) }]);
  expect((await ListingModel.findById(listingId).lean())!.status).toBe('pending_review');
}

describe('resource samples are scanned whole', () => {
  it('when ten ID numbers follow 5,000 clean rows, then every row is scanned and the sample is L4', async () => {
    const id = await createDraft(t, w.authority);
    const res = await uploadSample(t, w.authority, id, LATE_IDS_CSV, 'late.csv');
    expect(res.status).toBe(200);
    expect(res.body.scan).toMatchObject({ rowsScanned: 5_010, complete: true });
    const field = res.body.scan.fields.find((f: { field: string }) => f.field === '证件号码');
    expect(field.findings).toMatchObject([{ detector: 'idNumber', matches: 10 }]);
    expect(res.body.proposed).toEqual({ grade: 'general', level: 'L4' });
  });

  it('when the second worksheet of an XLSX holds ID numbers, then they are found under its name', async () => {
    const id = await createDraft(t, w.authority);
    const res = await uploadSample(t, w.authority, id, await twoSheets(), 'two.xlsx');
    expect(res.status).toBe(200);
    expect(res.body.scan).toMatchObject({ rowsScanned: 4, complete: true });
    const fields = res.body.scan.fields as { field: string; findings: { detector: string; matches: number }[] }[];
    expect(fields.map((f) => f.field)).toEqual(['站点', '客流量', '名单!姓名', '名单!证件号码']);
    expect(fields[3]!.findings).toMatchObject([{ detector: 'idNumber', matches: 3 }]);
    expect(res.body.proposed.level).toBe('L4');
  });

  it('when a CSV has no header row and its first row holds an ID number, then the column names are scanned and it is L4', async () => {
    const id = await createDraft(t, w.authority);
    const res = await uploadSample(t, w.authority, id, HEADERLESS_CSV, 'headerless.csv');
    expect(res.status).toBe(200);
    const names = res.body.scan.fields.find((f: { field: string }) => f.field === '(column names)');
    expect(names.findings).toMatchObject([
      { detector: 'idNumber', matches: 1, counted: true },
      { detector: 'mobile', matches: 1, counted: true },
    ]);
    expect(res.body.proposed.level).toBe('L4');
  });

  it('when an ID number sits at the end of a 30,000-character value, then it is found', async () => {
    const id = await createDraft(t, w.authority);
    const res = await uploadSample(t, w.authority, id, LONG_VALUE_CSV, 'long.csv');
    expect(res.status).toBe(200);
    const field = res.body.scan.fields.find((f: { field: string }) => f.field === '备注');
    expect(field.findings).toMatchObject([{ detector: 'idNumber', matches: 1 }]);
  });
});

describe('review fails closed', () => {
  it('when a listing sample hides ID numbers past row 5,000, then approval fails with sample-clean', async () => {
    const { id, preview } = await pendingListing({ sample: LATE_IDS_CSV });
    expect(preview.checklist.find((c) => c.rule === 'sample-clean')).toMatchObject({ ok: false });
    await expectSampleCleanFails(id, /sample holds L3\/L4 values \(证件号码: idNumber×10\)/);
  });

  it('when a deliverable hides ID numbers past row 5,000, then approval fails with sample-clean', async () => {
    const { id } = await pendingListing({ data: LATE_IDS_CSV });
    await expectSampleCleanFails(id, /deliverable holds L3\/L4 values \(证件号码: idNumber×10\)/);
  });

  it('when the second worksheet of the sample holds ID numbers, then approval fails with sample-clean', async () => {
    const { id } = await pendingListing({ sample: await twoSheets(), sampleName: 'two.xlsx' });
    await expectSampleCleanFails(id, /名单!证件号码: idNumber×3/);
  });

  it('when a listing sample has personal data in its header row, then approval fails with sample-clean', async () => {
    const { id } = await pendingListing({ sample: HEADERLESS_CSV, sampleName: 'headerless.csv' });
    await expectSampleCleanFails(id, /\(column names\): idNumber×1/);
  });

  it('when a stored scan says it was cut, then approval fails with sample-clean and says why', async () => {
    const { id } = await pendingListing({});
    const stored = (await ListingModel.findById(id).lean())!;
    const cut = {
      ...(stored.sampleScan as object),
      complete: false,
      incomplete: ['rows 5001 to 5010 were not scanned'],
    };
    await ListingModel.updateOne({ _id: id }, { $set: { sampleScan: cut } });
    await expectSampleCleanFails(id, /sample was not scanned whole \(rows 5001 to 5010 were not scanned\)/);
  });

  it('when a stored scan predates the completeness flag, then approval fails with sample-clean until re-upload', async () => {
    const { id } = await pendingListing({});
    const stored = (await ListingModel.findById(id).lean())!;
    const { complete: _complete, ...legacy } = stored.dataScan as { complete: boolean };
    await ListingModel.updateOne({ _id: id }, { $set: { dataScan: legacy } });
    await expectSampleCleanFails(id, /deliverable was scanned before every row was scanned: upload it again/);
  });

  it('when sample and deliverable are scanned whole and clean, then it is approved', async () => {
    const { id } = await pendingListing({});
    expect((await approve(t, w.exchange, id)).status).toBe(200);
  });
});
