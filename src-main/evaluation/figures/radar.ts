// Fig. 2: each model's profile across metrics on a radar (spider) chart. Vega-Lite has no polar line, so this
// is plain Vega with the polygon geometry (angles, rings) computed here, where it can be read and tested.
import type { Spec } from 'vega';
import { FIGURE_FONT, modelColourScale } from './theme.ts';

export interface RadarValue {
  model: string;
  metric: string;
  value: number;
}

const RADIUS = 170;
const RINGS = [0.2, 0.4, 0.6, 0.8, 1];

/** Metric k sits at this angle: the first at twelve o'clock, then clockwise (screen y points down). */
function angleOf(k: number, count: number): number {
  return -Math.PI / 2 + (2 * Math.PI * k) / count;
}

export function radarSpec(values: readonly RadarValue[], title = 'Fig. 2. Metric profile by model'): Spec {
  const models = [...new Set(values.map((v) => v.model))];
  const metrics = [...new Set(values.map((v) => v.metric))];
  const angle = new Map(metrics.map((m, k) => [m, angleOf(k, metrics.length)]));
  const points = values.map((v) => ({ ...v, angle: angle.get(v.metric)!, order: metrics.indexOf(v.metric) }));
  const spokes = metrics.map((metric) => ({ metric, angle: angle.get(metric)! }));
  const rings = RINGS.flatMap((ring) => spokes.map((s, order) => ({ ring, angle: s.angle, order })));
  const colours = modelColourScale(models);
  const polar = (r: string) => ({
    x: { signal: `${r} * cos(datum.angle)` },
    y: { signal: `${r} * sin(datum.angle)` },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: 2 * RADIUS,
    height: 2 * RADIUS,
    padding: { left: 100, right: 100, top: 16, bottom: 16 },
    autosize: 'pad',
    background: 'white',
    config: { text: { font: FIGURE_FONT }, legend: { labelFont: FIGURE_FONT, labelFontSize: 12, labelLimit: 360 }, title: { font: FIGURE_FONT } },
    title: { text: title, anchor: 'start', fontSize: 15, offset: 30 },
    data: [
      { name: 'points', values: points },
      { name: 'spokes', values: spokes },
      { name: 'rings', values: rings },
      { name: 'ringLabels', values: RINGS.map((ring) => ({ ring, angle: -Math.PI / 2 })) },
    ],
    scales: [
      { name: 'radial', type: 'linear', domain: [0, 1], range: [0, RADIUS], zero: true },
      { name: 'colour', type: 'ordinal', domain: colours.domain, range: colours.range },
    ],
    legends: [{ fill: 'colour', stroke: 'colour', orient: 'bottom', direction: 'horizontal', columns: 3, symbolType: 'square', symbolOpacity: 0.6 }],
    marks: [
      {
        type: 'group',
        encode: { enter: { x: { value: RADIUS }, y: { value: RADIUS } } },
        marks: [
          {
            type: 'group',
            from: { facet: { data: 'rings', name: 'ring', groupby: ['ring'] } },
            marks: [{
              type: 'line',
              from: { data: 'ring' },
              sort: { field: 'datum.order' },
              encode: { enter: { ...polar("scale('radial', datum.ring)"), interpolate: { value: 'linear-closed' }, stroke: { value: '#d9d9d9' }, strokeWidth: { value: 1 } } },
            }],
          },
          {
            type: 'rule',
            from: { data: 'spokes' },
            encode: { enter: {
              x: { value: 0 },
              y: { value: 0 },
              x2: { signal: `${RADIUS} * cos(datum.angle)` },
              y2: { signal: `${RADIUS} * sin(datum.angle)` },
              stroke: { value: '#d9d9d9' },
            } },
          },
          {
            type: 'text',
            from: { data: 'ringLabels' },
            encode: { enter: {
              ...polar("scale('radial', datum.ring)"),
              dx: { value: 4 },
              text: { signal: "format(datum.ring, '.1f')" },
              fontSize: { value: 10 },
              fill: { value: '#888' },
              baseline: { value: 'middle' },
            } },
          },
          {
            type: 'group',
            name: 'models',
            from: { facet: { data: 'points', name: 'profile', groupby: ['model'] } },
            marks: [{
              type: 'line',
              name: 'profileLine',
              from: { data: 'profile' },
              sort: { field: 'datum.order' },
              encode: { enter: {
                ...polar("scale('radial', datum.value)"),
                interpolate: { value: 'linear-closed' },
                stroke: { scale: 'colour', field: 'model' },
                strokeWidth: { value: 2 },
                fill: { scale: 'colour', field: 'model' },
                fillOpacity: { value: 0.04 },
              } },
            }],
          },
          {
            type: 'text',
            from: { data: 'spokes' },
            encode: { enter: {
              ...polar(`${RADIUS + 18}`),
              text: { field: 'metric' },
              fontSize: { value: 12 },
              fontWeight: { value: 'bold' },
              align: [{ test: 'abs(cos(datum.angle)) < 0.1', value: 'center' }, { test: 'cos(datum.angle) > 0', value: 'left' }, { value: 'right' }],
              baseline: [{ test: 'sin(datum.angle) < -0.9', value: 'bottom' }, { test: 'sin(datum.angle) > 0.9', value: 'top' }, { value: 'middle' }],
            } },
          },
        ],
      },
    ],
  };
}
