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
  // A legend drawn inside the plot gets a box so curves behind it do not cross its text.
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 360, fillColor: 'white', strokeColor: '#ccc' },
  header: { labelFontSize: 13, titleFontSize: 13 },
  view: { stroke: null },
};

/** Where a figure is shown: on paper (white, the report's look) or on the app's dark panels. */
export type FigureTheme = 'print' | 'screen';

/** The app's panel and text colours (src-renderer theme.css), so figures on screen sit in the page, not as white slabs. */
export const SCREEN_COLOURS = { background: '#171b21', text: '#e6e9ee', muted: '#9aa5b1', grid: '#2a323c' };

/** Colour settings for a figure on screen, in the shape both Vega and Vega-Lite configs accept. */
export const SCREEN_CONFIG = {
  background: SCREEN_COLOURS.background,
  axis: { labelColor: SCREEN_COLOURS.text, titleColor: SCREEN_COLOURS.text, gridColor: SCREEN_COLOURS.grid, domainColor: SCREEN_COLOURS.muted, tickColor: SCREEN_COLOURS.muted },
  legend: { labelColor: SCREEN_COLOURS.text, titleColor: SCREEN_COLOURS.text, fillColor: SCREEN_COLOURS.background, strokeColor: SCREEN_COLOURS.grid },
  title: { color: SCREEN_COLOURS.text, subtitleColor: SCREEN_COLOURS.muted },
  header: { labelColor: SCREEN_COLOURS.text, titleColor: SCREEN_COLOURS.text },
  text: { fill: SCREEN_COLOURS.text },
  style: { 'guide-label': { fill: SCREEN_COLOURS.text }, 'guide-title': { fill: SCREEN_COLOURS.text }, 'group-title': { fill: SCREEN_COLOURS.text } },
};
