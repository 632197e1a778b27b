// Public surface of the evaluation layer: metrics, intervals and paired tests over scored test sets, inter-reader
// agreement, full-frame detection scoring (FROC), the multi-seed comparison table with the paper's published figures, and (in ./figures) the report
// figures.
export type { Label, Prediction, ScoredLabels } from './predictions.ts';
export { alignById, toScoredLabels, validatePredictions } from './predictions.ts';
export { asSklearnMatrix, confusionMatrix, type ConfusionMatrix } from './confusion-matrix.ts';
export { classificationMetrics, type ClassificationMetrics, type PrecisionRecallF1 } from './classification-metrics.ts';
export { rocAuc, rocCurve, type RocOptions, type RocPoint } from './roc.ts';
export { thresholdForSensitivity, youdenThreshold, type OperatingPoint } from './threshold-selection.ts';
export { observedPredictiveValues, predictiveValuesAtPrevalence, type PredictiveValues } from './predictive-values.ts';
export { bootstrapIntervals, DEFAULT_BOOTSTRAP, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';
export { deLongTest, type DeLongComparison } from './delong.ts';
export { compareAucs, type PairedAucComparison } from './paired-comparison.ts';
export {
  calibrate, calibratedProbability, calibrationReport, fitTemperature, logitOf, meanNll, reliability, RELIABILITY_BINS, sigmoid, TRIAGE_SENSITIVITY,
  type CalibrationReport, type OperatingPointRow, type Reliability, type ReliabilityBin, type TemperatureFit,
  runCalibrationSummary, type RunCalibrationSummary, type RunOperatingPoint, type StoredCalibration,
} from './calibration/index.ts';
export { allShifts, applyShift, SHIFT_FAMILIES, SHIFT_SEVERITIES, shiftLabel, type GreyPatch, type Shift, type ShiftFamily } from './shifts/index.ts';
export { evaluate, type Evaluation, type EvaluationOptions } from './evaluate.ts';
export { anyStenosisScore, gradedEvaluation, type ClassRow, type GradedEvaluation, type GradedPrediction } from './graded-metrics.ts';
export { SCALAR_METRICS, scalarMetrics, type ScalarMetric, type ScalarMetrics } from './scalar-metrics.ts';
export { buildComparisonTable, type ComparisonTable, type MetricSummary, type ModelSeedRun, type ModelSummary } from './comparison-table.ts';
export { comparisonMarkdown, DEFAULT_TABLE_METRICS } from './comparison-markdown.ts';
export { PUBLISHED_RESULTS, PUBLISHED_TEST_SET, type PublishedModelResult } from './published-results.ts';
export { impliedConfusionMatrices } from './published-consistency.ts';
export { midranks } from './midranks.ts';
export { normalQuantileTwoSided, twoSidedPValue } from './normal-distribution.ts';
export { cohensKappa, fleissKappa, disagreements, type ReaderLabel } from './agreement.ts';
export {
  scoreDetections, heatmapPeaks, DETECTION_SCORING_VERSION, DEFAULT_FP_RATES,
  type DetectionScore, type HeatmapFrame, type ScoringOptions,
} from './detection-scoring.ts';
