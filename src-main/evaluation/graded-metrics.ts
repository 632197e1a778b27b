// Metrics for a stenosis classifier with K ≥ 2 classes (binary, or graded by severity with class 0 = no stenosis):
// K×K confusion, per-class P/R/F1 and one-vs-rest AUC as sklearn computes them, and agreement on the severity scale.
import { AppError } from '../ipc/index.ts';
import { ratioOrZero } from './classification-metrics.ts';
import type { Label } from './predictions.ts';
import { rocAuc } from './roc.ts';

export interface GradedPrediction {
  id: string;
  label: number;
  /** softmax over the K classes, in class order */
  probabilities: number[];
}

export interface ClassRow {
  name: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
  /** one-vs-rest ROC AUC; NaN when the class is absent or is every image */
  rocAuc: number;
}

export interface GradedEvaluation {
  classNames: string[];
  images: number;
  /** rows: true class, columns: predicted class (argmax; ties go to the lower index, like numpy argmax) */
  confusion: number[][];
  accuracy: number;
  perClass: ClassRow[];
  /** mean of the per-class one-vs-rest AUCs over classes with both outcomes present (sklearn roc_auc_score(multi_class='ovr', average='macro') when every class is present) */
  macroRocAuc: number;
  /** Cohen's kappa with quadratic weights between true and predicted class index (sklearn cohen_kappa_score(weights='quadratic')): agreement on the ordinal severity scale */
  quadraticKappa: number;
  /** share of images whose predicted class index is within one of the true one */
  withinOneClass: number;
}

/** The binary score a graded model gives for "any stenosis": everything that is not class 0. */
export function anyStenosisScore(probabilities: number[]): number {
  return 1 - probabilities[0]!;
}

function invalid(message: string, details?: unknown): never {
  throw new AppError('evaluation-invalid', message, details);
}

function validate(predictions: readonly GradedPrediction[], classNames: readonly string[]): void {
  const k = classNames.length;
  if (k < 2) invalid(`A classifier needs at least 2 classes but ${k} class name(s) were given. Configure the class list of the model.`);
  if (predictions.length === 0) invalid('No predictions to evaluate. Score the test set first.');
  for (const p of predictions) {
    if (!Number.isInteger(p.label) || p.label < 0 || p.label >= k) {
      invalid(`Label of image ${p.id} is ${String(p.label)}, not a class index from 0 to ${k - 1}. Fix the reference labels or the class list.`, { id: p.id });
    }
    if (p.probabilities.length !== k) {
      invalid(`Image ${p.id} has ${p.probabilities.length} class probabilities but the model has ${k} classes. Score with the model that matches this class list.`, { id: p.id });
    }
    if (!p.probabilities.every(Number.isFinite)) {
      invalid(`Image ${p.id} has a non-finite class probability. Re-score the image; the model output is broken.`, { id: p.id });
    }
  }
}

/** numpy argmax: the first of equal maxima wins, so a tie is called the milder class. */
function predictedClass(probabilities: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < probabilities.length; c += 1) if (probabilities[c]! > probabilities[best]!) best = c;
  return best;
}

/** As sklearn: 1 − Σ w·observed / Σ w·expected with w = (i − j)², expected from the margins; NaN when undefined. */
function quadraticKappa(confusion: readonly number[][], images: number): number {
  const k = confusion.length;
  const trueTotals = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predictedTotals = confusion[0]!.map((_, j) => confusion.reduce((sum, row) => sum + row[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i += 1) {
    for (let j = 0; j < k; j += 1) {
      const weight = (i - j) ** 2;
      observed += weight * confusion[i]![j]!;
      expected += (weight * trueTotals[i]! * predictedTotals[j]!) / images;
    }
  }
  return 1 - observed / expected;
}

export function gradedEvaluation(predictions: readonly GradedPrediction[], classNames: readonly string[]): GradedEvaluation {
  validate(predictions, classNames);
  const k = classNames.length;
  const images = predictions.length;
  const predicted = predictions.map((p) => predictedClass(p.probabilities));
  const confusion = classNames.map(() => Array<number>(k).fill(0));
  predictions.forEach((p, i) => (confusion[p.label]![predicted[i]!]! += 1));

  const perClass = classNames.map((name, c): ClassRow => {
    const hits = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const calls = confusion.reduce((sum, row) => sum + row[c]!, 0);
    const labels = predictions.map((p): Label => (p.label === c ? 1 : 0));
    return {
      name,
      support,
      precision: ratioOrZero(hits, calls),
      recall: ratioOrZero(hits, support),
      f1: ratioOrZero(2 * hits, calls + support),
      rocAuc: rocAuc({ labels, scores: predictions.map((p) => p.probabilities[c]!) }),
    };
  });
  // A class missing from the test set has no one-vs-rest AUC; averaging the others keeps the figure usable.
  const defined = perClass.map((row) => row.rocAuc).filter((auc) => !Number.isNaN(auc));
  const correct = predictions.filter((p, i) => p.label === predicted[i]).length;
  const nearMisses = predictions.filter((p, i) => Math.abs(p.label - predicted[i]!) <= 1).length;
  return {
    classNames: [...classNames],
    images,
    confusion,
    accuracy: correct / images,
    perClass,
    macroRocAuc: defined.length === 0 ? Number.NaN : defined.reduce((a, b) => a + b, 0) / defined.length,
    quadraticKappa: quadraticKappa(confusion, images),
    withinOneClass: nearMisses / images,
  };
}
