// Turns a Vega or Vega-Lite spec into an SVG (Vega's headless renderer, no browser or canvas) and a PNG
// (resvg, a prebuilt Rust rasteriser), so report figures come out identical on every machine and in CI.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View, type Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FIGURE_FONT } from './theme.ts';

export interface RenderedFigure {
  /** The Vega spec actually drawn (after Vega-Lite compilation), kept so tests can read the plotted data. */
  vegaSpec: Spec;
  svg: string;
  png: Buffer;
}

/** PNGs are drawn at twice the SVG's pixel size so they stay sharp in slides and printed reports. */
const PNG_SCALE = 2;

export async function renderVega(vegaSpec: Spec): Promise<RenderedFigure> {
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: FIGURE_FONT },
  })
    .render()
    .asPng();
  return { vegaSpec, svg, png };
}

export function renderVegaLite(spec: TopLevelSpec): Promise<RenderedFigure> {
  return renderVega(compile(spec).spec);
}

export function writeFigure(dir: string, name: string, figure: RenderedFigure): { svg: string; png: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) };
  writeFileSync(paths.svg, figure.svg);
  writeFileSync(paths.png, figure.png);
  return paths;
}
