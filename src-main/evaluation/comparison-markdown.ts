// Renders a comparison table as Markdown for reports and the issue tracker, followed by the paper's published
// figures in the same columns so like is compared with like (support-weighted P/R/F1 on both sides).
import type { ComparisonTable, MetricSummary } from './comparison-table.ts';
import { PUBLISHED_RESULTS, PUBLISHED_TEST_SET, type PublishedModelResult } from './published-results.ts';
import { SCALAR_METRICS, type ScalarMetric } from './scalar-metrics.ts';

export const DEFAULT_TABLE_METRICS: readonly ScalarMetric[] = [
  'accuracy', 'rocAuc', 'sensitivity', 'specificity', 'precisionWeighted', 'recallWeighted', 'f1Weighted', 'precisionPositive', 'f1Positive',
];

export interface MarkdownOptions {
  metrics?: readonly ScalarMetric[];
  digits?: number;
  published?: readonly PublishedModelResult[] | false;
}

function label(key: ScalarMetric): string {
  return SCALAR_METRICS.find((m) => m.key === key)!.label;
}

function formatSummary(s: MetricSummary, digits: number): string {
  const f = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
  const spread = Number.isNaN(s.sd) ? '' : ` ± ${f(s.sd)}`;
  return `${f(s.mean)}${spread} (${f(s.interval.low)}–${f(s.interval.high)})`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function comparisonMarkdown(table: ComparisonTable, options: MarkdownOptions = {}): string {
  const metrics = options.metrics ?? DEFAULT_TABLE_METRICS;
  const digits = options.digits ?? 3;
  const header = ['Model', 'Seeds', ...metrics.map(label)];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const model of table.models) {
    lines.push(row([model.model, String(model.seeds.length), ...metrics.map((k) => formatSummary(model.metrics[k], digits))]));
  }
  const interval = table.models[0]?.metrics.accuracy.interval;
  if (interval) {
    const unit = interval.resampledUnit === 'patient' ? 'patients' : 'images';
    lines.push(
      '',
      `Test set: ${table.images} images, ${table.positives} with stenosis. Cells: mean ± sample sd over seeds ` +
        `(${Math.round(interval.confidence * 100)}% percentile-bootstrap interval of the seed mean; ${interval.replicates} resamples of ${unit}` +
        `${interval.stratified ? ', stratified by class' : ''}, seed ${interval.seed}). ` +
        'Support-weighted precision/recall/F1 average both classes weighted by their counts (sklearn average="weighted"); ' +
        '"stenosis class" is the positive class alone (average="binary").',
    );
  }
  const published = options.published === false ? [] : (options.published ?? PUBLISHED_RESULTS);
  if (published.length > 0) {
    const pubHeader = ['Model (published)', ...metrics.map(label)];
    lines.push('', row(pubHeader), row(pubHeader.map(() => '---')));
    for (const result of published) {
      lines.push(row([result.model, ...metrics.map((k) => result.metrics[k]?.toFixed(4) ?? '—')]));
    }
    lines.push('', `Published figures, single runs, "—" = not reported. ${PUBLISHED_TEST_SET.note}`);
  }
  return `${lines.join('\n')}\n`;
}
