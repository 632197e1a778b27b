// The Results screen's graded panel from run records stored in a real catalog: only graded runs appear, in the order
// compared; undefined metrics survive the JSON round trip as null and pass the channel's schema; the heat map
// names every class and prints every count.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { datasetInvokes } from '../../src-preload/channels/dataset.ts';
import { gradedEvaluation, type GradedEvaluation, type GradedPrediction } from '../evaluation/graded-metrics.ts';
import { openStore } from '../store/index.ts';
import { TrainingConfigSchema } from '../training/config.ts';
import { insertRun, listRuns, updateRun } from '../training/runs.ts';
import { gradedResults, storedGradedTest } from './graded-results.ts';
import { modelName } from './run-results.ts';

const CLASSES = ['no stenosis', 'stenosis <50%', 'stenosis 50–70%', 'stenosis >70%'];

/** `called[i]` is the class image i is given most probability; labels cycle through `present` classes only. */
function predictions(present: number[], called: (label: number, i: number) => number): GradedPrediction[] {
  return Array.from({ length: 24 }, (_, i) => {
    const label = present[i % present.length]!;
    const top = called(label, i);
    return { id: `img-${i}`, label, probabilities: CLASSES.map((_, c) => (c === top ? 0.5 + 0.01 * (i % 5) : (0.5 - 0.01 * (i % 5)) / 3)) };
  });
}

// No image of the most severe grade: its one-vs-rest AUC is undefined (NaN), although the model sometimes calls it.
const withoutSevere = gradedEvaluation(predictions([0, 1, 2], (label, i) => (i % 5 === 0 ? Math.min(3, label + 1) : label)), CLASSES);
const everyGrade = gradedEvaluation(predictions([0, 1, 2, 3], (label, i) => (i % 4 === 0 ? Math.max(0, label - 1) : label)), CLASSES);

const dir = mkdtempSync(join(tmpdir(), 'angio-graded-results-'));
const store = openStore(join(dir, 'data'));
after(() => (store.close(), rmSync(dir, { recursive: true, force: true })));

function finishedRun(id: string, seed: number, minute: number, graded: GradedEvaluation | null): void {
  const config = TrainingConfigSchema.parse({ seed });
  insertRun(store, { id, config, dataset: { labeledRoot: '/test-set', unlabeledDir: null }, preprocessingVersion: 'patch-v1', codeVersion: 'test', runDir: join(dir, id) }, new Date(Date.UTC(2025, 0, 1, 0, minute)));
  const metrics = { valAuc: 0.8, testAuc: 0.8, ...(graded ? { graded: { classNames: CLASSES, val: graded, test: graded } } : {}) };
  updateRun(store, id, { status: 'succeeded', metrics, files: { model: join(dir, id, 'model.bin') } });
}
finishedRun('graded-a', 1, 3, withoutSevere);
finishedRun('binary', 2, 2, null);
finishedRun('graded-b', 3, 1, everyGrade);

const compared = listRuns(store).map((r) => ({ runId: r.id, model: modelName(r), seed: r.seed, metrics: r.metrics }));
const results = await gradedResults(compared);

test('only the graded runs appear, in the order the runs are compared', () => {
  assert.deepEqual(compared.map((r) => r.runId), ['graded-a', 'binary', 'graded-b'], 'the catalog lists the newest run first');
  assert.deepEqual(results.map((r) => [r.runId, r.seed]), [['graded-a', 1], ['graded-b', 3]]);
  assert.deepEqual(results[0]!.classNames, CLASSES);
  assert.equal(results[0]!.model, modelName(listRuns(store)[0]!));
});

test('an undefined AUC is stored as null, read back as NaN, and handed to the screen as null', () => {
  const stored = (listRuns(store)[0]!.metrics as { graded: { test: { perClass: { rocAuc: unknown }[] } } }).graded.test;
  assert.equal(stored.perClass[3]!.rocAuc, null, 'JSON has no NaN: the catalog keeps null');
  assert.ok(Number.isNaN(storedGradedTest(listRuns(store)[0]!.metrics)!.perClass[3]!.rocAuc), 'read back as the evaluation’s NaN');
  const [a] = results;
  assert.deepEqual(a!.test, {
    images: withoutSevere.images,
    accuracy: withoutSevere.accuracy,
    macroRocAuc: withoutSevere.macroRocAuc,
    quadraticKappa: withoutSevere.quadraticKappa,
    withinOneClass: withoutSevere.withinOneClass,
    perClass: withoutSevere.perClass.map((row) => ({ ...row, rocAuc: Number.isNaN(row.rocAuc) ? null : row.rocAuc })),
    confusion: withoutSevere.confusion,
  });
  assert.equal(a!.test.perClass[3]!.support, 0);
  assert.equal(a!.test.perClass[3]!.rocAuc, null);
});

test('a record that never went through the catalog (NaN in place) gives the same result', async () => {
  const [fresh] = await gradedResults([{ runId: 'graded-a', model: results[0]!.model, seed: 1, metrics: { graded: { classNames: CLASSES, val: withoutSevere, test: withoutSevere } } }]);
  const { figure, ...numbers } = fresh!;
  const { figure: storedFigure, ...storedNumbers } = results[0]!;
  assert.deepEqual(numbers, storedNumbers);
  // Vega numbers its gradients per process, so only the ids differ between two drawings of the same matrix.
  const sameDrawing = (svg: string) => svg.replace(/gradient_\d+/g, 'gradient');
  assert.ok(sameDrawing(figure) === sameDrawing(storedFigure), 'the heat maps differ');
});

test('the results pass the results.overview channel schema', () => {
  const schema = datasetInvokes['results.overview'].output.shape.graded;
  assert.deepEqual(schema.parse(results), results);
  const withNaN = structuredClone(results);
  withNaN[0]!.test.perClass[3]!.rocAuc = Number.NaN;
  assert.throws(() => schema.parse(withNaN), 'NaN is not a number to the schema, which is why main sends null');
});

test('the heat map is titled with the run, names every class and prints every count', () => {
  for (const result of results) {
    const svg = result.figure;
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes(`Graded confusion matrix · ${result.model} seed ${result.seed}`), 'title names the model and seed');
    for (const name of CLASSES) {
      const escaped = name.replace('<', '&lt;').replace('>', '&gt;');
      assert.ok(svg.includes(`>${escaped}<`), `class ${name} not labelled`);
    }
    for (const count of new Set(result.test.confusion.flat())) assert.ok(svg.includes(`>${count}</tspan>`), `count ${count} not printed`);
  }
});

test('a binary record, a missing block or an unreadable one gives no graded entry', async () => {
  assert.equal(storedGradedTest(null), null);
  assert.equal(storedGradedTest({ valAuc: 0.8 }), null);
  assert.equal(storedGradedTest({ graded: { classNames: CLASSES, test: { ...everyGrade, confusion: [[1, 2]] } } }), null, 'confusion not K×K');
  assert.equal(storedGradedTest({ graded: { classNames: CLASSES, test: { ...everyGrade, accuracy: null } } }), null, 'accuracy is never undefined');
  assert.deepEqual(await gradedResults([{ runId: 'binary', model: 'm', seed: 0, metrics: { valAuc: 0.8 } }]), []);
});
