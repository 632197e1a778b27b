// Summarises several models, each trained with several seeds and scored on one shared test set: mean ± sd over
// seeds (training variability) and a bootstrap interval for that mean (test-set variability), per metric.
import { AppError } from '../ipc/index.ts';
import { bootstrapIntervals, DEFAULT_BOOTSTRAP, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.ts';
import { evaluate, type Evaluation } from './evaluate.ts';
import { alignById, toScoredLabels, validatePredictions, type Prediction } from './predictions.ts';
import { SCALAR_METRICS, scalarMetrics, type ScalarMetric, type ScalarMetrics } from './scalar-metrics.ts';

export interface ModelSeedRun {
  model: string;
  seed: number;
  /** The run's stored threshold, chosen on its validation split. */
  threshold: number;
  predictions: readonly Prediction[];
}

export interface MetricSummary {
  mean: number;
  /** Sample standard deviation over seeds; NaN with a single seed. */
  sd: number;
  /** Interval for the seed mean, from resampling the test set. */
  interval: ConfidenceInterval;
}

export interface ModelSummary {
  model: string;
  seeds: number[];
  metrics: Record<ScalarMetric, MetricSummary>;
  /** The run with the median AUC (lower median for an even count): what the confusion-matrix and ROC figures draw. */
  representative: { seed: number; evaluation: Evaluation };
}

export interface ComparisonTable {
  images: number;
  positives: number;
  models: ModelSummary[];
}

export interface ComparisonOptions {
  bootstrap?: BootstrapOptions;
  prevalence?: number;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  if (values.length < 2) return { mean, sd: Number.NaN };
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(squares / (values.length - 1)) };
}

function groupByModel(runs: readonly ModelSeedRun[]): Map<string, ModelSeedRun[]> {
  const byModel = new Map<string, ModelSeedRun[]>();
  for (const run of runs) {
    const list = byModel.get(run.model) ?? [];
    if (list.some((r) => r.seed === run.seed)) {
      throw new AppError('evaluation-duplicate-run', `Model ${run.model} has two runs with seed ${run.seed}. Keep one run per seed.`);
    }
    list.push(run);
    byModel.set(run.model, list);
  }
  return byModel;
}

export function buildComparisonTable(runs: readonly ModelSeedRun[], options: ComparisonOptions = {}): ComparisonTable {
  if (runs.length === 0) throw new AppError('evaluation-empty', 'No model runs to compare. Score at least one trained model on the test set.');
  const reference = runs[0]!.predictions;
  for (const run of runs) validatePredictions(run.predictions, `${run.model} seed ${run.seed}`);
  // Every run is put in the reference's row order, so one resample of rows means the same images for all of them.
  const aligned = (run: ModelSeedRun) => alignById(reference, run.predictions, `${run.model} seed ${run.seed}`);
  // The same bootstrap seed for every model makes the intervals of different models come from the same resamples.
  const bootstrap = { ...DEFAULT_BOOTSTRAP, ...options.bootstrap };

  const models = [...groupByModel(runs)].map(([model, modelRuns]): ModelSummary => {
    const rows = modelRuns.map(aligned);
    const perSeed: ScalarMetrics[] = rows.map((r, i) => scalarMetrics(toScoredLabels(r), modelRuns[i]!.threshold));
    const intervals = bootstrapIntervals(
      reference,
      (resample) => {
        const values = rows.map((r, i) => scalarMetrics(toScoredLabels(r, resample), modelRuns[i]!.threshold));
        return Object.fromEntries(
          SCALAR_METRICS.map(({ key }) => [key, meanAndSd(values.map((v) => v[key])).mean]),
        ) as ScalarMetrics;
      },
      bootstrap,
    );
    const metrics = Object.fromEntries(
      SCALAR_METRICS.map(({ key }) => [key, { ...meanAndSd(perSeed.map((v) => v[key])), interval: intervals[key] }]),
    ) as Record<ScalarMetric, MetricSummary>;
    const byAuc = modelRuns.map((_, i) => i).sort((a, b) => perSeed[a]!.rocAuc - perSeed[b]!.rocAuc);
    const median = byAuc[Math.floor((byAuc.length - 1) / 2)]!;
    const representative = {
      seed: modelRuns[median]!.seed,
      evaluation: evaluate(rows[median]!, { threshold: modelRuns[median]!.threshold, prevalence: options.prevalence, bootstrap }),
    };
    return { model, seeds: modelRuns.map((r) => r.seed), metrics, representative };
  });

  return { images: reference.length, positives: reference.filter((p) => p.label === 1).length, models };
}
