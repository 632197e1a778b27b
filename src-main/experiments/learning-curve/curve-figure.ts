// The learning-curve figure: mean test AUC over seeds against the number of labels (log axis), one line per arm,
// the 95 % bootstrap interval of each mean as a bar and every seed's own AUC as a faint dot.
import type { TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './curve-summary.ts';

/** The arms are drawn a little apart on the log axis so that their intervals do not hide each other. */
const NUDGE = 0.035;

export function learningCurveSpec(points: readonly CurvePoint[], testImages: number): TopLevelSpec {
  const arms = [...new Set(points.map((p) => p.arm))];
  const at = (p: CurvePoint) => p.labels * Math.exp(NUDGE * (arms.indexOf(p.arm) - (arms.length - 1) / 2));
  const means = points.map((p) => ({ arm: p.arm, x: at(p), labels: p.labels, auc: p.meanTestAuc, low: p.interval.low, high: p.interval.high, seeds: p.seeds.length }));
  const seeds = points.flatMap((p) => p.testAuc.map((auc, i) => ({ arm: p.arm, x: at(p), auc, seed: p.seeds[i] })));
  const ticks = [...new Set(points.map((p) => p.labels))].sort((a, b) => a - b);
  const x = { field: 'x', type: 'quantitative' as const, scale: { type: 'log' as const, domain: [ticks[0]! * 0.8, ticks.at(-1)! * 1.25], nice: false }, axis: { values: ticks, format: 'd', grid: true }, title: 'Labelled training patches (log scale)' };
  const y = { type: 'quantitative' as const, scale: { zero: false }, title: `Test ROC AUC (${testImages} patches)` };
  const color = { field: 'arm', type: 'nominal' as const, title: null, legend: { orient: 'bottom-right' as const, labelLimit: 0, symbolOpacity: 1 }, scale: { range: ['#c0392b', '#2c7fb8', '#7b3294', '#008837', '#e08214'] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'SSL-Quantum vs SSL without the quantum layer: test AUC by label count',
    width: 460,
    height: 300,
    layer: [
      { data: { values: seeds }, mark: { type: 'point', filled: true, size: 22, opacity: 0.35 }, encoding: { x, y: { ...y, field: 'auc' }, color } },
      { data: { values: means }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color } },
      { data: { values: means }, mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'auc' }, color } },
    ],
  };
}
