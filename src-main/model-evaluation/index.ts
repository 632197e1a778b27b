// Checks of a trained model file on a labelled split: calibration (temperature scaling, reliability, operating
// points), robustness to synthetic acquisition shifts, and test-time augmentation and ensembles with their inference
// cost. Used by `angio calibrate`, `angio evaluate-shifts`, `angio evaluate-tta` and the docs' figures.
export { readLabelledSplit, type LabelledPatch } from './labelled-split.ts';
export { scorePatches } from './scoring.ts';
export { shiftRobustness, type AucWithInterval, type ShiftRobustness, type ShiftRow } from './shift-robustness.ts';
export { shiftRobustnessFigure, shiftTableRows, type ShiftResults, type ShiftTableRow } from './shift-presentation.ts';
export { saveShiftResults, savedShiftResults, savedShiftsPath, SHIFT_RESULTS_FILE } from './saved-shifts.ts';
export { calibrationCheck, type CalibrationCheck } from './model-calibration-check.ts';
export { DEFAULT_VIEW_SETS, parseViewSet, TEST_TIME_VIEWS, viewOfBatch, type TestTimeView } from './test-time-views.ts';
export { averagedViews, scoreViews, type ViewScores } from './view-scoring.ts';
export { evaluateTta, ttaConfigurations, type ConfigurationResult, type NamedRuntime, type SplitFigures, type TtaConfiguration, type TtaEvaluation } from './tta-evaluation.ts';
