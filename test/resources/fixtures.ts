import { once } from 'node:events';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import type { ResourceCreateBody } from '@zdec/shared';
import type { TestApp } from '../helpers/app';
import type { Actor } from '../helpers/factories';

/** A valid create body; override what the test is about. */
export function resourceBody(over: Partial<ResourceCreateBody> = {}): ResourceCreateBody {
  return {
    name: '河南省气象观测数据',
    description: '全省国家级地面气象观测站逐小时观测数据',
    holderDepartment: '河南省气象局',
    regionCode: '410000',
    domain: 'meteorology',
    openness: 'conditional',
    fields: [
      { name: '站点编号', type: 'string', description: '' },
      { name: '气温', type: 'number', description: '摄氏度' },
    ],
    updateFrequency: 'hourly',
    recordCount: 120000,
    ...over,
  };
}

/** Creates a draft through the API and returns its id. */
export async function createDraft(t: TestApp, actor: Actor, over: Partial<ResourceCreateBody> = {}): Promise<string> {
  const res = await t.http.post('/api/v1/resources').set('Authorization', actor.auth).send(resourceBody(over));
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Uploads a sample file through the API. */
export function uploadSample(
  t: TestApp,
  actor: Actor,
  id: string,
  data: Buffer,
  filename: string,
  contentType?: string,
) {
  return t.http
    .post(`/api/v1/resources/${id}/sample`)
    .set('Authorization', actor.auth)
    .attach('file', data, { filename, contentType: contentType ?? 'application/octet-stream' });
}

/** How many files GridFS holds (bucket `files`). */
export async function storedFileCount(): Promise<number> {
  return mongoose.connection.db!.collection('files.files').countDocuments();
}

/** Valid mainland ID numbers (GB 11643 check digit) and mobile numbers. */
export const ID_NUMBERS = ['11010519491231002X', '110101199003074477', '440524188001010014', '410105198806150011'];
export const MOBILES = ['13800138000', '13912345678', '15036781234', '18603710000'];

/** A CSV of people with ID and mobile numbers (L4 material). */
export function personCsv(header = '姓名,身份证号,手机号'): string {
  const names = ['张三', '李四', '王五', '赵六'];
  return [header, ...names.map((n, i) => `${n},${ID_NUMBERS[i]},${MOBILES[i]}`)].join('\r\n') + '\r\n';
}

/** An XLSX written with exceljs. */
export async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('样例');
  for (const row of rows) ws.addRow(row);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ZipEntry {
  name: string;
  /** Stored deflated. */
  data?: Buffer;
  /** Or: this many zero bytes, deflated as a stream (never held in memory). */
  zeros?: number;
  /** Lie about the inflated size in the headers. */
  declaredSize?: number;
}

/** `size` zero bytes, deflated a megabyte at a time (never all in memory), and their CRC-32. */
async function deflateZeros(size: number): Promise<{ compressed: Buffer; crc: number }> {
  const chunk = Buffer.alloc(1024 * 1024);
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const ended = once(deflate, 'end');
  let crc = 0;
  for (let written = 0; written < size; written += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
    crc = zlib.crc32(piece, crc);
    if (!deflate.write(piece)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  return { compressed: Buffer.concat(out), crc };
}

/** A minimal ZIP writer (deflate, no data descriptors), enough to build XLSX-shaped archives. */
export async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let compressed: Buffer;
    let crc: number;
    let size: number;
    if (e.zeros !== undefined) {
      ({ compressed, crc } = await deflateZeros(e.zeros));
      size = e.zeros;
    } else {
      compressed = zlib.deflateRawSync(e.data!);
      crc = zlib.crc32(e.data!);
      size = e.data!.length;
    }
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const WORKBOOK_XML = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="s" sheetId="1"/></sheets></workbook>',
);

/** An XLSX-shaped ZIP (it has xl/workbook.xml) with the given extra entries. */
export function xlsxShapedZip(entries: ZipEntry[]): Promise<Buffer> {
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
    { name: 'xl/workbook.xml', data: WORKBOOK_XML },
    ...entries,
  ]);
}
