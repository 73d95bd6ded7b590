export * from './tree';
export * from './bundle';
