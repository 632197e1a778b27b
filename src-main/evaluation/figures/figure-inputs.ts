// Picks from a comparison table what each figure draws: seed means with their intervals for Figs. 1 and 2,
// and the median-AUC run of each model for the confusion matrices and ROC curves of Figs. 3 and 4.
import type { ComparisonTable } from '../comparison-table.ts';
import type { PublishedModelResult } from '../published-results.ts';
import { SCALAR_METRICS, type ScalarMetric } from '../scalar-metrics.ts';
import type { ConfusionPanel } from './confusion-matrices.ts';
import type { MetricBar } from './metric-bars.ts';
import type { RadarValue } from './radar.ts';
import type { RocCurveInput } from './roc-curves.ts';

export const FIGURE_METRICS: readonly ScalarMetric[] = ['accuracy', 'rocAuc', 'sensitivity', 'specificity', 'precisionWeighted', 'f1Weighted'];

function shortLabel(key: ScalarMetric): string {
  return SCALAR_METRICS.find((m) => m.key === key)!.short;
}

/** Published rows join as "<model> (published)" bars without error bars; unreported metrics are simply absent. */
export function metricBars(table: ComparisonTable, published: readonly PublishedModelResult[] = [], metrics = FIGURE_METRICS): MetricBar[] {
  const ours = table.models.flatMap((m) =>
    metrics.map((key) => ({ model: m.model, metric: shortLabel(key), value: m.metrics[key].mean, low: m.metrics[key].interval.low, high: m.metrics[key].interval.high })),
  );
  const theirs = published.flatMap((p) =>
    metrics.flatMap((key) => (p.metrics[key] === undefined ? [] : [{ model: `${p.model} (published)`, metric: shortLabel(key), value: p.metrics[key] }])),
  );
  return [...ours, ...theirs];
}

export function radarValues(table: ComparisonTable, metrics = FIGURE_METRICS): RadarValue[] {
  return table.models.flatMap((m) => metrics.map((key) => ({ model: m.model, metric: shortLabel(key), value: m.metrics[key].mean })));
}

export function confusionPanels(table: ComparisonTable): ConfusionPanel[] {
  return table.models.map((m) => ({ title: `${m.model} (seed ${m.representative.seed})`, matrix: m.representative.evaluation.confusionMatrix }));
}

export function rocCurves(table: ComparisonTable): RocCurveInput[] {
  return table.models.map((m) => ({ label: m.model, auc: m.representative.evaluation.rocAuc, points: m.representative.evaluation.rocPoints }));
}
