// Two models, each trained with several seeds and scored on the same test images: is the mean AUC over seeds of A
// higher than that of B? The seeds' AUCs are correlated (same images), so the test treats the mean difference as
// one contrast of all 2k correlated AUCs: DeLong's covariance of the contrast (DeLong et al. 1988, the L·S·Lᵀ form)
// and a paired bootstrap that resamples the images once for every model and seed together.
import { alignById, bootstrapIntervals, type BootstrapOptions, compareAucs, type ConfidenceInterval, midranks, normalQuantileTwoSided, type PairedAucComparison, type Prediction, rocAuc, toScoredLabels, twoSidedPValue } from '../../evaluation/index.ts';
import { AppError } from '../../ipc/index.ts';

export interface SeededPredictions {
  seed: number;
  predictions: readonly Prediction[];
}

export interface PooledAucComparison {
  modelA: string;
  modelB: string;
  seeds: number[];
  images: number;
  aucA: number[];
  aucB: number[];
  /** Mean over seeds of aucA − aucB. */
  meanDifference: number;
  deLong: { standardError: number; z: number; pValue: number; differenceInterval: { low: number; high: number; confidence: number } };
  /** Percentile interval of the mean difference over resamples of the images, the same resample for every run. */
  bootstrapDifference: ConfidenceInterval;
  /** The same seed of A and B compared alone (DeLong + paired bootstrap). */
  perSeed: PairedAucComparison[];
}

/** Per positive image, the fraction of negatives it outscores; per negative, the fraction of positives above it (ties ½). */
function placements(scores: readonly number[], labels: readonly (0 | 1)[]): { positive: number[]; negative: number[] } {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] === 0);
  const withinPos = midranks(pos);
  const withinNeg = midranks(neg);
  const all = midranks([...pos, ...neg]);
  return {
    positive: pos.map((_, i) => (all[i]! - withinPos[i]!) / neg.length),
    negative: neg.map((_, j) => 1 - (all[pos.length + j]! - withinNeg[j]!) / pos.length),
  };
}

function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}

export function pooledAucComparison(
  a: { name: string; runs: readonly SeededPredictions[] },
  b: { name: string; runs: readonly SeededPredictions[] },
  bootstrap: BootstrapOptions = {},
  confidence = 0.95,
): PooledAucComparison {
  const seeds = a.runs.map((run) => run.seed);
  if (seeds.length === 0 || seeds.join() !== b.runs.map((run) => run.seed).join()) {
    throw new AppError('evaluation-unpaired', `${a.name} and ${b.name} must be scored with the same seeds to be paired; found ${seeds.join(', ')} and ${b.runs.map((run) => run.seed).join(', ')}.`);
  }
  const reference = a.runs[0]!.predictions;
  const aligned = [...a.runs, ...b.runs].map((run, i) => alignById(reference, run.predictions, i < a.runs.length ? `${a.name} seed ${run.seed}` : `${b.name} seed ${run.seed}`));
  const k = seeds.length;
  const weights = aligned.map((_, j) => (j < k ? 1 / k : -1 / k));
  const labels = reference.map((p) => p.label);
  const parts = aligned.map((rows) => placements(rows.map((p) => p.score), labels));
  const contrast = (side: 'positive' | 'negative') => parts[0]![side].map((_, i) => parts.reduce((sum, part, j) => sum + weights[j]! * part[side][i]!, 0));
  const positives = contrast('positive');
  const negatives = contrast('negative');
  if (positives.length < 2 || negatives.length < 2) throw new AppError('evaluation-too-few-cases', 'The pooled DeLong test needs at least two positive and two negative images.');
  const aucs = aligned.map((rows) => rocAuc(toScoredLabels(rows)));
  const meanDifference = aucs.reduce((sum, auc, j) => sum + weights[j]! * auc, 0);
  const standardError = Math.sqrt(Math.max(0, sampleVariance(positives) / positives.length + sampleVariance(negatives) / negatives.length));
  const z = standardError === 0 ? (meanDifference === 0 ? 0 : Math.sign(meanDifference) * Infinity) : meanDifference / standardError;
  const half = normalQuantileTwoSided(confidence) * standardError;
  const { difference } = bootstrapIntervals(
    reference,
    (rows) => ({ difference: aligned.reduce((sum, run, j) => sum + weights[j]! * rocAuc(toScoredLabels(run, rows)), 0) }),
    { confidence, ...bootstrap },
  );
  return {
    modelA: a.name,
    modelB: b.name,
    seeds,
    images: reference.length,
    aucA: aucs.slice(0, k),
    aucB: aucs.slice(k),
    meanDifference,
    deLong: { standardError, z, pValue: twoSidedPValue(z), differenceInterval: { low: meanDifference - half, high: meanDifference + half, confidence } },
    bootstrapDifference: difference,
    perSeed: a.runs.map((run, i) => compareAucs({ name: `${a.name} (seed ${run.seed})`, predictions: run.predictions }, { name: `${b.name} (seed ${run.seed})`, predictions: b.runs[i]!.predictions }, bootstrap)),
  };
}

/** Interval of the mean AUC over seeds, resampling the test images once for all of them. */
export function seedMeanAucInterval(runs: readonly SeededPredictions[], bootstrap: BootstrapOptions = {}): ConfidenceInterval {
  const reference = runs[0]!.predictions;
  const aligned = runs.map((run) => alignById(reference, run.predictions, `seed ${run.seed}`));
  return bootstrapIntervals(reference, (rows) => ({ auc: aligned.reduce((sum, run) => sum + rocAuc(toScoredLabels(run, rows)), 0) / aligned.length }), bootstrap).auc;
}
