import { HENAN_CITIES, REGIONS, isRegionCode, regionName, regionPath } from './regions';

const CITIES: [string, string][] = [
  ['410100', '郑州市'],
  ['410200', '开封市'],
  ['410300', '洛阳市'],
  ['410400', '平顶山市'],
  ['410500', '安阳市'],
  ['410600', '鹤壁市'],
  ['410700', '新乡市'],
  ['410800', '焦作市'],
  ['410900', '濮阳市'],
  ['411000', '许昌市'],
  ['411100', '漯河市'],
  ['411200', '三门峡市'],
  ['411300', '南阳市'],
  ['411400', '商丘市'],
  ['411500', '信阳市'],
  ['411600', '周口市'],
  ['411700', '驻马店市'],
  ['419001', '济源市'],
];

describe('administrative division codes (GB/T 2260)', () => {
  it.each(CITIES)('when %s is a Henan city, then it is listed as %s', (code, name) => {
    expect(isRegionCode(code)).toBe(true);
    expect(regionName(code)).toBe(name);
    expect(HENAN_CITIES).toContainEqual({ code, name });
  });

  it('when the Henan cities are listed, then there are exactly 17 prefectures plus 济源', () => {
    expect(HENAN_CITIES.map((c) => c.code)).toEqual(CITIES.map(([code]) => code));
  });

  it('when Henan is counted, then it has its 157 county-level divisions', () => {
    const counties = Object.keys(REGIONS).filter((c) => c.startsWith('41') && !c.endsWith('00'));
    expect(counties).toHaveLength(157);
  });

  it('when the provincial-level codes are listed, then all 34 are there', () => {
    const provinces = Object.keys(REGIONS).filter((c) => c.endsWith('0000'));
    expect(provinces).toHaveLength(34);
    expect(regionName('110000')).toBe('北京市');
    expect(regionName('820000')).toBe('澳门特别行政区');
  });

  it.each([
    ['410105', '金水区'],
    ['410102', '中原区'],
    ['410185', '登封市'],
    ['410308', '孟津区'],
    ['410783', '长垣市'],
    ['411603', '淮阳区'],
    ['411729', '新蔡县'],
  ])('when %s is a Henan county-level code, then it resolves to %s', (code, name) => {
    expect(regionName(code)).toBe(name);
  });

  it.each(['419999', '410199', '410381', '000000', '41010', '4101055', 'abcdef', '', 'toString', '__proto__'])(
    'when the code is %p, then it is not valid',
    (code) => {
      expect(isRegionCode(code)).toBe(false);
      expect(regionName(code)).toBeUndefined();
      expect(regionPath(code)).toEqual([]);
    },
  );

  it('when a path is asked for, then it runs from the province down', () => {
    expect(regionPath('410105')).toEqual(['河南省', '郑州市', '金水区']);
    expect(regionPath('410100')).toEqual(['河南省', '郑州市']);
    expect(regionPath('410000')).toEqual(['河南省']);
    expect(regionPath('419001')).toEqual(['河南省', '济源市']);
    expect(regionPath('320000')).toEqual(['江苏省']);
  });

  it('when every Henan code is checked, then its prefix names a known city', () => {
    for (const code of Object.keys(REGIONS).filter((c) => c.startsWith('41') && c !== '410000')) {
      expect(regionPath(code)[0]).toBe('河南省');
      expect(regionPath(code).length).toBeGreaterThanOrEqual(2);
    }
  });
});
