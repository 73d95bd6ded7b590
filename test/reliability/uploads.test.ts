import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { ListingModel } from '../../server/src/modules/listings/listing.model';
import { SAMPLE_MAX_COLUMNS, XLSX_MAX_UNCOMPRESSED } from '../../server/src/modules/samples/samples.parse';
import { xlsxShapedZip } from '../resources/fixtures';
import { useTestApp } from '../helpers/app';
import {
  CLEAN_CSV,
  changedCollections,
  draftResource,
  fingerprint,
  licence,
  makeCast,
  problemShapeError,
  productOf,
  type Cast,
} from './world';

/*
 * Hostile sample uploads against both upload routes that take a sample (resources and listings).
 * What is right for each is what modules/samples documents: the type is decided by content; a
 * file over 10 MB is 413; an XLSX that would inflate past the limits (a zip bomb) is 413; a known
 * type that does not parse (a truncated workbook, more than SAMPLE_MAX_COLUMNS columns) is 422
 * saying where; anything else is 415. Every refusal is problem+json and leaves the database (GridFS
 * included) exactly as it was, and the server keeps answering.
 */

const t = useTestApp();
let cast: Cast;
/** An upload route, who may use it and how to read the record it changes. */
const targets: { name: string; path: () => string; auth: () => string; record: () => Promise<unknown> }[] = [];
let resourceId: string;
let listingId: string;

beforeAll(async () => {
  cast = await makeCast(t.config);
  resourceId = await draftResource(t, cast.authority);
  const lic = await licence(cast.authority, cast.provider);
  listingId = String((await productOf(cast.provider, lic, { status: 'draft' }))._id);
  targets.push(
    {
      name: 'POST /resources/:id/sample',
      path: () => `/api/v1/resources/${resourceId}/sample`,
      auth: () => cast.authority.auth,
      record: () => ResourceModel.findById(resourceId).lean(),
    },
    {
      name: 'POST /listings/:id/sample',
      path: () => `/api/v1/listings/${listingId}/sample`,
      auth: () => cast.provider.auth,
      record: () => ListingModel.findById(listingId).lean(),
    },
    {
      name: 'POST /listings/:id/data',
      path: () => `/api/v1/listings/${listingId}/data`,
      auth: () => cast.provider.auth,
      record: () => ListingModel.findById(listingId).lean(),
    },
  );
}, 60_000);

async function truncatedXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('样例');
  ws.addRow(['站点', '日期', '客流量']);
  for (let i = 0; i < 200; i++) ws.addRow([`站点${i}`, '2026-01-01', i * 10]);
  const full = Buffer.from(await wb.xlsx.writeBuffer());
  return full.subarray(0, Math.floor(full.length / 2));
}

function elfBinary(): Buffer {
  const b = Buffer.alloc(4096);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(b);
  for (let i = 64; i < b.length; i++) b[i] = (i * 31) % 256;
  return b;
}

function wideCsv(columns: number): Buffer {
  const header = Array.from({ length: columns }, (_, i) => `c${i + 1}`).join(',');
  const row = Array.from({ length: columns }, (_, i) => String(i)).join(',');
  return Buffer.from([header, row, row, row].join('\n') + '\n', 'utf8');
}

interface Hostile {
  what: string;
  file: () => Promise<Buffer> | Buffer;
  filename: string;
  contentType: string;
  status: number;
  /** The problem type (after urn:zdec:problem:). */
  type: RegExp;
  detail?: RegExp;
}

const HOSTILE: Hostile[] = [
  {
    what: 'a zip bomb XLSX (an entry inflating past 100 MB)',
    file: () => xlsxShapedZip([{ name: 'xl/worksheets/sheet1.xml', zeros: XLSX_MAX_UNCOMPRESSED + 8 * 1024 * 1024 }]),
    filename: 'bomb.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    status: 413,
    type: /sample-too-large/,
    detail: /zip bomb/,
  },
  {
    what: 'a zip bomb XLSX that lies about its inflated size',
    file: () => xlsxShapedZip([{ name: 'xl/worksheets/sheet1.xml', zeros: 64 * 1024 * 1024, declaredSize: 1000 }]),
    filename: 'liar.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    status: 413,
    type: /sample-too-large/,
  },
  {
    what: 'a truncated XLSX',
    file: truncatedXlsx,
    filename: 'cut.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    status: 422,
    type: /sample-unparseable/,
  },
  {
    what: 'an 11 MB file',
    file: () => Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(11 * 1024 * 1024 - 4, '1,2\n')]),
    filename: 'big.csv',
    contentType: 'text/csv',
    status: 413,
    type: /too-large/,
  },
  {
    what: 'an ELF executable renamed .csv',
    file: elfBinary,
    filename: 'data.csv',
    contentType: 'text/csv',
    status: 415,
    type: /unsupported-sample-format/,
    detail: /ELF/,
  },
  {
    what: 'a CSV with 10,000 columns',
    file: () => wideCsv(10_000),
    filename: 'wide.csv',
    contentType: 'text/csv',
    status: 422,
    type: /sample-unparseable/,
    detail: new RegExp(`more than ${SAMPLE_MAX_COLUMNS} columns`),
  },
];

const filesCount = () => mongoose.connection.db!.collection('files.files').countDocuments();
const chunksCount = () => mongoose.connection.db!.collection('files.chunks').countDocuments();

describe.each([
  ['POST /resources/:id/sample', 0],
  ['POST /listings/:id/sample', 1],
  ['POST /listings/:id/data', 2],
] as const)('hostile uploads to %s', (_route, index) => {
  const target = () => targets[index]!;

  it.each(HOSTILE.map((h) => [h.what, h] as const))(
    'when %s is uploaded as a sample, then the documented 4xx comes back and nothing is stored or changed',
    async (_what, h) => {
      const data = await h.file();
      const [before, files, chunks, record] = await Promise.all([
        fingerprint(),
        filesCount(),
        chunksCount(),
        target().record(),
      ]);
      const started = Date.now();
      const res = await t.http
        .post(target().path())
        .set('Authorization', target().auth())
        .attach('file', data, { filename: h.filename, contentType: h.contentType });
      expect({ route: target().name, status: res.status, type: res.body.type }).toEqual({
        route: target().name,
        status: h.status,
        type: expect.stringMatching(h.type),
      });
      expect(problemShapeError(res)).toBeNull();
      if (h.detail) expect(res.body.detail).toMatch(h.detail);
      expect(Date.now() - started).toBeLessThan(30_000);

      expect(await filesCount()).toBe(files);
      expect(await chunksCount()).toBe(chunks);
      expect(await target().record()).toEqual(record);
      expect(changedCollections(before, await fingerprint())).toEqual([]);
      expect((await t.http.get('/readyz')).status).toBe(200);
    },
    60_000,
  );

  it('when several hostile files arrive at once, then each is refused and a clean sample afterwards is accepted', async () => {
    const before = await fingerprint();
    const bodies = await Promise.all(HOSTILE.map((h) => h.file()));
    const results = await Promise.all(
      HOSTILE.map((h, i) =>
        t.http
          .post(target().path())
          .set('Authorization', target().auth())
          .attach('file', bodies[i]!, { filename: h.filename, contentType: h.contentType }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(HOSTILE.map((h) => h.status));
    expect(changedCollections(before, await fingerprint())).toEqual([]);

    // The route still works: the control case that shows these assertions can see a change.
    const files = await filesCount();
    const ok = await t.http
      .post(target().path())
      .set('Authorization', target().auth())
      .attach('file', CLEAN_CSV, { filename: 'clean.csv', contentType: 'text/csv' });
    expect(ok.status).toBe(200);
    expect(await filesCount()).toBe(files + 1);
    expect(changedCollections(before, await fingerprint())).toEqual(
      expect.arrayContaining(['files.chunks', 'files.files', index === 0 ? 'resources' : 'listings']),
    );
  }, 120_000);
});
