// The learning curve of the quantum question: SSL-Quantum against the same model without its quantum layer at
// 50–1,000 labels, paired on the same test images, and the qubit count at the smallest label count.
export { type LearningCurveConfig, readLearningCurveConfig } from './curve-config.ts';
export { type CurveRun, planCurveRuns } from './curve-plan.ts';
export { nestedStratifiedSubsets } from './label-subsets.ts';
export { curveRunsSoFar, type CurveProgress, type EncoderRecord, type ScoredCurveRun, trainLearningCurve } from './curve-runner.ts';
export { curveMarkdown, replaceResultsBlock, writeCurveReport } from './curve-report.ts';
export { type CurveComparison, type CurvePoint, type LearningCurveResults, summariseCurve } from './curve-summary.ts';
export { type PooledAucComparison, pooledAucComparison, seedMeanAucInterval } from './seed-pooled-comparison.ts';
export { ablateQuantumRuns, type QuantumAblation } from './quantum-ablation.ts';
