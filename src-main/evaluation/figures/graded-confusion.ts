// The K×K confusion matrix of a graded (or binary) stenosis classifier as a heat map, classes in severity order.
// Cells are shaded by the share of their true class, as in Fig. 3, so rare severe grades read as clearly as common ones.
import type { TopLevelSpec } from 'vega-lite';
import type { GradedEvaluation } from '../graded-metrics.ts';
import { FIGURE_CONFIG } from './theme.ts';
import { confusionCellLayers } from './confusion-matrices.ts';

export interface GradedConfusionCell {
  actual: string;
  predicted: string;
  count: number;
  /** count / images of the true class; 0 for a class absent from the test set. */
  share: number;
  label: string;
}

export function gradedConfusionCells(evaluation: GradedEvaluation): GradedConfusionCell[] {
  const names = evaluation.classNames;
  return evaluation.confusion.flatMap((row, i) => {
    const classTotal = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => {
      const share = classTotal === 0 ? 0 : count / classTotal;
      return { actual: names[i]!, predicted: names[j]!, count, share, label: `${count}\n${(100 * share).toFixed(0)}%` };
    });
  });
}

export function gradedConfusionSpec(evaluation: GradedEvaluation, title: string): TopLevelSpec {
  const classes = evaluation.classNames;
  const axis = { labelAngle: 0, labelFontSize: 12, ticks: false, domain: false } as const;
  // Cells stay readable with two text lines: about 70 px each, never a plot smaller than Fig. 3's 180 px.
  const side = Math.max(180, 70 * classes.length);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    data: { values: gradedConfusionCells(evaluation) },
    width: side,
    height: side,
    encoding: {
      // Slanted: grade names such as "stenosis 50–70%" are wider than a cell and would run into each other.
      x: { field: 'predicted', type: 'nominal', sort: classes, title: 'Predicted', axis: { ...axis, orient: 'bottom', labelAngle: -30, labelAlign: 'right', labelBaseline: 'top' } },
      y: { field: 'actual', type: 'nominal', sort: classes, title: 'Actual', axis },
    },
    layer: confusionCellLayers(),
  };
}
