// Fig. 4: ROC curves of all models on one square plot, the legend carrying each AUC and a dashed chance line.
// Points are drawn in ROC order (not sorted by x), so vertical steps at tied false-positive rates survive.
import type { TopLevelSpec } from 'vega-lite';
import type { RocPoint } from '../roc.ts';
import { FIGURE_CONFIG, modelColourScale } from './theme.ts';

export interface RocCurveInput {
  label: string;
  auc: number;
  points: readonly RocPoint[];
}

export const ROC_PLOT_SIZE = 380;

export function curveName(curve: RocCurveInput): string {
  return `${curve.label} (AUC ${curve.auc.toFixed(3)})`;
}

export function rocCurvesSpec(curves: readonly RocCurveInput[], title = 'Fig. 4. ROC curves on the test set'): TopLevelSpec {
  const names = curves.map(curveName);
  const rows = curves.flatMap((c, i) =>
    c.points.map((p, step) => ({ curve: names[i]!, step, fpr: p.falsePositiveRate, tpr: p.truePositiveRate })),
  );
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1], nice: false }, axis: { format: '.1f', tickCount: 5 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    width: ROC_PLOT_SIZE,
    height: ROC_PLOT_SIZE,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', color: '#9e9e9e', strokeDash: [5, 4], strokeWidth: 1 },
        encoding: { x: { field: 'fpr', ...unit }, y: { field: 'tpr', ...unit } },
      },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: { field: 'fpr', ...unit, title: '1 − specificity (false-positive rate)' },
          y: { field: 'tpr', ...unit, title: 'Sensitivity (true-positive rate)' },
          order: { field: 'step', type: 'quantitative' },
          color: {
            field: 'curve',
            type: 'nominal',
            scale: modelColourScale(names),
            legend: { title: null, orient: 'bottom-right', padding: 6 },
          },
        },
      },
    ],
  };
}
