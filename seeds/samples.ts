import { withCreditCodeCheck } from '@zdec/shared';
import type { FieldDef, Gen } from './data/resources';

/** A small deterministic PRNG (mulberry32), so the demo world is the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const COUNTIES = [
  '金水区',
  '二七区',
  '中原区',
  '管城回族区',
  '惠济区',
  '新郑市',
  '巩义市',
  '登封市',
  '洛龙区',
  '涧西区',
  '偃师区',
  '红旗区',
  '卫辉市',
  '宛城区',
  '卧龙区',
  '邓州市',
  '龙亭区',
  '兰考县',
  '浉河区',
  '固始县',
];
const STATIONS = [
  '郑州东',
  '中牟',
  '新郑机场',
  '洛阳南',
  '许昌北',
  '漯河东',
  '驻马店',
  '信阳南',
  '开封西',
  '新乡东',
  '安阳南',
  '南阳北',
  '三门峡西',
  '周口东',
  '商丘南',
  '焦作',
  '濮阳',
  '鹤壁东',
];
const ROADS = [
  '金水路',
  '花园路',
  '中州大道',
  '农业路',
  '郑汴路',
  '陇海路',
  '嵩山路',
  '京广快速路',
  '航海路',
  '紫荆山路',
];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '欧阳',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '桂兰',
  '建华',
  '海燕',
  '志强',
];
const COMPANY_HEADS = ['中原', '豫商', '黄河', '嵩山', '郑新', '洛宁', '宛城', '天中', '汴梁', '伏牛'];
const COMPANY_TAILS = [
  '精密制造有限公司',
  '食品股份有限公司',
  '新材料有限公司',
  '电子科技有限公司',
  '物流有限公司',
  '化工有限公司',
  '建材集团有限公司',
];
const HOSPITALS = [
  '河南省人民医院',
  '郑州大学第一附属医院',
  '河南省肿瘤医院',
  '洛阳市中心医院',
  '南阳市第一人民医院',
  '新乡医学院第一附属医院',
];
const SCHOOLS = [
  '郑州外国语学校',
  '郑州市第一中学',
  '洛阳市第一高级中学',
  '新乡市第一中学',
  '南阳市第一中学',
  '金水区文化绿城小学',
];
const SCENIC = [
  '少林寺景区',
  '龙门石窟',
  '清明上河园',
  '云台山',
  '白云山',
  '老君山',
  '殷墟',
  '红旗渠',
  '鸡公山',
  '开封府',
];
const CROPS = ['小麦', '玉米', '花生', '大豆', '水稻', '芝麻'];
const POLLUTANTS = ['二氧化硫', '氮氧化物', '颗粒物', '化学需氧量', '氨氮'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSU';
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function idNumber(r: () => number): string {
  const region = pick(r, ['410102', '410105', '410302', '410702', '411302', '410204']);
  const birth = new Date(Date.UTC(int(r, 1950, 2005), int(r, 0, 11), int(r, 1, 28)));
  const body = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(int(r, 0, 999)).padStart(3, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0);
  return body + ID_CHECK[sum % 11];
}

function creditCode(r: () => number): string {
  let tail = '';
  for (let i = 0; i < 9; i++) tail += CODE_CHARS[int(r, 0, CODE_CHARS.length - 1)];
  return withCreditCodeCheck(`914101${pick(r, ['00', '02', '05', '22', '81'])}${tail}`);
}

function date(r: () => number): Date {
  return new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 680) * 86_400_000 + Math.floor(r() * 24) * 3_600_000);
}

function value(gen: Gen, r: () => number): string {
  switch (gen) {
    case 'date':
      return date(r).toISOString().slice(0, 10);
    case 'datetime':
      return date(r).toISOString().slice(0, 16).replace('T', ' ');
    case 'month':
      return date(r).toISOString().slice(0, 7);
    case 'station':
      return `${pick(r, STATIONS)}${pick(r, ['站', '监测点', '', '1号点'])}`;
    case 'road':
      return pick(r, ROADS);
    case 'plate':
      return `豫${pick(r, [...PLATE_LETTERS])}${String(int(r, 0, 99999)).padStart(5, '0')}`;
    case 'idNumber':
      return idNumber(r);
    case 'mobile':
      return `1${pick(r, ['3', '5', '7', '8', '9'])}${String(int(r, 0, 999_999_999)).padStart(9, '0')}`;
    case 'personName':
      return pick(r, SURNAMES) + pick(r, GIVEN);
    case 'coord':
      return `${(34.5 + r() * 0.6).toFixed(6)},${(113.4 + r() * 0.6).toFixed(6)}`;
    case 'county':
      return pick(r, COUNTIES);
    case 'company':
      return pick(r, COMPANY_HEADS) + pick(r, COMPANY_TAILS);
    case 'creditCode':
      return creditCode(r);
    case 'hospital':
      return pick(r, HOSPITALS);
    case 'school':
      return pick(r, SCHOOLS);
    case 'crop':
      return pick(r, CROPS);
    case 'pollutant':
      return pick(r, POLLUTANTS);
    case 'scenic':
      return pick(r, SCENIC);
  }
  const [kind, a, b, c] = gen.split(':');
  if (kind === 'int') return String(int(r, Number(a), Number(b)));
  if (kind === 'float') return (Number(a) + r() * (Number(b) - Number(a))).toFixed(Number(c));
  if (kind === 'pick') return pick(r, gen.slice(5).split('|'));
  throw new Error(`unknown generator ${gen}`);
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Rows for the given fields, deterministic for the seed text. */
export function sampleRows(fields: FieldDef[], rows: number, seedText: string): string[][] {
  const r = rng(seedOf(seedText));
  return Array.from({ length: rows }, () => fields.map((fd) => value(fd.gen, r)));
}

/** A UTF-8 CSV sample with a header row. */
export function sampleCsv(fields: FieldDef[], rows: number, seedText: string): Buffer {
  const lines = [fields.map((fd) => csvCell(fd.name)).join(',')];
  for (const row of sampleRows(fields, rows, seedText)) lines.push(row.map(csvCell).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

/** Generators whose values are personal information (L3/L4): a de-identified product drops them. */
export const PERSONAL_GENS: ReadonlySet<Gen> = new Set<Gen>(['idNumber', 'mobile', 'personName', 'plate', 'coord']);

/** The same table with personal columns masked, as a de-identified product sample would ship it. */
export function deidentifiedCsv(fields: FieldDef[], rows: number, seedText: string): Buffer {
  const kept = fields.filter((fd) => !PERSONAL_GENS.has(fd.gen));
  const extra: FieldDef = { name: '样本编号', type: 'string', description: '去标识化编号', gen: 'int:100000:999999' };
  return sampleCsv([extra, ...kept], rows, seedText);
}
