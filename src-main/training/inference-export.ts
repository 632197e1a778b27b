// A finished run's model as the inference model file the Viewer, Reports and batch prediction open (model.angio):
// its best weights as ONNX graphs, the threshold chosen on validation, the training-set readout baselines, and the
// run's record for the model card (data sizes, provenance, validation metrics with bootstrap intervals).
import { basename, join } from 'node:path';
import { evaluate, type GradedEvaluation } from '../evaluation/index.ts';
import { engineArchitecture, engineWeights, exportClassifier, modelCalibration, type GreyImage, type TrainingRecord } from '../inference/index.ts';
import { writeFileAtomic } from '../store/index.ts';
import type { TrainingConfig } from './config.ts';
import type { ImageSet } from './dataset.ts';
import { sessionSpecFor, type TrainingSession } from './engine.ts';
import type { PreprocessingSpec } from '../preprocessing/index.ts';
import { trainingPatchScale } from './patch-scale.ts';

export const INFERENCE_MODEL_FILE = 'model.angio';

const CARD_METRICS = [
  ['rocAuc', 'ROC AUC'],
  ['accuracy', 'Accuracy'],
  ['sensitivity', 'Sensitivity'],
  ['specificity', 'Specificity'],
] as const;
const REPLICATES = 1000;

export interface InferenceExportInput {
  runDir: string;
  config: TrainingConfig;
  preprocessing: PreprocessingSpec;
  /** The session holding the run's final (best-on-validation) weights. */
  session: TrainingSession;
  threshold: number;
  train: ImageSet;
  val: ImageSet;
  valScores: Float32Array;
  pretrainingImages: number;
  pretrainedWeights: string;
  /** The run's classes in output order (training-classes.ts). */
  classNames: string[];
  /** Graded runs: the validation split scored per class. */
  gradedValidation?: GradedEvaluation;
  now?: Date;
}

export type InferenceExport = { path: string } | { skipped: string };

function asImages(set: ImageSet, size: number): GreyImage[] {
  const plane = size * size;
  return Array.from({ length: set.count }, (_, i) => ({ width: size, height: size, pixels: set.pixels.subarray(i * plane, (i + 1) * plane) }));
}

/** Validation metrics at the threshold with percentile-bootstrap intervals over images. */
export function validationRecord(val: ImageSet, scores: Float32Array, threshold: number): Pick<TrainingRecord, 'validation' | 'validationNote'> {
  const labels = val.labels as Int32Array;
  const predictions = Array.from(scores, (score, i) => ({ id: val.files[i] ?? String(i), label: (labels[i] === 1 ? 1 : 0) as 0 | 1, score: Math.min(1, Math.max(0, score)) }));
  const evaluation = evaluate(predictions, { threshold, bootstrap: { replicates: REPLICATES, seed: 7 } });
  const values: Record<string, number> = { rocAuc: evaluation.rocAuc, accuracy: evaluation.metrics.accuracy, sensitivity: evaluation.metrics.sensitivity, specificity: evaluation.metrics.specificity };
  const validation = CARD_METRICS.map(([key, metric]) => {
    const interval = evaluation.intervals![key];
    return { metric, value: values[key] as number, low: interval.low, high: interval.high, confidence: interval.confidence };
  });
  const validationNote = `Recorded by the training run on its validation split: ${evaluation.images} images (${evaluation.positives} with stenosis) at the threshold ${threshold.toFixed(3)} chosen on that split; 95 % percentile-bootstrap intervals over images, ${REPLICATES} resamples, seed 7.`;
  return { validation, validationNote };
}

/** Writes <runDir>/model.angio; encoders the ONNX writer does not cover yet are skipped with the reason. */
export async function exportRunForInference(input: InferenceExportInput): Promise<InferenceExport> {
  const { config, session } = input;
  const weights = engineWeights(session.parameters(true));
  let architecture;
  try {
    architecture = engineArchitecture(sessionSpecFor(config, input.preprocessing, input.classNames.length), weights, undefined, input.classNames);
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const record: TrainingRecord = {
    run: basename(input.runDir),
    method: config.method,
    encoder: config.encoder,
    trainedAt: (input.now ?? new Date()).toISOString(),
    images: { train: input.train.count, validation: input.val.count, pretraining: input.pretrainingImages },
    pretrainedWeights: input.pretrainedWeights,
    ...validationRecord(input.val, input.valScores, input.threshold),
    ...(input.gradedValidation ? { gradedValidation: input.gradedValidation } : {}),
  };
  const bytes = await exportClassifier({
    name: `${config.method} ${config.encoder} (run ${basename(input.runDir)})`,
    weights,
    architecture,
    preprocessing: input.preprocessing,
    threshold: Math.min(0.999999, Math.max(1e-6, input.threshold)),
    // Binary runs ship calibrated probabilities: T fitted on the same validation scores the threshold came from.
    ...(input.classNames.length === 2 ? { calibration: modelCalibration({ labels: Array.from(input.val.labels as Int32Array, (l) => (l === 1 ? 1 : 0)), scores: Array.from(input.valScores) }) } : {}),
    trainingImages: asImages(input.train, config.imageSize),
    record,
    // The scan sizes its window in millimetres only when every training patch was cut at a known scale.
    patchSideMm: trainingPatchScale(input.train.files).sideMm,
    createdAt: input.now,
  });
  const path = join(input.runDir, INFERENCE_MODEL_FILE);
  writeFileAtomic(path, bytes);
  return { path };
}
