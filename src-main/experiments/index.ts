// Experiments: several models and seeds trained and compared under one plan, with their report.
// Only what other folders use is exported here.
export { type ExperimentConfig, readExperimentConfig } from './config.ts';
export { preflight } from './preflight.ts';
export { type ExperimentOutputs, writeExperimentOutputs } from './report.ts';
export { addShiftRobustness, experimentPins, scoredSoFar, trainExperiment, writeJsonAtomically } from './runner.ts';
