export * from './tree';
export * from './bundle';
export * from './api';
export * from './labels';
