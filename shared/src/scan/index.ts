export * from './detectors';
export * from './levels';
export * from './mask';
export { compactNumber, normalizeText } from './normalize';
export * from './scan';
