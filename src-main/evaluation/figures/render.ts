// Turns a Vega or Vega-Lite spec into an SVG (Vega's headless renderer, no browser or canvas) and a PNG
// (resvg, a prebuilt Rust rasteriser), so report figures come out identical on every machine and in CI.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View, type Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FIGURE_FONT, SCREEN_CONFIG, type FigureTheme } from './theme.ts';

export interface RenderedFigure {
  /** The Vega spec actually drawn (after Vega-Lite compilation), kept so tests can read the plotted data. */
  vegaSpec: Spec;
  svg: string;
  png: Buffer;
}

/** PNGs are drawn at twice the SVG's pixel size so they stay sharp in slides and printed reports. */
const PNG_SCALE = 2;

type Configured = { config?: object; background?: unknown };

/** Merges `over` into `base`, object by object; `over` wins where both set a value. */
function merged(base: Record<string, unknown> = {}, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = value && typeof value === 'object' && prior && typeof prior === 'object' ? merged(prior as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

/** The spec with the screen's colours laid over its own config and background (its layout stays as it is). */
function onScreen<S extends Configured>(spec: S): S {
  return { ...spec, background: SCREEN_CONFIG.background, config: merged(spec.config as Record<string, unknown> | undefined, SCREEN_CONFIG) };
}

export async function renderVega(vegaSpec: Spec, theme: FigureTheme = 'print'): Promise<RenderedFigure> {
  if (theme === 'screen') vegaSpec = onScreen(vegaSpec as Spec & Configured);
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    background: theme === 'screen' ? SCREEN_CONFIG.background : 'white',
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT },
  })
    .render()
    .asPng();
  return { vegaSpec, svg, png };
}

export function renderVegaLite(spec: TopLevelSpec, theme: FigureTheme = 'print'): Promise<RenderedFigure> {
  return renderVega(compile(theme === 'screen' ? onScreen(spec as TopLevelSpec & Configured) : spec).spec, theme);
}

export function writeFigure(dir: string, name: string, figure: RenderedFigure): { svg: string; png: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  writeFileSync(paths.svg, figure.svg);
  writeFileSync(paths.png, figure.png);
  return paths;
}
