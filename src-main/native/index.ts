// Loading the native addon (simulator, engine, codecs) with a typed error when it is missing.
// Only what other folders use is exported here.
export { loadAddon } from './load.ts';

