// Temperature scaling written into a model file: T fitted on the network's own validation probabilities, the
// decision threshold carried onto the calibrated scale (the same images are called positive), and a triage
// threshold for a sensitivity floor beside it.
import {
  calibrate, calibratedProbability, fitTemperature, logitOf, reliability, thresholdForSensitivity, TRIAGE_SENSITIVITY, youdenThreshold, type ScoredLabels,
} from '../../evaluation/index.ts';
import type { InferenceManifest, ModelCalibration } from './manifest.ts';
import { encodeModelFile, modelVersionOf, type ModelFile } from './model-file.ts';

/** `validation` holds the network's uncalibrated P(stenosis) on the validation split. */
export function modelCalibration(validation: ScoredLabels, targetSensitivity = TRIAGE_SENSITIVITY): ModelCalibration {
  const fit = fitTemperature(validation.scores.map(logitOf), validation.labels);
  const calibrated = calibrate(validation, fit.temperature);
  const triage = thresholdForSensitivity(calibrated, targetSensitivity);
  const youden = youdenThreshold(calibrated);
  return {
    method: 'temperature',
    temperature: fit.temperature,
    images: fit.images,
    nllBefore: fit.nllBefore,
    nllAfter: fit.nllAfter,
    eceBefore: reliability(validation).expectedCalibrationError,
    eceAfter: reliability(calibrated).expectedCalibrationError,
    triage: { targetSensitivity, threshold: triage.threshold, sensitivity: triage.sensitivity, specificity: triage.specificity },
    youden: { threshold: youden.threshold, sensitivity: youden.sensitivity, specificity: youden.specificity },
  };
}

/** The network-scale threshold a manifest's threshold stands for. */
export function networkThreshold(manifest: Pick<InferenceManifest, 'threshold' | 'calibration'>): number {
  const temperature = manifest.calibration?.temperature ?? 1;
  return calibratedProbability(manifest.threshold, 1 / temperature);
}

/** The same model with `calibration` in place of any earlier one; graphs and weights are untouched. */
export function withCalibration(file: ModelFile, calibration: ModelCalibration): Uint8Array {
  const { parts: _parts, formatVersion: _version, ...manifest } = file.manifest;
  const threshold = Math.min(0.999999, Math.max(1e-6, calibratedProbability(networkThreshold(file.manifest), calibration.temperature)));
  return encodeModelFile(
    { ...manifest, threshold, calibration, modelVersion: modelVersionOf(file.graphs, manifest.quantumWeights, threshold, calibration.temperature) },
    file.graphs,
  );
}
