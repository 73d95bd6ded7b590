/*
 * Entry of the sample-scan worker threads (piscina). The server is TypeScript, run by tsx (npm
 * start, seeds), by jest through @swc/jest, or in the container; a worker thread inherits none of
 * jest's transform, so this plain CommonJS file registers tsx (namespaced: it changes nothing outside
 * what it loads) and loads the TypeScript task through it, the same way in all of them.
 */
/* global __filename */
const { register } = require('tsx/cjs/api');

const api = register({ namespace: 'zdec-sample-worker' });
module.exports = api.require('./samples.worker.ts', __filename);
