// The graded confusion heat map renders headless and plots exactly the evaluation's K×K counts, one cell per
// (true, predicted) pair, with each count printed and the PNG a real picture rather than a blank or a block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePng } from '../../png/png.ts';
import { seededRandom } from '../../random/seeded-random.ts';
import { gradedEvaluation, type GradedPrediction } from '../graded-metrics.ts';
import { gradedConfusionSpec, renderVegaLite } from './index.ts';

const CLASSES = ['no stenosis', '<50%', '50–70%', '>70%'];

/** Mostly right, otherwise one grade off or anywhere: enough spread that every row has several non-empty cells. */
function predictions(): GradedPrediction[] {
  const random = seededRandom(31);
  return Array.from({ length: 160 }, (_, i) => {
    const label = i % 4 === 0 || i % 7 === 0 ? 0 : i % 4;
    const roll = random.next();
    const called = roll < 0.6 ? label : roll < 0.85 ? Math.min(3, Math.max(0, label + (random.next() < 0.5 ? -1 : 1))) : random.below(4);
    const probabilities = CLASSES.map((_, c) => (c === called ? 0.55 : 0.15));
    return { id: `img-${i}`, label, probabilities };
  });
}

const evaluation = gradedEvaluation(predictions(), CLASSES);
const figure = await renderVegaLite(gradedConfusionSpec(evaluation, 'Graded confusion matrix'));

test('the heat map plots one cell per true and predicted class holding the evaluation’s count and row share', () => {
  const plotted = (figure.vegaSpec.data ?? []).flatMap((d) => ('values' in d && Array.isArray(d.values) ? d.values : [])) as {
    actual: string;
    predicted: string;
    count: number;
    share: number;
  }[];
  assert.equal(plotted.length, CLASSES.length ** 2, 'one cell per class pair');
  const drawn = CLASSES.map((actual) => CLASSES.map((predicted) => plotted.find((c) => c.actual === actual && c.predicted === predicted)!.count));
  assert.deepEqual(drawn, evaluation.confusion);
  for (const cell of plotted) {
    const row = evaluation.confusion[CLASSES.indexOf(cell.actual)]!;
    assert.equal(cell.share, cell.count / row.reduce((a, b) => a + b, 0), `${cell.actual} → ${cell.predicted} share`);
  }
});

test('every count and class name is printed, classes in severity order on both axes', () => {
  for (const row of evaluation.confusion) for (const count of row) assert.ok(figure.svg.includes(`>${count}</tspan>`), `count ${count} not printed`);
  const escaped = CLASSES.map((name) => name.replace('<', '&lt;').replace('>', '&gt;'));
  for (const name of escaped) assert.ok(figure.svg.includes(`>${name}<`), `class ${name} not labelled`);
  const positions = escaped.map((name) => figure.svg.indexOf(`>${name}<`));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'axis labels out of class order');
});

test('the PNG is a colour picture at twice the SVG size, neither blank nor a solid block', () => {
  const [, width, height] = figure.svg.match(/^<svg [^>]*width="(\d+)" height="(\d+)"/)!;
  const png = decodePng(figure.png, 'graded-confusion.png');
  assert.equal(png.width, 2 * Number(width));
  assert.equal(png.height, 2 * Number(height));
  assert.equal(png.channels, 3, 'no colour');
  let inked = 0;
  for (let i = 0; i < png.width * png.height; i += 1) if (png.pixels[3 * i]! < 200 || png.pixels[3 * i + 2]! < 200) inked += 1;
  const share = inked / (png.width * png.height);
  assert.ok(share > 0.05 && share < 0.8, `inked share ${share.toFixed(3)}`);
});
