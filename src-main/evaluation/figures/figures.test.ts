// Figs. 1–4 render headless to SVG and PNG from a sample comparison table; the files are real pictures, and
// the ROC figure draws exactly the computed ROC points (read back from both the spec and the SVG paths).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodePng } from '../../png/png.ts';
import { buildComparisonTable } from '../comparison-table.ts';
import { PUBLISHED_RESULTS } from '../published-results.ts';
import { runPython } from '../../testing/python-oracle.ts';
import { seededRandom } from '../../random/seeded-random.ts';
import { qubitBoxes, qubitExpectationsSpec, renderVegaLite, REPORT_FIGURES, renderReportFigures, rocCurves, writeReportFigures } from './index.ts';
import { curveName, ROC_PLOT_SIZE } from './roc-curves.ts';
import { sampleRuns, SAMPLE_MODELS } from './sample.ts';

const table = buildComparisonTable(sampleRuns(), { bootstrap: { replicates: 200 } });
const figures = await renderReportFigures(table, PUBLISHED_RESULTS.slice(0, 1));

test('every figure is written as a non-trivial SVG and a colour PNG at twice its size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-figures-'));
  const paths = await writeReportFigures(table, dir);
  {
    for (const name of REPORT_FIGURES) {
      assert.ok(existsSync(paths[name].svg) && existsSync(paths[name].png), `${name} files missing`);
      const svg = readFileSync(paths[name].svg, 'utf8');
      assert.match(svg, /^<svg [^>]*width="(\d+)" height="(\d+)"/, `${name} is not an SVG`);
      const [, width, height] = svg.match(/^<svg [^>]*width="(\d+)" height="(\d+)"/)!;
      assert.ok(statSync(paths[name].svg).size > 5_000, `${name}.svg is suspiciously small`);
      const png = decodePng(readFileSync(paths[name].png), `${name}.png`);
      assert.equal(png.width, 2 * Number(width));
      assert.equal(png.height, 2 * Number(height));
      assert.equal(png.channels, 3, `${name}.png has no colour`);
      let inked = 0;
      for (let i = 0; i < png.width * png.height; i += 1) if (png.pixels[3 * i]! < 200 || png.pixels[3 * i + 2]! < 200) inked += 1;
      const share = inked / (png.width * png.height);
      assert.ok(share > 0.01 && share < 0.6, `${name}.png inked share ${share.toFixed(3)}: blank or a solid block`);
    }
  }
  rmSync(dir, { recursive: true });
});

test('every model and metric label appears in the figures that name them', () => {
  for (const model of Object.keys(SAMPLE_MODELS)) {
    for (const name of ['fig1-metric-bars', 'fig2-radar', 'fig3-confusion-matrices', 'fig4-roc-curves'] as const) {
      assert.ok(figures[name].svg.includes(model), `${model} missing from ${name}`);
    }
  }
  assert.ok(figures['fig1-metric-bars'].svg.includes('SSL-Quantum (published)'));
  for (const metric of ['Acc', 'AUC', 'Sens', 'Spec', 'Prec (w)', 'F1 (w)']) assert.ok(figures['fig2-radar'].svg.includes(`>${metric}<`), metric);
});

test('the confusion-matrix figure prints each representative run’s four counts', () => {
  const svg = figures['fig3-confusion-matrices'].svg;
  for (const model of table.models) {
    const m = model.representative.evaluation.confusionMatrix;
    for (const count of [m.truePositives, m.falseNegatives, m.falsePositives, m.trueNegatives]) {
      assert.ok(svg.includes(`>${count}</tspan>`), `${model.model}: count ${count} not printed`);
    }
  }
});

test('the ROC figure plots exactly the computed ROC points, in order, for every model', () => {
  const { vegaSpec, svg } = figures['fig4-roc-curves'];
  const plotted = (vegaSpec.data ?? []).flatMap((d) => ('values' in d && Array.isArray(d.values) ? d.values : [])) as { curve?: string; step?: number; fpr: number; tpr: number }[];
  for (const curve of rocCurves(table)) {
    const name = curveName(curve);
    const rows = plotted.filter((r) => r.curve === name).sort((a, b) => a.step! - b.step!);
    assert.deepEqual(rows.map((r) => [r.fpr, r.tpr]), curve.points.map((p) => [p.falsePositiveRate, p.truePositiveRate]), `${name}: spec data`);

    const path = svg.match(new RegExp(`aria-label="[^"]*curve: ${name.replace(/[()]/g, '\\$&')}[^"]*"[^>]* d="([^"]+)"`));
    assert.ok(path, `${name}: no line in the SVG`);
    const vertices = path[1]!.slice(1).split('L').map((xy) => xy.split(',').map(Number));
    assert.equal(vertices.length, curve.points.length, `${name}: vertex count`);
    curve.points.forEach((p, k) => {
      const [x, y] = vertices[k]!;
      assert.ok(Math.abs(x! - p.falsePositiveRate * ROC_PLOT_SIZE) < 1e-3 && Math.abs(y! - (1 - p.truePositiveRate) * ROC_PLOT_SIZE) < 1e-3,
        `${name}: vertex ${k} at (${x}, ${y}) is not ROC point (${p.falsePositiveRate}, ${p.truePositiveRate})`);
    });
  }
});

test('Fig. 6 boxes are numpy\'s quartiles of each qubit\'s ⟨Z⟩ per class, and the figure draws one box per qubit and class', async () => {
  const random = seededRandom(5);
  const labels = Array.from({ length: 61 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const expectations = labels.map((label) => Array.from({ length: 3 }, (_, q) => Math.tanh((label ? 0.4 * q : -0.3) + random.next() - 0.5)));
  const boxes = qubitBoxes(expectations, labels);
  const numpy = runPython<number[][]>(
    'import json, sys, numpy as np\nd = json.load(sys.stdin)\nz = np.array(d["z"]); l = np.array(d["l"])\n' +
      'print(json.dumps([[float(v) for v in (z[l == c, q].min(), *np.percentile(z[l == c, q], [25, 50, 75]), z[l == c, q].max())] for q in range(3) for c in (1, 0)]))',
    { z: expectations, l: labels },
  );
  assert.equal(boxes.length, 6);
  boxes.forEach((box, i) => {
    assert.equal(box.label, i % 2 === 0 ? 'stenosis' : 'no stenosis');
    [box.min, box.q1, box.median, box.q3, box.max].forEach((v, k) => assert.ok(Math.abs(v - numpy[i]![k]!) < 1e-12, `box ${i} value ${k}`));
  });
  const figure = await renderVegaLite(qubitExpectationsSpec(boxes, 'Fig. 6'));
  const boxMarks = figure.svg.slice(figure.svg.indexOf('layer_1_marks'), figure.svg.indexOf('</g>', figure.svg.indexOf('layer_1_marks')));
  assert.equal(boxMarks.match(/aria-roledescription="bar"/g)?.length, 6, 'one box (q1-q3 bar) per qubit and class');
  assert.ok(figure.svg.includes('q2') && figure.svg.includes('no stenosis'));
});

