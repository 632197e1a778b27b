// Self-check of the installation (addon, libtorch, codecs, data folders): what the About screen and the CLI report.
// Only what other folders use is exported here.
export { runSelfCheck, testPattern } from './self-check.ts';
