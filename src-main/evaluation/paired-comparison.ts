// Two models scored on the same test images: is one's AUC really higher? Both DeLong's test (analytic) and a
// paired bootstrap (the same resampled patients for both models) are given, since each rests on different assumptions.
import { bootstrapIntervals, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';
import { deLongTest, type DeLongComparison } from './delong.ts';
import { alignById, toScoredLabels, validatePredictions, type Prediction } from './predictions.ts';
import { rocAuc } from './roc.ts';

export interface PairedAucComparison {
  modelA: string;
  modelB: string;
  images: number;
  deLong: DeLongComparison;
  /** Percentile interval of aucA − aucB over paired resamples. */
  bootstrapDifference: ConfidenceInterval;
}

export function compareAucs(
  modelA: { name: string; predictions: readonly Prediction[] },
  modelB: { name: string; predictions: readonly Prediction[] },
  bootstrap: BootstrapOptions = {},
): PairedAucComparison {
  validatePredictions(modelA.predictions, modelA.name);
  validatePredictions(modelB.predictions, modelB.name);
  const a = modelA.predictions;
  const b = alignById(a, modelB.predictions, modelB.name);
  const { difference } = bootstrapIntervals(
    a,
    (rows) => ({ difference: rocAuc(toScoredLabels(a, rows)) - rocAuc(toScoredLabels(b, rows)) }),
    bootstrap,
  );
  return {
    modelA: modelA.name,
    modelB: modelB.name,
    images: a.length,
    deLong: deLongTest(toScoredLabels(a), toScoredLabels(b)),
    bootstrapDifference: difference,
  };
}
