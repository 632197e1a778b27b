// Fig. 7: reliability diagram on the test split, before and after temperature scaling: observed fraction with
// stenosis against mean predicted P(stenosis) per bin (points sized by the bin's images), the diagonal is perfect
// calibration, and the legend carries each curve's expected calibration error.
import type { TopLevelSpec } from 'vega-lite';
import type { Reliability } from '../calibration/index.ts';
import { FIGURE_CONFIG, modelColourScale } from './theme.ts';

export interface ReliabilityCurveInput {
  label: string;
  reliability: Reliability;
}

export function reliabilityCurveName(curve: ReliabilityCurveInput): string {
  return `${curve.label} (ECE ${curve.reliability.expectedCalibrationError.toFixed(3)})`;
}

export function reliabilityDiagramSpec(curves: readonly ReliabilityCurveInput[], title = 'Fig. 7. Reliability on the test set (10 bins)'): TopLevelSpec {
  const names = curves.map(reliabilityCurveName);
  const rows = curves.flatMap((c, i) =>
    c.reliability.bins.filter((b) => b.images > 0).map((b) => ({ curve: names[i]!, predicted: b.meanProbability, observed: b.observedFraction, images: b.images })),
  );
  const unit = { type: 'quantitative' as const, scale: { domain: [0, 1], nice: false }, axis: { format: '.1f', tickCount: 5 } };
  const colour = { field: 'curve', type: 'nominal' as const, scale: modelColourScale(names), legend: { title: null, orient: 'top-left' as const, padding: 6 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: FIGURE_CONFIG,
    width: 380,
    height: 380,
    layer: [
      {
        data: { values: [{ predicted: 0, observed: 0 }, { predicted: 1, observed: 1 }] },
        mark: { type: 'line', color: '#9e9e9e', strokeDash: [5, 4], strokeWidth: 1 },
        encoding: { x: { field: 'predicted', ...unit }, y: { field: 'observed', ...unit } },
      },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2, point: false },
        encoding: {
          x: { field: 'predicted', ...unit, title: 'Mean predicted P(stenosis) in the bin' },
          y: { field: 'observed', ...unit, title: 'Fraction with stenosis' },
          color: colour,
        },
      },
      {
        data: { values: rows },
        mark: { type: 'circle', opacity: 0.9 },
        encoding: {
          x: { field: 'predicted', ...unit },
          y: { field: 'observed', ...unit },
          size: { field: 'images', type: 'quantitative', title: 'Images', legend: { orient: 'bottom-right' } },
          color: colour,
        },
      },
    ],
  };
}
