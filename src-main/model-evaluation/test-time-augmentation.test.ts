// Test-time augmentation and ensembles on real P-ADSD patches and seeded reference models: the identity view is the
// plain prediction to the last bit, each flip is numpy's flip of the same prepared pixels and scores as the model
// scores numpy's array, an ensemble is the mean of its models, and the configurations count their passes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ClassifierRuntime, prepareBatch, toGrey8 } from '../inference/index.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { labelledPatches } from '../inference/testing/padsd.ts';
import { runPython } from '../testing/python-oracle.ts';
import {
  averagedViews, DEFAULT_VIEW_SETS, parseViewSet, scorePatches, scoreViews, TEST_TIME_VIEWS, ttaConfigurations, viewOfBatch, type LabelledPatch,
} from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-tta-'));
let first: ClassifierRuntime;
let second: ClassifierRuntime;
/** 40 per class: more than one scoring batch of 64, so the batching is exercised too. */
let patches: LabelledPatch[];

before(async () => {
  first = await ClassifierRuntime.load((await fixtureModel(7)).file);
  second = await ClassifierRuntime.load((await fixtureModel(8)).file);
  patches = labelledPatches('val', 40).map(({ image, label, path }) => ({ id: path, label, width: image.width, height: image.height, pixels: toGrey8(image) }));
});
after(async () => {
  await first?.release();
  await second?.release();
  rmSync(root, { recursive: true, force: true });
});

test('TTA with only the identity view is the plain prediction, bit for bit', async () => {
  const plain = await scorePatches(first, patches);
  const [scores] = await scoreViews([first], patches, ['identity']);
  assert.deepEqual(averagedViews(patches, [scores!], ['identity']).predictions, plain);
});

const NUMPY_VIEWS = String.raw`
import json, sys
import numpy as np
req = json.load(sys.stdin)
n, s = req['batch'], req['side']
x = np.fromfile(req['input'], dtype=np.float32).reshape(n, 1, s, s)
views = {'hflip': np.flip(x, axis=3), 'vflip': np.flip(x, axis=2), 'rot180': np.rot90(x, 2, axes=(2, 3))}
for name, v in views.items():
    np.ascontiguousarray(v, dtype=np.float32).tofile(req['input'] + '.' + name)
print(json.dumps(sorted(views)))
`;

test('hflip, vflip and rot180 are numpy\'s flips of the prepared pixels, and each view scores as numpy\'s array does', async () => {
  const few = [...patches.slice(0, 3), ...patches.slice(-3)];
  const side = first.imageSize;
  const { input } = prepareBatch(first, few, few.map((p) => p.id));
  const path = join(root, 'prepared.f32');
  writeFileSync(path, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  assert.deepEqual(runPython<string[]>(NUMPY_VIEWS, { input: path, batch: few.length, side }), ['hflip', 'rot180', 'vflip']);
  const [scores] = await scoreViews([first], few, TEST_TIME_VIEWS);
  for (const view of ['hflip', 'vflip', 'rot180'] as const) {
    const expected = new Float32Array(new Uint8Array(readFileSync(`${path}.${view}`)).buffer);
    const ours = viewOfBatch(input, few.length, side, view);
    assert.deepEqual(ours, expected, `${view} differs from numpy`);
    assert.notDeepEqual(ours, input, `${view} of real patches should move pixels`);
    const direct = await first.predict(expected, few.length);
    assert.deepEqual(scores!.probabilities[TEST_TIME_VIEWS.indexOf(view)], direct.probability.slice(0, few.length), `${view}: the scored view is not the model on numpy's array`);
  }
});

test('an ensemble is the mean of its models\' probabilities, TTA the mean over views, and the cost adds up pass by pass', async () => {
  const [a, b] = await scoreViews([first, second], patches, ['identity', 'hflip']);
  const ensemble = averagedViews(patches, [a!, b!], ['identity']);
  const tta = averagedViews(patches, [a!], ['identity', 'hflip']);
  const [plainA, plainB] = [await scorePatches(first, patches), await scorePatches(second, patches)];
  patches.forEach((_, i) => {
    assert.equal(ensemble.predictions[i]!.score, (plainA[i]!.score + plainB[i]!.score) / 2, `patch ${i}: ensemble`);
    assert.equal(tta.predictions[i]!.score, (plainA[i]!.score + a!.probabilities[1]![i]!) / 2, `patch ${i}: TTA`);
  });
  const alone = (s: typeof a) => averagedViews(patches, [s!], ['identity']).seconds;
  assert.ok(Math.abs(ensemble.seconds - (alone(a) + alone(b))) < 1e-9, 'two models cost both their passes');
  assert.ok(Math.abs(tta.seconds - (a!.prepareSeconds + a!.viewSeconds[0]! + a!.viewSeconds[1]!)) < 1e-9, 'two views cost one preparation and two passes');
});

test('configurations: each model plain and with each view set, then the ensemble; passes are views × models', () => {
  const configurations = ttaConfigurations(['q', 'c'], DEFAULT_VIEW_SETS);
  assert.deepEqual(configurations.map((c) => [c.models.join('+'), c.views.length, c.passes]), [
    ['q', 1, 1], ['q', 2, 2], ['q', 4, 4], ['c', 1, 1], ['c', 2, 2], ['c', 4, 4], ['q+c', 1, 2], ['q+c', 2, 4], ['q+c', 4, 8],
  ]);
  assert.equal(new Set(configurations.map((c) => c.name)).size, configurations.length, 'names are unique');
  assert.deepEqual(ttaConfigurations(['q'], [['identity']]).map((c) => c.passes), [1], 'an identity-only set adds nothing');
  assert.deepEqual(parseViewSet('identity, rot180,identity'), ['identity', 'rot180']);
  assert.throws(() => parseViewSet('identity,rot90'), /rot90/);
});
