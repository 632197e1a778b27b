// Percentile bootstrap intervals for any set of statistics of a scored test set, resampling patients when their
// ids are known. Replicates where a statistic is undefined (e.g. AUC of a resample with one class) are dropped
// and counted, so a reader can see when an interval rests on fewer replicates than asked for.
import type { Prediction } from './predictions.ts';
import { percentile } from './percentile.ts';
import { drawResample, resamplingPlan, type ResampledUnit } from './resampling-plan.ts';
import { seededRandom } from '../random/index.ts';

export interface BootstrapOptions {
  replicates?: number;
  seed?: number;
  /** Keep the number of positive and negative units fixed in every resample. */
  stratified?: boolean;
  confidence?: number;
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  confidence: number;
  method: 'percentile bootstrap';
  resampledUnit: ResampledUnit;
  replicates: number;
  /** Replicates dropped because the statistic was undefined (NaN) on them. */
  undefinedReplicates: number;
  seed: number;
  stratified: boolean;
}

export const DEFAULT_BOOTSTRAP = { replicates: 2000, seed: 7, stratified: false, confidence: 0.95 } as const;

/** `statistic` receives row indices of one resample (rows may repeat) and returns named values. */
export function bootstrapIntervals<K extends string>(
  predictions: readonly Prediction[],
  statistic: (rows: readonly number[]) => Record<K, number>,
  options: BootstrapOptions = {},
): Record<K, ConfidenceInterval> {
  const { replicates, seed, stratified, confidence } = { ...DEFAULT_BOOTSTRAP, ...options };
  const plan = resamplingPlan(predictions, stratified);
  const random = seededRandom(seed);
  const draws = new Map<K, number[]>();
  for (let r = 0; r < replicates; r += 1) {
    const values = statistic(drawResample(plan, random));
    for (const key of Object.keys(values) as K[]) {
      let list = draws.get(key);
      if (!list) draws.set(key, (list = []));
      list.push(values[key]);
    }
  }
  const tail = (1 - confidence) / 2;
  const intervals = {} as Record<K, ConfidenceInterval>;
  for (const [key, values] of draws) {
    const defined = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    intervals[key] = {
      low: percentile(defined, tail),
      high: percentile(defined, 1 - tail),
      confidence,
      method: 'percentile bootstrap',
      resampledUnit: plan.unit,
      replicates,
      undefinedReplicates: values.length - defined.length,
      seed,
      stratified,
    };
  }
  return intervals;
}
