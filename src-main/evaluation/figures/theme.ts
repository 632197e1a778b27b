// Look shared by every report figure: one font, readable sizes, and one colour per model that stays the same
// from figure to figure so a reader can follow a model across Figs. 1, 2 and 4.
import type { Config } from 'vega-lite';

/** Installed with Debian/Ubuntu and most Linux desktops; resvg falls back to a system sans font elsewhere. */
export const FIGURE_FONT = 'DejaVu Sans';

/** Tableau-10, in order: high contrast between neighbours, and distinguishable in grey-scale print when paired with legend order. */
export const MODEL_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function modelColourScale(models: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...models], range: models.map((_, i) => MODEL_COLOURS[i % MODEL_COLOURS.length]!) };
}

export const FIGURE_CONFIG: Config = {
  font: FIGURE_FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 15, anchor: 'start', offset: 12 },
  axis: { labelFontSize: 12, titleFontSize: 13, titlePadding: 8, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 360 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  view: { stroke: null },
};
