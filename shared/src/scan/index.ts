export * from './detectors';
export * from './levels';
export { LIKELIHOOD_THRESHOLD, MIN_CANDIDATES } from './likelihood';
export * from './mask';
export { compactNumber, normalizeText } from './normalize';
export * from './scan';
