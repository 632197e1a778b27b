// Fig. 8: test AUC under each synthetic acquisition shift with its 95 % bootstrap interval, one row per shift and
// severity, the unshifted AUC as a vertical rule; one colour per model when several are compared.
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG, modelColourScale } from './theme.ts';

export interface ShiftFigureRow {
  model: string;
  shift: string;
  auc: number;
  low: number;
  high: number;
}

export function shiftRobustnessSpec(rows: readonly ShiftFigureRow[], unshifted: readonly { model: string; auc: number }[], title = 'Fig. 8. Test AUC under synthetic shifts'): TopLevelSpec {
  const models = [...new Set(rows.map((r) => r.model))];
  const order = [...new Set(rows.map((r) => r.shift))];
  const y = { field: 'shift', type: 'nominal' as const, sort: order, title: null, axis: { labelLimit: 320 } };
  const x = { type: 'quantitative' as const, scale: { domain: [0.4, 1], nice: false }, title: 'ROC AUC (95 % bootstrap interval)' };
  const colour = { field: 'model', type: 'nominal' as const, scale: modelColourScale(models), legend: { title: null, orient: 'bottom' as const } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    width: 420,
    height: { step: 18 },
    layer: [
      { data: { values: [...unshifted] }, mark: { type: 'rule', strokeDash: [5, 4] }, encoding: { x: { field: 'auc', ...x }, color: colour } },
      {
        data: { values: [...rows] },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, yOffset: { field: 'model', type: 'nominal' }, x: { field: 'low', ...x }, x2: { field: 'high' }, color: colour },
      },
      {
        data: { values: [...rows] },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { y, yOffset: { field: 'model', type: 'nominal' }, x: { field: 'auc', ...x }, color: colour },
      },
    ],
  };
}
