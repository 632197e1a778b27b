// What the evaluation layer consumes: one scored image per row, with its reference label and, when known,
// the patient it came from (so resampling can keep a patient's images together).
import { AppError } from '../ipc/index.ts';

export type Label = 0 | 1;

export interface Prediction {
  /** Image (or key frame) identifier, unique within one test set. */
  id: string;
  /** Reference standard: 1 = significant stenosis (positive class), 0 = none. */
  label: Label;
  /** Model probability of the positive class, in [0, 1]. */
  score: number;
  /** Patient identifier; bootstrap and paired tests resample patients, not images, when it is present. */
  patientId?: string;
}

/** Columnar view used by the metric kernels, so bootstrap resamples are index lists rather than copies of rows. */
export interface ScoredLabels {
  labels: readonly Label[];
  scores: readonly number[];
}

export function toScoredLabels(predictions: readonly Prediction[], indices?: readonly number[]): ScoredLabels {
  const rows = indices ? indices.map((i) => predictions[i]!) : predictions;
  return { labels: rows.map((p) => p.label), scores: rows.map((p) => p.score) };
}

export function validatePredictions(predictions: readonly Prediction[], what = 'predictions'): void {
  if (predictions.length === 0) {
    throw new AppError('evaluation-empty', `No ${what} to evaluate. Score the test set first.`);
  }
  const seen = new Set<string>();
  for (const p of predictions) {
    if (p.label !== 0 && p.label !== 1) {
      throw new AppError('evaluation-bad-label', `Label of image ${p.id} in ${what} is ${String(p.label)}, not 0 or 1. Fix the reference labels.`, { id: p.id });
    }
    if (!Number.isFinite(p.score) || p.score < 0 || p.score > 1) {
      throw new AppError('evaluation-bad-score', `Score of image ${p.id} in ${what} is ${p.score}, outside [0, 1]. Export probabilities, not logits.`, { id: p.id });
    }
    if (seen.has(p.id)) {
      throw new AppError('evaluation-duplicate-id', `Image ${p.id} appears twice in ${what}. Each image must be scored once.`, { id: p.id });
    }
    seen.add(p.id);
  }
}

/**
 * Reorders `other` to follow `reference` image by image, failing when the two sets are not the same images with
 * the same labels: paired statistics are only meaningful on identical test sets.
 */
export function alignById(reference: readonly Prediction[], other: readonly Prediction[], what: string): Prediction[] {
  const byId = new Map(other.map((p) => [p.id, p]));
  if (byId.size !== reference.length || other.length !== reference.length) {
    throw new AppError('evaluation-unpaired', `${what} covers ${other.length} images but the reference covers ${reference.length}. Score both on the same test set.`);
  }
  return reference.map((ref) => {
    const match = byId.get(ref.id);
    if (!match) {
      throw new AppError('evaluation-unpaired', `Image ${ref.id} is missing from ${what}. Score both on the same test set.`, { id: ref.id });
    }
    if (match.label !== ref.label) {
      throw new AppError(
        'evaluation-label-mismatch',
        `Image ${ref.id} is labelled ${ref.label} in the reference but ${match.label} in ${what}. Use one label source.`,
        { id: ref.id },
      );
    }
    return match;
  });
}
