import { DETECTOR_LEVELS, levelOrder, maxLevel } from './levels';
import { scanRecords } from './scan';
import { withIdCheck, withLuhn } from './test-helpers';

const ids = ['41010519900307123', '41030219851111456', '41170219720101789', '11010119800101002'].map(withIdCheck);
const phones = ['13800138000', '139-0037-1234', '+86 186 0371 5678', '15237100000'];

const people = ids.map((id, i) => ({
  序号: i + 1,
  姓名: ['张三', '李四', '欧阳娜娜', '王小明'][i],
  身份证号: id,
  联系电话: phones[i],
  备注: i % 2 ? '' : '已核验',
}));

const weather = ['郑州', '开封', '洛阳', '新乡'].map((name, i) => ({
  name,
  stationId: `5708${i}`,
  observedAt: `2024-06-0${i + 1} 08:00:00`,
  timestamp: 1717200000000 + i * 3_600_000,
  temperature: 31.5 - i,
  humidity: 62 + i,
  windSpeed: 3.2,
  lat: 34.72,
  lng: 113.65,
  rainfallMm: 0.12345,
}));

function field(result: ReturnType<typeof scanRecords>, name: string) {
  const f = result.fields.find((x) => x.field === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

describe('scanRecords', () => {
  it('when a sample holds ID numbers and phone numbers, then it proposes general/L4', () => {
    const result = scanRecords(people);
    expect(result.rowsScanned).toBe(4);
    expect(result.proposed).toEqual({ grade: 'general', level: 'L4' });
    expect(field(result, '身份证号')).toMatchObject({
      nonEmpty: 4,
      level: 'L4',
      findings: [{ detector: 'idNumber', matches: 4, share: 1, level: 'L4' }],
    });
    expect(field(result, '联系电话')).toMatchObject({
      level: 'L3',
      findings: [{ detector: 'mobile', matches: 4, share: 1 }],
    });
    expect(field(result, '姓名').findings).toMatchObject([{ detector: 'personName', matches: 4, level: 'L3' }]);
    expect(field(result, '序号')).toMatchObject({ findings: [], level: 'L1' });
    expect(field(result, '备注')).toMatchObject({ nonEmpty: 2, findings: [], level: 'L1' });
  });

  it('when a clean weather table is scanned, then it proposes L1 and finds nothing', () => {
    const result = scanRecords(weather);
    expect(result.proposed).toEqual({ grade: 'general', level: 'L1' });
    expect(result.fields.flatMap((f) => f.findings)).toEqual([]);
    expect(result.fields.map((f) => f.field)).toEqual(Object.keys(weather[0]!));
  });

  it('when examples are reported, then they are masked and never hold a full value', () => {
    const card = withLuhn('622202123456789');
    const result = scanRecords([...people, { 身份证号: ids[0], 联系电话: '13800138000', 卡号: card }]);
    const examples = result.fields.flatMap((f) => f.findings.flatMap((x) => x.examples));
    expect(examples.length).toBeGreaterThan(0);
    const secrets = [
      ...ids,
      ...phones.map((p) => p.replace(/\D/g, '').slice(-11)),
      card,
      '张三',
      '李四',
      '欧阳娜娜',
      '王小明',
    ];
    for (const example of examples) {
      for (const secret of secrets) expect(example.replace(/[ -]/g, '')).not.toContain(secret);
      expect(example).toContain('*');
    }
    expect(field(result, '身份证号').findings[0]!.examples).toEqual([
      `4101**********${ids[0]!.slice(-4)}`,
      `4103**********${ids[1]!.slice(-4)}`,
      `4117**********${ids[2]!.slice(-4)}`,
    ]);
    expect(field(result, '卡号').findings[0]).toMatchObject({
      detector: 'bankCard',
      examples: ['6222********' + card.slice(-4)],
    });
  });

  it('when only some values match, then the share says how many', () => {
    const result = scanRecords([{ tel: '13800138000' }, { tel: '0371-65551234' }, { tel: '' }, { tel: null }, {}]);
    expect(field(result, 'tel')).toMatchObject({
      nonEmpty: 2,
      findings: [{ detector: 'mobile', matches: 1, share: 0.5 }],
    });
  });

  it('when values are full-width or grouped with spaces and dashes, then they are still found', () => {
    const result = scanRecords([
      { v: '１３８００１３８０００' },
      { v: '138 0013 8000' },
      { v: `${ids[0]!.slice(0, 6)}-${ids[0]!.slice(6, 14)}-${ids[0]!.slice(14)}` },
      { v: withLuhn('622848001234567890').replace(/(\d{4})(?=\d)/g, '$1 ') },
    ]);
    expect(field(result, 'v').findings.map((f) => [f.detector, f.matches])).toEqual([
      ['idNumber', 1],
      ['bankCard', 1],
      ['mobile', 2],
    ]);
  });

  it('when sensitive values hide in free text, then they are found by value, not by column name', () => {
    const result = scanRecords([
      { remark: `2024-05-01 13800138000 联系，身份证${ids[0]}，邮箱 zhang@example.cn` },
      { remark: `车辆豫A12345于34.74651,113.62536停放` },
    ]);
    expect(field(result, 'remark').findings.map((f) => f.detector)).toEqual([
      'idNumber',
      'coordinate',
      'mobile',
      'email',
      'licencePlate',
    ]);
    expect(result.proposed.level).toBe('L4');
  });

  it('when a column holds 16-digit order numbers that fail Luhn, then nothing is found', () => {
    const orders = Array.from({ length: 20 }, (_, i) => {
      const valid = withLuhn(`62024053100${String(i).padStart(4, '0')}`);
      return { orderNo: valid.slice(0, -1) + ((Number(valid.slice(-1)) + 1) % 10) };
    });
    expect(scanRecords(orders).proposed.level).toBe('L1');
  });

  it('when only credit codes are present, then the level stays L1 but the finding is reported', () => {
    const result = scanRecords([{ 统一社会信用代码: '91350100M000100Y43', 单位: '某某公司' }]);
    expect(field(result, '统一社会信用代码').findings).toMatchObject([{ detector: 'creditCode', level: 'L1' }]);
    expect(result.proposed.level).toBe('L1');
  });

  it('when nested JSON holds precise coordinates, then the dotted field is L4', () => {
    const result = scanRecords([{ vehicle: { plate: '豫AD12345', position: { lat: 34.746512, lng: 113.625361 } } }]);
    expect(field(result, 'vehicle.position.lat').findings).toMatchObject([{ detector: 'coordinate', level: 'L4' }]);
    expect(field(result, 'vehicle.plate').findings).toMatchObject([
      { detector: 'licencePlate', examples: ['豫A****45'] },
    ]);
    expect(result.proposed.level).toBe('L4');
  });

  it('when names appear outside a name column, then they are not counted', () => {
    expect(scanRecords([{ 城市: '张三' }, { 备注: '王小明' }]).proposed.level).toBe('L1');
  });

  it('when maxRows is given, then only that many rows are scanned and the scan says it is not complete', () => {
    const rows = [...weather, ...people];
    const result = scanRecords(rows, { maxRows: weather.length });
    expect(result.rowsScanned).toBe(weather.length);
    expect(result.proposed.level).toBe('L1');
    expect(result).toMatchObject({ complete: false, incomplete: ['rows 5 to 8 were not scanned'] });
    expect(scanRecords(rows)).toMatchObject({ complete: true });
  });

  it('when there are no records, then it proposes L1 with no fields', () => {
    expect(scanRecords([])).toEqual({
      rowsScanned: 0,
      fields: [],
      proposed: { grade: 'general', level: 'L1' },
      complete: true,
    });
  });
});

describe('levels', () => {
  it('when levels are compared, then L4 is the highest and no level means L1', () => {
    expect(levelOrder('L1')).toBe(0);
    expect(levelOrder('L4')).toBe(3);
    expect(maxLevel()).toBe('L1');
    expect(maxLevel('L2', 'L4', 'L3')).toBe('L4');
    expect(maxLevel('L3', 'L2')).toBe('L3');
  });

  it('when detectors are listed, then each implies the level of SPEC section 3', () => {
    expect(DETECTOR_LEVELS).toEqual({
      idNumber: 'L4',
      bankCard: 'L4',
      coordinate: 'L4',
      mobile: 'L3',
      email: 'L3',
      personName: 'L3',
      licencePlate: 'L3',
      creditCode: 'L1',
    });
  });
});

describe('scanRecords on deeply nested values (issue 12, item 7)', () => {
  it('when a value is nested 200,000 arrays deep, then the walk does not overflow and finds what is at the bottom', () => {
    const id = ids[0]!;
    let deep: unknown = [`身份证 ${id}`];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const result = scanRecords([{ a: deep, b: { c: { d: { e: { f: { g: { h: '13800138000' } } } } } } }]);
    expect(field(result, 'a').findings).toMatchObject([{ detector: 'idNumber', matches: 1 }]);
    expect(field(result, 'b.c.d.e.f.g').findings).toMatchObject([{ detector: 'mobile', matches: 1 }]);
  });
});
