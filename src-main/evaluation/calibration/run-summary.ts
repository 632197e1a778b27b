// A trained run's calibration as the reports show it: the test split's reliability before and after the run's stored
// temperature, and its two validation-chosen operating points (Youden's, triage) with the test sensitivity and
// specificity they give. Works from the run's uncalibrated test scores and what its model file stores.
import type { ScoredLabels } from '../predictions.ts';
import { calibrate, rates } from './calibration-report.ts';
import { reliability, type Reliability } from './reliability.ts';
import { calibratedProbability } from './temperature.ts';

export interface StoredCalibration {
  temperature: number;
  youden?: { threshold: number; sensitivity: number; specificity: number };
  triage?: { targetSensitivity: number; threshold: number; sensitivity: number; specificity: number };
}

export interface RunOperatingPoint {
  rule: 'youden' | 'triage';
  chosenBy: string;
  /** On calibrated P(stenosis). */
  threshold: number;
  /** Null when the model file did not record it (the run's own threshold is then used, its rule Youden's). */
  validation: { sensitivity: number; specificity: number } | null;
  test: { sensitivity: number; specificity: number };
}

export interface RunCalibrationSummary {
  temperature: number;
  before: Reliability;
  after: Reliability;
  operatingPoints: RunOperatingPoint[];
}

/** `runThreshold`: the run's own threshold on the network's scale, used when the file has no Youden point. */
export function runCalibrationSummary(test: ScoredLabels, stored: StoredCalibration, runThreshold: number): RunCalibrationSummary {
  const after = calibrate(test, stored.temperature);
  const points: RunOperatingPoint[] = [];
  const youden = stored.youden ?? { threshold: calibratedProbability(runThreshold, stored.temperature) };
  points.push({
    rule: 'youden',
    chosenBy: "Youden's J at its maximum on validation",
    threshold: youden.threshold,
    validation: 'sensitivity' in youden ? { sensitivity: youden.sensitivity, specificity: youden.specificity } : null,
    test: rates(after, youden.threshold),
  });
  if (stored.triage) {
    points.push({
      rule: 'triage',
      chosenBy: `highest threshold with validation sensitivity ≥ ${stored.triage.targetSensitivity.toFixed(2)}`,
      threshold: stored.triage.threshold,
      validation: { sensitivity: stored.triage.sensitivity, specificity: stored.triage.specificity },
      test: rates(after, stored.triage.threshold),
    });
  }
  return { temperature: stored.temperature, before: reliability(test), after: reliability(after), operatingPoints: points };
}
