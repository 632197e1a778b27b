// Fig. 3: one 2×2 confusion matrix per model. Cells are shaded by the share of their true class, so panels with
// different class balance read alike; the count and that share are printed in each cell.
import type { TopLevelSpec } from 'vega-lite';
import type { ConfusionMatrix } from '../confusion-matrix.ts';
import { FIGURE_CONFIG } from './theme.ts';

export interface ConfusionPanel {
  title: string;
  matrix: ConfusionMatrix;
}

const CLASSES = ['No stenosis', 'Stenosis'];

function cells(panel: ConfusionPanel) {
  const m = panel.matrix;
  const rows = [
    { actual: 'Stenosis', predicted: 'Stenosis', count: m.truePositives, classTotal: m.truePositives + m.falseNegatives },
    { actual: 'Stenosis', predicted: 'No stenosis', count: m.falseNegatives, classTotal: m.truePositives + m.falseNegatives },
    { actual: 'No stenosis', predicted: 'Stenosis', count: m.falsePositives, classTotal: m.trueNegatives + m.falsePositives },
    { actual: 'No stenosis', predicted: 'No stenosis', count: m.trueNegatives, classTotal: m.trueNegatives + m.falsePositives },
  ];
  return rows.map((r) => {
    const share = r.classTotal === 0 ? 0 : r.count / r.classTotal;
    return { panel: panel.title, ...r, share, label: `${r.count}\n${(100 * share).toFixed(0)}%` };
  });
}

export function confusionMatricesSpec(panels: readonly ConfusionPanel[], title = 'Fig. 3. Confusion matrices at the stored threshold'): TopLevelSpec {
  const axis = { labelAngle: 0, labelFontSize: 12, ticks: false, domain: false } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    config: { ...FIGURE_CONFIG, facet: { spacing: 28 } },
    data: { values: panels.flatMap(cells) },
    facet: { field: 'panel', type: 'nominal', sort: panels.map((p) => p.title), title: null, header: { labelFontWeight: 'bold' } },
    // One row up to five models: a wrapped grid leaves an orphan axis under its empty cell.
    columns: panels.length <= 5 ? panels.length : 3,
    spec: {
      width: 180,
      height: 180,
      encoding: {
        x: { field: 'predicted', type: 'nominal', sort: CLASSES, title: 'Predicted', axis: { ...axis, orient: 'bottom' } },
        y: { field: 'actual', type: 'nominal', sort: CLASSES, title: 'Actual', axis: { ...axis, labelAngle: -90, labelAlign: 'center', labelBaseline: 'bottom' } },
      },
      layer: confusionCellLayers(),
    },
  };
}

/** Cells shaded by the share of their true class, with "count\nshare%" printed: shared by Fig. 3 and the graded matrix. */
export function confusionCellLayers() {
  return [
    {
      mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 2 },
      encoding: {
        color: {
          field: 'share',
          type: 'quantitative' as const,
          scale: { domain: [0, 1], scheme: 'blues' },
          legend: { title: 'Share of actual class', titleLimit: 240, format: '.0%', orient: 'right' as const },
        },
      },
    },
    {
      mark: { type: 'text' as const, fontSize: 15, lineBreak: '\n', lineHeight: 19 },
      encoding: {
        text: { field: 'label', type: 'nominal' as const },
        color: { condition: { test: 'datum.share > 0.55', value: 'white' }, value: '#1a1a1a' },
      },
    },
  ];
}
