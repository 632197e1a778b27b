// Fig. 1: headline metrics side by side, one bar per model within each metric, with its interval as an error bar.
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG, modelColourScale } from './theme.ts';

const BAR_WIDTH = 16;
const GROUP_GAP = 28;

export interface MetricBar {
  model: string;
  metric: string;
  value: number;
  /** Interval ends; omitted for numbers that come without one (the published figures). */
  low?: number;
  high?: number;
}

export function metricBarsSpec(bars: readonly MetricBar[], title = 'Fig. 1. Test-set metrics by model'): TopLevelSpec {
  const models = [...new Set(bars.map((b) => b.model))];
  const metrics = [...new Set(bars.map((b) => b.metric))];
  const x = { field: 'metric', type: 'nominal', sort: metrics, title: null, axis: { labelAngle: 0, labelLimit: 120 } } as const;
  const xOffset = { field: 'model', type: 'nominal', sort: models } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    data: { values: bars.map((b) => ({ ...b })) },
    // Vega-Lite's step would size each model's sub-band; a fixed width keeps every metric group equally wide.
    width: metrics.length * (models.length * BAR_WIDTH + GROUP_GAP),
    height: 300,
    encoding: { x, xOffset: { ...xOffset, scale: { paddingInner: 0.05 } } },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: 'Value', axis: { format: '.1f', tickCount: 5 } },
          color: { field: 'model', type: 'nominal', scale: modelColourScale(models), legend: { title: null, orient: 'bottom', columns: 3, symbolType: 'square' } },
          tooltip: [{ field: 'model' }, { field: 'metric' }, { field: 'value', format: '.3f' }],
        },
      },
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'rule', color: '#333', strokeWidth: 1.2 },
        encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
    ],
  };
}
