// `angio evaluate-tta` as a user runs it, on a small labelled root (8 patches per class and split, linked from
// P-ADSD) and two seeded reference models in run folders: the --json shape the usage states, the baseline's AUC is
// the plain prediction's, every configuration is compared with it on the same images, and the choice is validation's.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { rocAuc, toScoredLabels } from '../evaluation/index.ts';
import { ClassifierRuntime, decodeModelFile } from '../inference/index.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { readLabelledSplit, scorePatches } from '../model-evaluation/index.ts';
import { linkLabelledSubset } from './testing/labelled-subset.ts';
import { failureOf, jsonOf, runAngio } from './testing/run-angio.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-evaluate-tta-'));
const labelled = join(root, 'labeled');
const modelPaths: string[] = [];
after(() => rmSync(root, { recursive: true, force: true }));

before(async () => {
  linkLabelledSubset(labelled);
  for (const [seed, run] of [[7, 'quantum-seed7'], [8, 'quantum-seed8']] as const) {
    mkdirSync(join(root, run));
    modelPaths.push(join(root, run, 'model.angio'));
    writeFileSync(modelPaths.at(-1)!, (await fixtureModel(seed)).bytes);
  }
});

test('evaluate-tta --json: the stated shape, the baseline is the plain prediction, the choice is the best on validation', { timeout: 300_000 }, async () => {
  const doc = jsonOf<Record<string, any>>(runAngio(['evaluate-tta', '--model', modelPaths[0]!, '--model', modelPaths[1]!, '--data', labelled, '--replicates', '100', '--json']));
  assert.deepEqual(Object.keys(doc).sort(), ['baseline', 'chosen', 'configurations', 'data', 'machine', 'models', 'replicates', 'test', 'validation']);
  assert.deepEqual(doc.models.map((m: { name: string }) => m.name), ['quantum-seed7', 'quantum-seed8']);
  assert.deepEqual([doc.validation, doc.test], [{ images: 16, positives: 8 }, { images: 16, positives: 8 }]);
  assert.deepEqual(Object.keys(doc.machine).sort(), ['cores', 'cpu']);
  assert.deepEqual(doc.configurations.map((c: { passes: number }) => c.passes), [1, 2, 4, 1, 2, 4, 2, 4, 8]);
  for (const c of doc.configurations) {
    assert.deepEqual(Object.keys(c).sort(), ['cost', 'models', 'name', 'passes', 'test', 'validation', 'views']);
    assert.deepEqual(Object.keys(c.cost).sort(), ['imagesPerSecond', 'measuredMultiple', 'seconds']);
    assert.equal(c.passes, c.views.length * c.models.length);
    for (const split of [c.validation, c.test]) {
      assert.ok(split.low <= split.auc + 1e-12 && split.auc <= split.high + 1e-12, `${c.name}: ${split.auc} in ${split.low}–${split.high}`);
      if (c.name === doc.baseline) assert.equal(split.versusBaseline, null);
      else assert.deepEqual(Object.keys(split.versusBaseline).sort(), ['deLongP', 'difference', 'high', 'low']);
    }
  }
  const [baseline] = doc.configurations;
  assert.equal(baseline.name, doc.baseline);
  assert.equal(baseline.cost.measuredMultiple, 1);
  for (const c of doc.configurations.slice(1)) {
    const own = c.test.auc - baseline.test.auc;
    assert.ok(Math.abs(c.test.versusBaseline.difference - own) < 1e-12, `${c.name}: the paired difference is its AUC minus the baseline's`);
  }
  const best = Math.max(...doc.configurations.map((c: { validation: { auc: number } }) => c.validation.auc));
  assert.equal(doc.configurations.find((c: { name: string }) => c.name === doc.chosen).validation.auc, best);

  const runtime = await ClassifierRuntime.load(decodeModelFile(readFileSync(modelPaths[0]!)));
  try {
    const plain = await scorePatches(runtime, await readLabelledSplit(labelled, 'test'));
    assert.equal(baseline.test.auc, rocAuc(toScoredLabels(plain)), 'the baseline is the model scored without TTA');
  } finally {
    await runtime.release();
  }
});

test('an unknown view is a usage error naming the views there are', () => {
  const failure = failureOf(runAngio(['evaluate-tta', '--model', modelPaths[0]!, '--data', labelled, '--views', 'identity,rot90']));
  assert.equal(failure.code, 'invalid-views');
  assert.match(failure.message, /hflip, vflip, rot180/);
});
