export * from './constants';
export * from './credit-code';
export * from './money';
export * from './schemas';
