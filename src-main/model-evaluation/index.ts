// Checks of a trained model file on a labelled split: calibration (temperature scaling, reliability, operating
// points) and robustness to synthetic acquisition shifts. Used by `angio evaluate-model` and the docs' figures.
export { readLabelledSplit, type LabelledPatch } from './labelled-split.ts';
export { scorePatches } from './scoring.ts';
export { shiftRobustness, type AucWithInterval, type ShiftRobustness, type ShiftRow } from './shift-robustness.ts';
export { calibrationCheck, type CalibrationCheck } from './model-calibration-check.ts';
