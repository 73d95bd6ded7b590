export * from './constants';
export * from './credit-code';
export * from './money';
export * from './schemas';
export * from './scan';
export * from './regions';
export * from './search-terms';
export * from './workdays';
