// The Results screen's figures in the app's colours: the same figures as the report (same marks and labels), on the
// app's dark panel with light text, and the radar's legend names every model in full.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePng } from '../../png/png.ts';
import { buildComparisonTable } from '../comparison-table.ts';
import { REPORT_FIGURES, renderReportFigures, SCREEN_COLOURS } from './index.ts';
import { sampleRuns, SAMPLE_MODELS } from './sample.ts';

const table = buildComparisonTable(sampleRuns(), { bootstrap: { replicates: 200 } });
const [print, screen] = await Promise.all([renderReportFigures(table), renderReportFigures(table, [], 'screen')]);

const hex = (r: number, g: number, b: number) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The colour most pixels of a PNG have: the figure's background. */
function commonest(png: Buffer, name: string): string {
  const image = decodePng(png, name);
  const counts = new Map<string, number>();
  for (let i = 0; i < image.width * image.height; i++) {
    const c = hex(image.pixels[image.channels * i]!, image.pixels[image.channels * i + 1]!, image.pixels[image.channels * i + 2]!);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

test('on screen every figure is drawn on the app\'s panel colour; in print on white', () => {
  for (const name of REPORT_FIGURES) {
    assert.equal(commonest(screen[name].png, name), SCREEN_COLOURS.background, `${name} on screen`);
    assert.equal(commonest(print[name].png, name), '#ffffff', `${name} in print`);
  }
});

test('on screen, axis, legend and title text is the app\'s light text colour, never the default black', () => {
  for (const name of REPORT_FIGURES) {
    const svg = screen[name].svg;
    const fills = [...svg.matchAll(/<text[^>]*fill="([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
    assert.equal(fills.length, svg.match(/<text/g)!.length, `${name}: a text without a fill is drawn black`);
    assert.ok(fills.includes(SCREEN_COLOURS.text), `${name}: some text in ${SCREEN_COLOURS.text}`);
    assert.ok(!fills.includes('#000') && !fills.includes('#000000') && !fills.includes('black'), `${name}: black text on a dark panel (${[...new Set(fills)].join(', ')})`);
  }
});

test('the same marks and words on screen as in print; the radar legend names every model in full', () => {
  for (const name of REPORT_FIGURES) {
    const words = (svg: string) => [...svg.matchAll(/>([^<>]+)</g)].map((m) => m[1]).join('|');
    assert.equal(words(screen[name].svg), words(print[name].svg), `${name}: the words differ`);
  }
  for (const model of Object.keys(SAMPLE_MODELS)) assert.ok(screen['fig2-radar'].svg.includes(`>${model}<`), `${model} whole in the radar legend`);
  assert.ok(!/…/.test(screen['fig2-radar'].svg), 'no legend label cut short');
});

test('on screen no figure draws a white box (a legend inside the plot takes the panel colour)', () => {
  for (const name of REPORT_FIGURES) {
    // Shapes only: white text on a dark confusion-matrix cell is meant to be white.
    const fills = [...screen[name].svg.matchAll(/<(?!text)\w+[^>]*fill="([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
    assert.ok(!fills.some((f) => f === 'white' || f === '#fff' || f === '#ffffff'), `${name}: a white fill on the dark panel`);
  }
});
