// Test-time augmentation and ensembles on the validation and test splits: each configuration (one model or the mean
// of several, over one view or several) with its AUC, a 95 % bootstrap interval, a paired comparison with the first
// model's plain prediction on the same images, and what it costs: k views × m models passes, and the images per
// second its own passes reached in this run. A configuration is chosen on validation; test is only reported.
import { cpus } from 'node:os';
import { bootstrapIntervals, compareAucs, rocAuc, toScoredLabels, type Prediction } from '../evaluation/index.ts';
import type { ClassifierRuntime } from '../inference/index.ts';
import type { LabelledPatch } from './labelled-split.ts';
import { DEFAULT_VIEW_SETS, type TestTimeView } from './test-time-views.ts';
import { averagedViews, scoreViews, type ViewScores } from './view-scoring.ts';

export interface TtaConfiguration {
  name: string;
  models: string[];
  views: TestTimeView[];
  /** Forward passes per image: views × models. */
  passes: number;
}

export interface SplitFigures {
  auc: number;
  low: number;
  high: number;
  /** AUC − the baseline's AUC on the same images: paired-bootstrap interval and DeLong's p; null for the baseline. */
  versusBaseline: { difference: number; low: number; high: number; deLongP: number } | null;
}

export interface ConfigurationResult extends TtaConfiguration {
  validation: SplitFigures;
  test: SplitFigures;
  /** Measured over both splits: preparing the inputs once per model, then each view's passes. */
  cost: { seconds: number; imagesPerSecond: number; measuredMultiple: number };
}

export interface TtaEvaluation {
  validation: { images: number; positives: number };
  test: { images: number; positives: number };
  replicates: number;
  /** The first model, identity view only. */
  baseline: string;
  /** The highest validation AUC (the fewer passes on a tie). */
  chosen: string;
  machine: { cpu: string; cores: number };
  configurations: ConfigurationResult[];
}

export interface NamedRuntime {
  name: string;
  runtime: ClassifierRuntime;
}

const viewLabel = (views: readonly TestTimeView[]) => (views.length === 1 && views[0] === 'identity' ? '' : ` + TTA (${views.join(', ')})`);

/** Each model alone, then (with several) their ensemble, first plain and then with each view set. */
export function ttaConfigurations(models: readonly string[], viewSets: readonly (readonly TestTimeView[])[]): TtaConfiguration[] {
  const sets: TestTimeView[][] = [['identity'], ...viewSets.map((set) => [...set])];
  const unique = sets.filter((set, i) => sets.findIndex((other) => other.join() === set.join()) === i);
  const groups = models.length > 1 ? [...models.map((m) => [m]), [...models]] : [[...models]];
  return groups.flatMap((group) => unique.map((views) => ({
    name: `${group.length > 1 ? `ensemble (${group.join(' + ')})` : group[0]}${viewLabel(views)}`,
    models: group,
    views,
    passes: views.length * group.length,
  })));
}

function auc(predictions: readonly Prediction[]): number {
  return rocAuc(toScoredLabels(predictions));
}

function splitFigures(predictions: Prediction[], baseline: Prediction[] | null, name: string, replicates: number): SplitFigures {
  const interval = bootstrapIntervals(predictions, (rows) => ({ auc: rocAuc(toScoredLabels(predictions, rows)) }), { replicates, seed: 7 }).auc;
  let versusBaseline: SplitFigures['versusBaseline'] = null;
  if (baseline) {
    const paired = compareAucs({ name, predictions }, { name: 'baseline', predictions: baseline }, { replicates, seed: 7 });
    versusBaseline = { difference: paired.deLong.difference, low: paired.bootstrapDifference.low, high: paired.bootstrapDifference.high, deLongP: paired.deLong.pValue };
  }
  return { auc: auc(predictions), low: interval.low, high: interval.high, versusBaseline };
}

function classCounts(patches: readonly LabelledPatch[]) {
  return { images: patches.length, positives: patches.filter((p) => p.label === 1).length };
}

export async function evaluateTta(
  models: readonly NamedRuntime[],
  validation: readonly LabelledPatch[],
  test: readonly LabelledPatch[],
  options: { viewSets?: readonly (readonly TestTimeView[])[]; replicates?: number; onSplit?: (split: 'validation' | 'test') => void } = {},
): Promise<TtaEvaluation> {
  const replicates = options.replicates ?? 1000;
  const names = models.map((m) => m.name);
  const configurations = ttaConfigurations(names, options.viewSets ?? DEFAULT_VIEW_SETS);
  const views = [...new Set(configurations.flatMap((c) => c.views))];
  const runtimes = models.map((m) => m.runtime);
  options.onSplit?.('validation');
  const scored = { validation: await scoreViews(runtimes, validation, views), test: null as ViewScores[] | null };
  options.onSplit?.('test');
  scored.test = await scoreViews(runtimes, test, views);
  const of = (configuration: TtaConfiguration, split: 'validation' | 'test') => {
    const patches = split === 'validation' ? validation : test;
    const all = scored[split]!;
    return averagedViews(patches, configuration.models.map((name) => all[names.indexOf(name)]!), configuration.views);
  };
  const base = configurations[0]!;
  const baseline = { validation: of(base, 'validation'), test: of(base, 'test') };
  const baseSeconds = baseline.validation.seconds + baseline.test.seconds;
  const images = validation.length + test.length;
  const results = configurations.map((configuration): ConfigurationResult => {
    const isBase = configuration === base;
    const val = of(configuration, 'validation');
    const tst = of(configuration, 'test');
    const seconds = val.seconds + tst.seconds;
    return {
      ...configuration,
      validation: splitFigures(val.predictions, isBase ? null : baseline.validation.predictions, configuration.name, replicates),
      test: splitFigures(tst.predictions, isBase ? null : baseline.test.predictions, configuration.name, replicates),
      cost: { seconds, imagesPerSecond: images / seconds, measuredMultiple: seconds / baseSeconds },
    };
  });
  const chosen = results.reduce((best, r) => (r.validation.auc > best.validation.auc || (r.validation.auc === best.validation.auc && r.passes < best.passes) ? r : best));
  return {
    validation: classCounts(validation),
    test: classCounts(test),
    replicates,
    baseline: base.name,
    chosen: chosen.name,
    machine: { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length },
    configurations: results,
  };
}
