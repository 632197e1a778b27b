// Calibration of a model file on a labelled root: T fitted on the validation split from the network's own
// probabilities, reliability before and after on the test split, and the two operating points (Youden's and the
// triage floor) chosen on validation with their test sensitivity and specificity.
import { calibrationReport, toScoredLabels, TRIAGE_SENSITIVITY, type CalibrationReport } from '../evaluation/index.ts';
import { modelCalibration, type ClassifierRuntime, type ModelCalibration } from '../inference/index.ts';
import type { LabelledPatch } from './labelled-split.ts';
import { scorePatches } from './scoring.ts';

export interface CalibrationCheck {
  report: CalibrationReport;
  /** What a calibrated model file stores. */
  calibration: ModelCalibration;
  validationImages: number;
}

export async function calibrationCheck(
  runtime: ClassifierRuntime,
  validation: readonly LabelledPatch[],
  test: readonly LabelledPatch[],
  targetSensitivity = TRIAGE_SENSITIVITY,
): Promise<CalibrationCheck> {
  const val = toScoredLabels(await scorePatches(runtime, validation, { calibrated: false }));
  const tst = toScoredLabels(await scorePatches(runtime, test, { calibrated: false }));
  return { report: calibrationReport(val, tst, targetSensitivity), calibration: modelCalibration(val, targetSensitivity), validationImages: validation.length };
}
