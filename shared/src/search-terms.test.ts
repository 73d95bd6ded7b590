import { MAX_QUERY_TERMS, MAX_STORED_TERMS, queryTerms, searchTerms } from './search-terms';

/** What `{ terms: { $all: queryTerms(q) } }` does against a document's stored terms. */
function matches(query: string, ...texts: string[]): boolean {
  const stored = new Set(searchTerms(...texts));
  const wanted = queryTerms(query);
  return wanted.length > 0 && wanted.every((t) => stored.has(t));
}

describe('search terms', () => {
  it('when Chinese text is stored, then it holds its characters and bigrams', () => {
    const terms = searchTerms('河南省气象观测数据');
    expect(terms).toContain('气象');
    expect(terms).toContain('河南');
    expect(terms).toContain('据');
    expect(terms).not.toContain('河南省');
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('when a Chinese word is queried, then its bigrams are a subset of the stored terms', () => {
    expect(queryTerms('气象')).toEqual(['气象']);
    expect(matches('气象', '河南省气象观测数据')).toBe(true);
    expect(matches('观测数据', '河南省气象观测数据')).toBe(true);
    expect(matches('气象数据', '河南省气象观测数据')).toBe(false);
  });

  it('when one Chinese character is queried, then it matches through the stored unigram', () => {
    expect(queryTerms('象')).toEqual(['象']);
    expect(matches('象', '河南省气象观测数据')).toBe(true);
  });

  it('when the query has two words, then a document needs both', () => {
    expect(queryTerms('交通 郑州')).toEqual(['交通', '郑州']);
    expect(matches('交通 郑州', '郑州市交通流量')).toBe(true);
    expect(matches('交通 郑州', '洛阳市交通流量')).toBe(false);
    expect(matches('交通 郑州', '郑州市气象')).toBe(false);
  });

  it('when English text is stored, then lower-cased words match', () => {
    expect(searchTerms('Weather Observation')).toEqual(['weather', 'observation']);
    expect(matches('weather', 'Weather Observation')).toBe(true);
    expect(matches('WEATHER', 'Weather Observation')).toBe(true);
    expect(matches('weather traffic', 'Weather Observation')).toBe(false);
  });

  it('when text is full-width, then it is stored and queried half-width', () => {
    expect(searchTerms('ＡＰＩ接口２０２４')).toEqual(expect.arrayContaining(['api', '接口', '2024']));
    expect(matches('api', 'ＡＰＩ接口')).toBe(true);
    expect(matches('ＡＰＩ', 'api service')).toBe(true);
  });

  it('when Latin and Han are mixed, then they split at the script boundary and at punctuation', () => {
    expect(queryTerms('5G基站-covid_19')).toEqual(['5g', '基站', 'covid', '19']);
    expect(matches('covid', 'COVID-19 疫情')).toBe(true);
  });

  it('when several texts are given, then terms of all of them are stored', () => {
    expect(matches('郑州 bus', '郑州公交', 'realtime bus positions')).toBe(true);
  });

  it('when the query is blank or punctuation, then it has no terms', () => {
    expect(queryTerms('')).toEqual([]);
    expect(queryTerms('  ，。!? ')).toEqual([]);
    expect(searchTerms('')).toEqual([]);
  });

  it('when text is very long, then the stored and queried terms are capped', () => {
    const long = Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    expect(searchTerms(long)).toHaveLength(MAX_STORED_TERMS);
    expect(queryTerms(long)).toHaveLength(MAX_QUERY_TERMS);
    expect(searchTerms('标题', long)).toContain('标题');
  });
});
