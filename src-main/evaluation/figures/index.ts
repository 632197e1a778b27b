// Report figures (the paper's Figs. 1–4) for a comparison table, written as SVG and PNG side by side.
import type { ComparisonTable } from '../comparison-table.ts';
import type { PublishedModelResult } from '../published-results.ts';
import { confusionMatricesSpec } from './confusion-matrices.ts';
import { confusionPanels, metricBars, radarValues, rocCurves } from './figure-inputs.ts';
import { metricBarsSpec } from './metric-bars.ts';
import { radarSpec } from './radar.ts';
import { renderVega, renderVegaLite, writeFigure, type RenderedFigure } from './render.ts';
import { rocCurvesSpec } from './roc-curves.ts';
import type { FigureTheme } from './theme.ts';

export { confusionMatricesSpec, type ConfusionPanel } from './confusion-matrices.ts';
export { confusionPanels, FIGURE_METRICS, metricBars, radarValues, rocCurves } from './figure-inputs.ts';
export { metricBarsSpec, type MetricBar } from './metric-bars.ts';
export { radarSpec, type RadarValue } from './radar.ts';
export { renderVega, renderVegaLite, writeFigure, type RenderedFigure } from './render.ts';
export { SCREEN_COLOURS, type FigureTheme } from './theme.ts';
export { curveName, rocCurvesSpec, type RocCurveInput } from './roc-curves.ts';
export { qubitBoxes, qubitExpectationsSpec, type QubitBox } from './qubit-expectations.ts';
export { frocAxis, frocCurveSpec, frocSteps, type FrocCurveInput } from './froc-curve.ts';
export { gradedConfusionCells, gradedConfusionSpec, type GradedConfusionCell } from './graded-confusion.ts';
export { reliabilityCurveName, reliabilityDiagramSpec, type ReliabilityCurveInput } from './reliability-diagram.ts';
export { shiftRobustnessSpec, type ShiftFigureRow } from './shift-robustness.ts';

export const REPORT_FIGURES = ['fig1-metric-bars', 'fig2-radar', 'fig3-confusion-matrices', 'fig4-roc-curves'] as const;
export type ReportFigure = (typeof REPORT_FIGURES)[number];

/** The report's figures; `theme` 'screen' draws them in the app's colours for the Results screen. */
export async function renderReportFigures(
  table: ComparisonTable,
  published: readonly PublishedModelResult[] = [],
  theme: FigureTheme = 'print',
): Promise<Record<ReportFigure, RenderedFigure>> {
  return {
    'fig1-metric-bars': await renderVegaLite(metricBarsSpec(metricBars(table, published)), theme),
    'fig2-radar': await renderVega(radarSpec(radarValues(table)), theme),
    'fig3-confusion-matrices': await renderVegaLite(confusionMatricesSpec(confusionPanels(table)), theme),
    'fig4-roc-curves': await renderVegaLite(rocCurvesSpec(rocCurves(table)), theme),
  };
}

export async function writeReportFigures(
  table: ComparisonTable,
  dir: string,
  published: readonly PublishedModelResult[] = [],
): Promise<Record<ReportFigure, { svg: string; png: string }>> {
  const figures = await renderReportFigures(table, published);
  const written = {} as Record<ReportFigure, { svg: string; png: string }>;
  for (const name of REPORT_FIGURES) written[name] = writeFigure(dir, name, figures[name]);
  return written;
}
