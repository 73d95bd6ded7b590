import { withCreditCodeCheck } from '../credit-code';
import type { DetectorName } from './levels';
import { breakLastDigit, withIdCheck, withLuhn } from './test-helpers';

/*
 * A labelled corpus for the scanner's precision (issue 12, item 9): tables of 200 rows whose every
 * column says which detectors truly apply to it. Positives of every detector, and near-misses of
 * every detector (ID-shaped reference numbers with wrong check characters, order numbers of which
 * one in ten passes Luhn by chance, batch codes of which one in 31 passes the credit-code check,
 * 11-digit product codes, place names in a name column, …). Built from a seeded generator, so the
 * corpus is the same on every run.
 */

export interface LabelledColumn {
  table: string;
  field: string;
  /** The detectors that truly apply to the column (empty for a near-miss or clean column). */
  truth: DetectorName[];
}
export interface LabelledTable {
  name: string;
  rows: Record<string, unknown>[];
  columns: LabelledColumn[];
}

/** mulberry32: a small seeded generator. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)]!;
  return { next, int, digits, pick };
}

const PROVINCES = ['11', '31', '32', '33', '35', '37', '41', '42', '44', '51', '61', '62', '65'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '秀英', '建国'];
const PLACES = ['郑州东站', '二七广场', '金水区', '中原区', '郑州市', '开封', '洛阳', '未知', '合计', '气象局'];
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ROWS = 200;

export function buildCorpus(seed = 20261203): LabelledTable[] {
  const r = generator(seed);
  const birth = () =>
    `${r.int(1940, 2010)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
  const id17 = () => `${r.pick(PROVINCES)}${r.digits(4)}${birth()}${r.digits(3)}`;
  const id = () => withIdCheck(id17());
  const card = () =>
    r.pick([
      () => withLuhn(`62${r.digits(r.pick([14, 16, 17]))}`),
      () => withLuhn(`4${r.digits(14)}`),
      () => withLuhn(`5${r.int(1, 5)}${r.digits(13)}`),
    ])();
  const mobile = () => `1${r.pick(['3', '5', '7', '8', '9'])}${r.digits(9)}`;
  const name = () => `${r.pick(SURNAMES)}${r.pick(GIVEN)}`;
  const credit = () =>
    withCreditCodeCheck(`91${r.pick(PROVINCES)}${r.digits(4)}${r.pick(['MA', '07', '66'])}${r.digits(7)}`);
  const plate = () => `豫${r.pick(['A', 'B', 'D', 'G'])}${r.digits(5)}`;
  const coord = () => (34 + r.next()).toFixed(6);
  const rows = (make: (i: number) => Record<string, unknown>) => Array.from({ length: ROWS }, (_, i) => make(i));

  const people: LabelledTable = {
    name: 'people',
    rows: rows(() => ({
      姓名: name(),
      身份证号: id(),
      手机号: mobile(),
      邮箱: `u${r.digits(6)}@example.cn`,
      银行卡号: card(),
      车牌: plate(),
      lat: coord(),
      备注: r.next() < 0.05 ? `本人身份证${id()}已核验` : '已核验',
    })),
    columns: [
      { table: 'people', field: '姓名', truth: ['personName'] },
      { table: 'people', field: '身份证号', truth: ['idNumber'] },
      { table: 'people', field: '手机号', truth: ['mobile'] },
      { table: 'people', field: '邮箱', truth: ['email'] },
      { table: 'people', field: '银行卡号', truth: ['bankCard'] },
      { table: 'people', field: '车牌', truth: ['licencePlate'] },
      { table: 'people', field: 'lat', truth: ['coordinate'] },
      { table: 'people', field: '备注', truth: ['idNumber'] },
    ],
  };
  // Personal data in columns whose names say nothing, and cards written in groups.
  const opaque: LabelledTable = {
    name: 'opaque',
    rows: rows(() => ({
      c1: id(),
      c2: card().replace(/(\d{4})(?=\d)/g, '$1 '),
      c3: `+86 ${mobile()}`,
      c4: `${coord()},113.${r.digits(6)}`,
    })),
    columns: [
      { table: 'opaque', field: 'c1', truth: ['idNumber'] },
      { table: 'opaque', field: 'c2', truth: ['bankCard'] },
      { table: 'opaque', field: 'c3', truth: ['mobile'] },
      { table: 'opaque', field: 'c4', truth: ['coordinate'] },
    ],
  };
  const companies: LabelledTable = {
    name: 'companies',
    rows: rows(() => ({ 统一社会信用代码: credit(), 单位名称: `${r.pick(PLACES)}某某有限公司`, 法人代表: name() })),
    columns: [
      { table: 'companies', field: '统一社会信用代码', truth: ['creditCode'] },
      { table: 'companies', field: '单位名称', truth: [] },
      { table: 'companies', field: '法人代表', truth: ['personName'] },
    ],
  };
  // Near-misses of every detector.
  const references: LabelledTable = {
    name: 'references',
    rows: rows(() => ({
      // ID-number-shaped 18-digit references with a wrong check character (issue 12: read as cards and codes).
      业务参考号: breakLastDigit(id()),
      // 16- to 19-digit order numbers with a random last digit: one in ten passes Luhn.
      订单号: `${r.pick(['4', '5', '6'])}${r.digits(r.pick([15, 17, 18]))}`,
      // 18-character batch codes from the credit-code alphabet: one in 31 passes its check.
      批次码: Array.from({ length: 18 }, () => r.pick([...CREDIT_CHARS])).join(''),
      // Product codes of 11 digits starting 10–12, and landlines.
      商品编码: `1${r.int(0, 2)}${r.digits(9)}`,
      座机: `0371-${r.digits(8)}`,
      // Dates that make an ID number impossible.
      证件样式码: withIdCheck(`${r.pick(PROVINCES)}${r.digits(4)}${r.int(2030, 2099)}0230${r.digits(3)}`),
      站点名称: r.pick(PLACES),
      联系人: r.pick(['未知', '暂无', '测试', '合计', '郑州东站', '金水区']),
      mail: `user${r.digits(4)}@localhost`,
      车辆: `豫A${r.pick(['ABCDE', 'QWERT', 'XYZAB'])}`,
      gpsLat: (34 + r.next()).toFixed(3),
      timestamp: String(1_700_000_000_000 + r.int(0, 10_000_000)),
      金额: (r.next() * 1e6).toFixed(2),
    })),
    columns: [
      '业务参考号',
      '订单号',
      '批次码',
      '商品编码',
      '座机',
      '证件样式码',
      '站点名称',
      '联系人',
      'mail',
      '车辆',
      'gpsLat',
      'timestamp',
      '金额',
    ].map((field) => ({ table: 'references', field, truth: [] })),
  };
  // A table of people next to near-misses: the context must not turn the near-misses into findings.
  const mixed: LabelledTable = {
    name: 'mixed',
    rows: rows(() => ({ 姓名: name(), 工单编号: `${r.pick(['4', '6'])}${r.digits(17)}`, 联系电话: mobile() })),
    columns: [
      { table: 'mixed', field: '姓名', truth: ['personName'] },
      { table: 'mixed', field: '工单编号', truth: [] },
      { table: 'mixed', field: '联系电话', truth: ['mobile'] },
    ],
  };
  return [people, opaque, companies, references, mixed];
}
