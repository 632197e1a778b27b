// Everything reported for one model on one test set at its stored threshold: metrics, confusion matrix, ROC
// points, predictive values and, unless turned off, bootstrap intervals for every headline number.
import { bootstrapIntervals, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics.ts';
import { confusionMatrix, type ConfusionMatrix } from './confusion-matrix.ts';
import { toScoredLabels, validatePredictions, type Prediction } from './predictions.ts';
import { observedPredictiveValues, predictiveValuesAtPrevalence, type PredictiveValues } from './predictive-values.ts';
import { rocAuc, rocCurve, type RocPoint } from './roc.ts';
import { scalarMetrics, type ScalarMetric } from './scalar-metrics.ts';

export interface EvaluationOptions {
  /** The threshold stored with the model (chosen on validation); score >= threshold is called stenosis. */
  threshold: number;
  /** Prevalence at which to restate PPV and NPV, e.g. the referral population's. */
  prevalence?: number;
  /** false skips the intervals (they cost a few thousand metric evaluations). */
  bootstrap?: BootstrapOptions | false;
}

export interface Evaluation {
  images: number;
  positives: number;
  negatives: number;
  threshold: number;
  rocAuc: number;
  metrics: ClassificationMetrics;
  confusionMatrix: ConfusionMatrix;
  /** As sklearn roc_curve(drop_intermediate=True); the first point has threshold +Infinity. */
  rocPoints: RocPoint[];
  predictiveValues: {
    observed: PredictiveValues;
    atPrevalence?: PredictiveValues & { prevalence: number };
  };
  intervals?: Record<ScalarMetric, ConfidenceInterval>;
}

export function evaluate(predictions: readonly Prediction[], options: EvaluationOptions): Evaluation {
  validatePredictions(predictions);
  const scored = toScoredLabels(predictions);
  const matrix = confusionMatrix(scored, options.threshold);
  const metrics = classificationMetrics(matrix);
  const positives = matrix.truePositives + matrix.falseNegatives;
  const evaluation: Evaluation = {
    images: predictions.length,
    positives,
    negatives: predictions.length - positives,
    threshold: options.threshold,
    rocAuc: rocAuc(scored),
    metrics,
    confusionMatrix: matrix,
    rocPoints: rocCurve(scored, { dropIntermediate: true }),
    predictiveValues: { observed: observedPredictiveValues(matrix) },
  };
  if (options.prevalence !== undefined) {
    evaluation.predictiveValues.atPrevalence = {
      prevalence: options.prevalence,
      ...predictiveValuesAtPrevalence(metrics.sensitivity, metrics.specificity, options.prevalence),
    };
  }
  if (options.bootstrap !== false) {
    evaluation.intervals = bootstrapIntervals(
      predictions,
      (rows) => scalarMetrics(toScoredLabels(predictions, rows), options.threshold),
      options.bootstrap,
    );
  }
  return evaluation;
}
