// What an inference model file says about itself: format version, architecture, preprocessing, the quantum
// layer's weights, the decision threshold and the training-set statistics the readouts compare against.
import type { GradedEvaluation } from '../../evaluation/index.ts';
import type { ClassifierArchitecture } from '../export/architecture.ts';
import type { PreprocessingSpec } from '../preprocess.ts';

/** Bumped whenever the container, the manifest or the graphs' value names change meaning. */
export const MODEL_FILE_FORMAT_VERSION = 1;

export const MODEL_PARTS = ['encoder', 'head', 'headMcDropout'] as const;
export type ModelPart = (typeof MODEL_PARTS)[number];

/** Per-statistic mean and standard deviation over the training images (OOD reference). */
export interface StatisticSummary {
  names: string[];
  mean: number[];
  std: number[];
}

export interface TrainingStatistics {
  imageCount: number;
  /** Mean ⟨Z_q⟩ per qubit over the training set: the baseline for the quantum contribution (null: no fusion). */
  qMean: number[] | null;
  /** Simple image statistics (intensity, contrast, saturation, gradient energy) of the training patches. */
  image: StatisticSummary;
  /** Per-dimension mean and std of the encoder features h, and the 99.5th percentile of the training images' own distance. */
  featureMean: number[];
  featureStd: number[];
  featureDistanceP995: number;
}

/** What the training run recorded about the model: the model card's source (absent in files made outside a run). */
export interface TrainingRecord {
  /** The run folder's name. */
  run: string;
  method: string;
  encoder: string;
  trainedAt: string;
  images: { train: number; validation: number; pretraining: number };
  pretrainedWeights: string;
  /** Validation metrics at the model's threshold with 95 % bootstrap intervals. */
  validation: { metric: string; value: number; low: number; high: number; confidence: number }[];
  validationNote: string;
  /** Graded models: every class on the validation split at the most probable class (evaluation/graded-metrics.ts). */
  gradedValidation?: GradedEvaluation;
}

/**
 * Temperature scaling (evaluation/calibration): the runtime returns softmax(log p / T) for the network's softmax p, so
 * every probability the app shows is calibrated; the order of images, hence AUC and the decisions, stay as they are.
 */
export interface ModelCalibration {
  method: 'temperature';
  temperature: number;
  /** Images of the validation split T was fitted on, and their mean NLL before and after. */
  images: number;
  nllBefore: number;
  nllAfter: number;
  /** Expected calibration error on the same split (10 equal-width bins) before and after. */
  eceBefore: number;
  eceAfter: number;
  /** A rule-out operating point chosen on validation beside the model's own threshold (calibrated scale). */
  triage?: { targetSensitivity: number; threshold: number; sensitivity: number; specificity: number };
  /** Youden's operating point on the same validation scores (calibrated scale), for the side-by-side table. */
  youden?: { threshold: number; sensitivity: number; specificity: number };
}

export interface InferenceManifest {
  formatVersion: number;
  /** Content hash of the graphs and the quantum weights: results are cached under it. */
  modelVersion: string;
  name: string;
  createdAt: string;
  architecture: ClassifierArchitecture;
  preprocessing: PreprocessingSpec;
  /** θ of the quantum layer (layer-major, then qubit, then angle), float64; null without fusion. */
  quantumWeights: number[] | null;
  /** P(stenosis) at or above which the class is "stenosis" (on the calibrated scale when `calibration` is present). */
  threshold: number;
  /** Temperature scaling fitted on the validation split; absent: probabilities are the network's own (T = 1). */
  calibration?: ModelCalibration;
  /** Side of the training patches in millimetres at the isocenter, when every patch recorded its scale; else absent. */
  patchSideMm?: number | null;
  training: TrainingStatistics;
  record?: TrainingRecord;
  parts: Record<ModelPart, { offset: number; length: number; sha256: string }>;
}
