/** The catalog mix: Chinese and Latin queries, every filter, every sort, deep pages, a miss. */
export const SEARCHES = [
  '',
  'q=交通',
  'q=气象观测',
  'q=车流量&sort=popular',
  'q=郑州',
  'q=api',
  'q=月度 报告',
  'q=空气质量&sort=price',
  'q=郑州 交通&sort=newest',
  'q=不存在的词语',
  'domain=transport',
  'domain=meteorology&sort=price',
  'type=api&sort=popular',
  'grade=important',
  'minPriceFen=10000&maxPriceFen=500000&sort=price',
  'q=交通&domain=transport&type=dataset&grade=general&minPriceFen=0&maxPriceFen=100000000&sort=price',
  'sort=popular&page=3',
  'page=20&pageSize=50',
  // + `provider=<id>` and `q=…&provider=<id>`, added once the providers exist
];
