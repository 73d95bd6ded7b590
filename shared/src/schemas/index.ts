export * from './common';
export * from './auth';
export * from './resources';
export * from './authorizations';
export * from './listings';
export * from './orders';
export * from './ledger';
export * from './registration';
