import crypto from 'node:crypto';
import iconv from 'iconv-lite';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { readFile } from '../../server/src/platform/storage';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, personCsv, storedFileCount, uploadSample, xlsxOf, xlsxShapedZip, zipOf } from './fixtures';

const t = useTestApp();
let authority: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
});

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('sample upload: accepted formats', () => {
  it('when a UTF-8 CSV (with BOM) is uploaded, then it is stored in GridFS with its SHA-256 and scanned', async () => {
    const id = await createDraft(t, authority);
    const data = Buffer.from('\ufeff' + personCsv('name,id_number,mobile'), 'utf8');
    const before = await storedFileCount();

    const res = await uploadSample(t, authority, id, data, 'people.csv', 'text/csv');

    expect(res.status).toBe(200);
    expect(res.body.resource.sample).toMatchObject({
      filename: 'people.csv',
      format: 'csv',
      encoding: 'utf-8',
      size: data.length,
      sha256: sha256(data),
    });
    expect(res.body.scan.rowsScanned).toBe(4);
    expect(res.body.scan.fields.map((f: { field: string }) => f.field)).toEqual(['name', 'id_number', 'mobile']);
    expect(res.body.proposed).toEqual({ grade: 'general', level: 'L4' });
    expect(await storedFileCount()).toBe(before + 1);
    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.sample!.sha256).toBe(sha256(data));
    expect(stored!.level).toBe('L4');
    expect(sha256(await readFile(stored!.sample!.fileId))).toBe(sha256(data));
  });

  it('when a GBK CSV with Chinese headers is uploaded, then it is decoded and the scan sees 姓名/身份证号/手机号', async () => {
    const id = await createDraft(t, authority);
    const data = iconv.encode(personCsv(), 'gbk');
    expect(data.includes(Buffer.from('姓名', 'utf8'))).toBe(false); // really GBK bytes

    const res = await uploadSample(t, authority, id, data, '人员样例.csv', 'text/csv');

    expect(res.status).toBe(200);
    expect(res.body.resource.sample).toMatchObject({ filename: '人员样例.csv', format: 'csv', encoding: 'gb18030' });
    const fields = res.body.scan.fields as { field: string; findings: { detector: string; matches: number }[] }[];
    expect(fields.map((f) => f.field)).toEqual(['姓名', '身份证号', '手机号']);
    const byField = Object.fromEntries(fields.map((f) => [f.field, f.findings.map((x) => x.detector)]));
    expect(byField['身份证号']).toContain('idNumber');
    expect(byField['手机号']).toContain('mobile');
    expect(byField['姓名']).toContain('personName');
    expect(res.body.proposed).toEqual({ grade: 'general', level: 'L4' });

    const download = await t.http
      .get(`/api/v1/resources/${id}/sample`)
      .set('Authorization', authority.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=gb18030');
    expect(download.headers['x-content-sha256']).toBe(sha256(data));
    expect(download.headers['content-disposition']).toContain("filename*=UTF-8''%E4%BA%BA%E5%91%98");
    expect(sha256(download.body as Buffer)).toBe(sha256(data));
  });

  it('when a JSON array of objects is uploaded, then it is accepted as JSON', async () => {
    const id = await createDraft(t, authority);
    const rows = [
      { station: '郑州', temp: 21.5, contact: { email: 'obs@example.cn' } },
      { station: '开封', temp: 20.1, contact: { email: 'kf@example.cn' } },
    ];
    const res = await uploadSample(t, authority, id, Buffer.from(JSON.stringify(rows)), 'obs.txt', 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body.resource.sample).toMatchObject({ format: 'json', encoding: 'utf-8' });
    expect(res.body.scan.rowsScanned).toBe(2);
    expect(res.body.proposed.level).toBe('L3'); // e-mail addresses are personal information
  });

  it('when an XLSX written by exceljs is uploaded, then its first sheet is read and scanned', async () => {
    const id = await createDraft(t, authority);
    const data = await xlsxOf([
      ['站点', '联系电话', '观测时间'],
      ['郑州站', '13800138000', new Date('2026-01-02T03:00:00Z')],
      ['洛阳站', '13912345678', new Date('2026-01-02T04:00:00Z')],
    ]);
    const res = await uploadSample(t, authority, id, data, 'stations.bin', 'application/octet-stream');
    expect(res.status).toBe(200);
    expect(res.body.resource.sample).toMatchObject({ format: 'xlsx', sha256: sha256(data) });
    expect(res.body.resource.sample.encoding).toBeUndefined();
    const phone = res.body.scan.fields.find((f: { field: string }) => f.field === '联系电话');
    expect(phone.findings[0]).toMatchObject({ detector: 'mobile', matches: 2 });
    expect(res.body.proposed.level).toBe('L3');
  });

  it('when a draft gets a second sample, then the first file is removed from GridFS', async () => {
    const id = await createDraft(t, authority);
    const first = await uploadSample(t, authority, id, Buffer.from('a,b\n1,2\n'), 'a.csv');
    expect(first.status).toBe(200);
    const count = await storedFileCount();
    const second = await uploadSample(t, authority, id, Buffer.from('c;d\n3;4\n'), 'b.csv');
    expect(second.status).toBe(200);
    expect(await storedFileCount()).toBe(count);
    const files = await ResourceModel.db
      .collection('files.files')
      .find({ _id: first.body.resource.sample.fileId })
      .toArray();
    expect(files).toHaveLength(0);
    expect(second.body.resource.sample.filename).toBe('b.csv');
  });
  it('when a CSV has more rows than the preview cap, then every row is scanned and checked', async () => {
    const id = await createDraft(t, authority);
    const rows = Array.from({ length: 6000 }, (_, i) => `${i},站点${i}`);
    const good = Buffer.from(['编号,站点', ...rows].join('\n') + '\n');
    const res = await uploadSample(t, authority, id, good, 'many.csv');
    expect(res.status).toBe(200);
    expect(res.body.scan).toMatchObject({ rowsScanned: 6000, complete: true });

    const files = await storedFileCount();
    const bad = Buffer.concat([good, Buffer.from('6000,"broken\n')]);
    const refused = await uploadSample(t, authority, id, bad, 'many.csv');
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/line 6002/);
    expect(await storedFileCount()).toBe(files);
  });
});

describe('sample upload: refusals change nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = await createDraft(t, authority);
  });

  const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), crypto.randomBytes(4096)]);

  async function expectRefused(
    send: () => Promise<{ status: number; body: { detail?: string; type?: string } }>,
    status: number,
    detail?: RegExp,
  ) {
    const files = await storedFileCount();
    const before = await ResourceModel.findById(id).lean();
    const res = await send();
    expect(res.status).toBe(status);
    if (detail) expect(res.body.detail).toMatch(detail);
    expect(await storedFileCount()).toBe(files);
    expect(await ResourceModel.findById(id).lean()).toEqual(before);
    return res;
  }

  it('when an ELF executable is renamed .csv and declared text/csv, then 415', async () => {
    const res = await expectRefused(() => uploadSample(t, authority, id, ELF, 'data.csv', 'text/csv'), 415, /ELF/);
    expect(res.body.type).toBe('urn:zdec:problem:unsupported-sample-format');
  });

  it('when a PNG image is renamed .json, then 415', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), crypto.randomBytes(512)]);
    await expectRefused(() => uploadSample(t, authority, id, png, 'x.json', 'application/json'), 415, /PNG/);
  });

  it('when random binary bytes are uploaded as .csv, then 415', async () => {
    const noise = Buffer.from(crypto.randomBytes(2048).map((b) => b || 1));
    await expectRefused(() => uploadSample(t, authority, id, noise, 'x.csv', 'text/csv'), 415);
  });

  it('when a ZIP that is not a workbook is renamed .xlsx, then 415', async () => {
    const zip = await zipOf([{ name: 'word/document.xml', data: Buffer.from('<w:document/>') }]);
    await expectRefused(() => uploadSample(t, authority, id, zip, 'x.xlsx'), 415, /not an XLSX/);
  });

  it('when prose without a delimiter is uploaded as .csv, then 415', async () => {
    await expectRefused(
      () => uploadSample(t, authority, id, Buffer.from('这不是表格\n只是一段文字\n'), 'x.csv', 'text/csv'),
      415,
    );
  });

  it('when the file is 11 MB, then 413', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 'a,b\n1,2\n');
    await expectRefused(() => uploadSample(t, authority, id, big, 'big.csv', 'text/csv'), 413);
  });

  it('when an XLSX entry inflates more than 100 times (zip bomb), then 413', async () => {
    const bomb = await xlsxShapedZip([{ name: 'xl/worksheets/sheet1.xml', zeros: 20 * 1024 * 1024 }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    await expectRefused(() => uploadSample(t, authority, id, bomb, 'bomb.xlsx'), 413, /zip bomb/);
  });

  it('when XLSX entries inflate past 100 MB in total (zip bomb of many small entries), then 413', async () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({ name: `xl/media/pad${i}.bin`, zeros: 1024 * 1024 }));
    const bomb = await xlsxShapedZip(entries);
    await expectRefused(() => uploadSample(t, authority, id, bomb, 'bomb.xlsx'), 413, /more than 100 MB/);
  });

  it('when an XLSX entry inflates past the size its header declares, then 413', async () => {
    const bomb = await xlsxShapedZip([
      { name: 'xl/worksheets/sheet1.xml', zeros: 5 * 1024 * 1024, declaredSize: 1000 },
    ]);
    await expectRefused(() => uploadSample(t, authority, id, bomb, 'liar.xlsx'), 413, /declares/);
  });

  it('when an XLSX is truncated, then 422', async () => {
    const good = await xlsxOf([
      ['a', 'b'],
      [1, 2],
    ]);
    const cut = good.subarray(0, Math.floor(good.length * 0.6));
    await expectRefused(() => uploadSample(t, authority, id, cut, 'cut.xlsx'), 422, /XLSX/);
  });

  it('when a JSON sample is an object instead of an array, then 422', async () => {
    const res = await expectRefused(
      () => uploadSample(t, authority, id, Buffer.from('{"rows": [{"a": 1}]}'), 'x.json', 'application/json'),
      422,
      /array of objects/,
    );
    expect(res.body.type).toBe('urn:zdec:problem:sample-unparseable');
  });

  it('when an element of a JSON array is not an object, then 422 names its index', async () => {
    await expectRefused(
      () => uploadSample(t, authority, id, Buffer.from('[{"a": 1}, {"a": 2}, "three"]'), 'x.json'),
      422,
      /\[2\]/,
    );
  });

  it('when JSON has a syntax error, then 422 names the line and column', async () => {
    await expectRefused(
      () => uploadSample(t, authority, id, Buffer.from('[\n  {"a": 1},\n  {"a": }\n]'), 'x.json'),
      422,
      /line 3, column 9/,
    );
  });

  it('when a CSV has broken quoting, then 422 names the line', async () => {
    const csv = Buffer.from('姓名,备注\n张三,正常\n李四,"未闭合"的引号\n王五,x\n');
    await expectRefused(() => uploadSample(t, authority, id, csv, 'x.csv', 'text/csv'), 422, /line 3/);
  });

  it('when a CSV row has the wrong number of fields, then 422 names the line', async () => {
    await expectRefused(() => uploadSample(t, authority, id, Buffer.from('a,b\n1,2\n3\n'), 'x.csv'), 422, /line 3/);
  });

  it('when a CSV has only a header, then 422', async () => {
    await expectRefused(() => uploadSample(t, authority, id, Buffer.from('a,b\n'), 'x.csv'), 422, /no data rows/);
  });

  it('when the file is empty, then 422', async () => {
    await expectRefused(() => uploadSample(t, authority, id, Buffer.alloc(0), 'x.csv'), 422, /empty/);
  });

  it('when no file is sent, then 400', async () => {
    await expectRefused(
      () => t.http.post(`/api/v1/resources/${id}/sample`).set('Authorization', authority.auth).field('x', '1'),
      400,
    );
    await expectRefused(
      () => t.http.post(`/api/v1/resources/${id}/sample`).set('Authorization', authority.auth).send({}),
      400,
      /field "file"/,
    );
  });

  it('when the file comes in another field or with extra fields, then 400', async () => {
    await expectRefused(
      () =>
        t.http
          .post(`/api/v1/resources/${id}/sample`)
          .set('Authorization', authority.auth)
          .attach('upload', Buffer.from('a,b\n1,2\n'), 'x.csv'),
      400,
    );
    await expectRefused(
      () =>
        t.http
          .post(`/api/v1/resources/${id}/sample`)
          .set('Authorization', authority.auth)
          .field('note', 'hi')
          .attach('file', Buffer.from('a,b\n1,2\n'), 'x.csv'),
      400,
    );
  });

  it('when another organisation uploads to the draft, then 404; a buyer gets 403', async () => {
    const other = await makeActor(t.config, 'authority');
    await expectRefused(() => uploadSample(t, other, id, Buffer.from('a,b\n1,2\n'), 'x.csv'), 404);
    const buyer = await makeActor(t.config, 'buyer');
    await expectRefused(() => uploadSample(t, buyer, id, Buffer.from('a,b\n1,2\n'), 'x.csv'), 403);
  });
});
