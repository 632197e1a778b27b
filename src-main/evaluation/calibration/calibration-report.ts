// What calibration does to one model: T fitted on the validation split, the test split's reliability before and
// after, and two operating points chosen on validation (Youden's balance and a triage floor on sensitivity), each
// with the sensitivity and specificity it gives on the test split.
import { bootstrapIntervals } from '../bootstrap.ts';
import type { ScoredLabels } from '../predictions.ts';
import { thresholdForSensitivity, youdenThreshold } from '../threshold-selection.ts';
import { reliability, type Reliability } from './reliability.ts';
import { calibratedProbability, fitTemperature, logitOf, meanNll, type TemperatureFit } from './temperature.ts';

/** The triage rule the issue states: the lowest sensitivity accepted for a rule-out reading. */
export const TRIAGE_SENSITIVITY = 0.9;

export interface OperatingPointRow {
  rule: 'youden' | 'triage';
  /** Plain words: how the threshold was chosen. */
  chosenBy: string;
  /** On calibrated P(stenosis). */
  threshold: number;
  validation: { sensitivity: number; specificity: number };
  test: { sensitivity: number; specificity: number };
}

export interface CalibrationReport {
  fit: TemperatureFit;
  test: {
    images: number;
    nllBefore: number;
    nllAfter: number;
    before: Reliability;
    after: Reliability;
    /** 95 % percentile-bootstrap intervals over test images (1000 resamples, seed 7) of ECE before, after, and after − before. */
    eceIntervals: Record<'before' | 'after' | 'difference', { low: number; high: number }>;
  };
  operatingPoints: OperatingPointRow[];
}

export function calibrate(scored: ScoredLabels, temperature: number): ScoredLabels {
  return { labels: scored.labels, scores: scored.scores.map((p) => calibratedProbability(p, temperature)) };
}

/** Sensitivity and specificity calling positive at score >= threshold. */
export function rates(scored: ScoredLabels, threshold: number): { sensitivity: number; specificity: number } {
  let tp = 0, fn = 0, tn = 0, fp = 0;
  scored.scores.forEach((s, i) => {
    const called = s >= threshold;
    if (scored.labels[i] === 1) called ? tp++ : fn++;
    else called ? fp++ : tn++;
  });
  return { sensitivity: tp / (tp + fn), specificity: tn / (tn + fp) };
}

function eceIntervals(test: ScoredLabels, temperature: number): CalibrationReport['test']['eceIntervals'] {
  const rows = test.scores.map((score, i) => ({ id: String(i), label: test.labels[i]!, score }));
  const intervals = bootstrapIntervals(rows, (picked) => {
    const sample = { labels: picked.map((r) => test.labels[r]!), scores: picked.map((r) => test.scores[r]!) };
    const before = reliability(sample).expectedCalibrationError;
    const after = reliability(calibrate(sample, temperature)).expectedCalibrationError;
    return { before, after, difference: after - before };
  }, { replicates: 1000, seed: 7 });
  const pick = (k: 'before' | 'after' | 'difference') => ({ low: intervals[k].low, high: intervals[k].high });
  return { before: pick('before'), after: pick('after'), difference: pick('difference') };
}

/** `validation` and `test` hold the model's uncalibrated P(stenosis). */
export function calibrationReport(validation: ScoredLabels, test: ScoredLabels, triageSensitivity = TRIAGE_SENSITIVITY): CalibrationReport {
  const fit = fitTemperature(validation.scores.map(logitOf), validation.labels);
  const val = calibrate(validation, fit.temperature);
  const after = calibrate(test, fit.temperature);
  const testLogits = test.scores.map(logitOf);
  const youden = youdenThreshold(val);
  const triage = thresholdForSensitivity(val, triageSensitivity);
  const row = (rule: OperatingPointRow['rule'], chosenBy: string, point: { threshold: number }): OperatingPointRow => ({
    rule,
    chosenBy,
    threshold: point.threshold,
    validation: rates(val, point.threshold),
    test: rates(after, point.threshold),
  });
  return {
    fit,
    test: {
      images: test.scores.length,
      nllBefore: meanNll(testLogits, test.labels, 1),
      nllAfter: meanNll(testLogits, test.labels, fit.temperature),
      before: reliability(test),
      after: reliability(after),
      eceIntervals: eceIntervals(test, fit.temperature),
    },
    operatingPoints: [
      row('youden', "Youden's J (sensitivity + specificity − 1) at its maximum on validation", youden),
      row('triage', `the highest threshold with validation sensitivity ≥ ${triageSensitivity.toFixed(2)} (triage)`, triage),
    ],
  };
}
