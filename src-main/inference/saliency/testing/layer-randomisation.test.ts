// The randomised layers must look like the engine's own freshly initialised model (its constructor is the
// oracle): the same constants for BatchNorm, the same spread for He-normal convolutions and the same bounds for
// Linear layers, seeded so that a layer is drawn identically in every combination it joins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrainingConfig } from '../../../training/config.ts';
import { loadEngine, sessionSpecFor } from '../../../training/engine.ts';
import { preprocessingSpec } from '../../../preprocessing/index.ts';
import { engineWeights } from '../../export/engine-model.ts';
import type { WeightMap, WeightTensor } from '../../export/weights.ts';
import { layersFromTop, randomiseLayers } from './layer-randomisation.ts';

const config = parseTrainingConfig({ method: 'supervised', encoder: 'simple_cnn', imageSize: 64, seed: 1 });

function freshModel(seed: number): WeightMap {
  const session = new (loadEngine().TrainingSession)(sessionSpecFor({ ...config, seed }, preprocessingSpec(64)));
  return engineWeights(session.parameters(true));
}

function spread(t: WeightTensor): { mean: number; std: number; maxAbs: number } {
  const n = t.values.length;
  const mean = t.values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(t.values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, maxAbs: t.values.reduce((a, b) => Math.max(a, Math.abs(b)), 0) };
}

test('layers run from the logits down to the first encoder block', () => {
  assert.deepEqual(layersFromTop(freshModel(1)).map((g) => g.label), [
    'logits (classifier.fc2)', 'hidden (classifier.fc1 + bn)', 'encoder block 2', 'encoder block 1', 'encoder block 0',
  ]);
});

test("re-initialised layers follow the engine's initial distribution, tensor by tensor", () => {
  // A model the engine initialised from another seed stands in for "trained" weights: every tensor must move,
  // and land in the distribution of the engine's own initial model of yet another seed.
  const before = freshModel(7);
  const engineInit = freshModel(8);
  const layers = layersFromTop(before);
  const redrawn = randomiseLayers(before, layers, 2018);
  let checked = 0;
  for (const [name, tensor] of redrawn) {
    if (!layers.some((g) => g.prefixes.some((p) => name.startsWith(`${p}.`)))) {
      assert.equal(tensor, before.get(name), `${name} is outside the randomised layers and must be left as it was`);
      continue;
    }
    const ours = spread(tensor);
    const engine = spread(engineInit.get(name)!);
    if (engine.std === 0) {
      assert.deepEqual(tensor.values, engineInit.get(name)!.values, `${name}: the engine starts it as a constant`);
    } else if (tensor.values.length >= 32) {
      // Tolerances of a few standard errors for the smallest tensors (288 values in the first convolution).
      const tolerance = 4 / Math.sqrt(2 * tensor.values.length) + 0.02;
      assert.ok(Math.abs(ours.std / engine.std - 1) < tolerance, `${name}: std ${ours.std} vs the engine's ${engine.std}`);
      assert.ok(Math.abs(ours.mean - engine.mean) < 4 * engine.std / Math.sqrt(tensor.values.length), `${name}: mean ${ours.mean} vs ${engine.mean}`);
      assert.notDeepEqual(tensor.values, before.get(name)!.values, `${name} must be redrawn`);
    }
    if (name.startsWith('classifier.') && engine.std > 0) {
      // Linear biases share their weight's ±1/√fan_in bound; the weight's many draws come close to it.
      const bound = spread(engineInit.get(`${name.slice(0, name.lastIndexOf('.'))}.weight`)!).maxAbs;
      assert.ok(ours.maxAbs <= bound * 1.05, `${name}: largest |value| ${ours.maxAbs} beyond the engine's bound ${bound}`);
    }
    checked++;
  }
  assert.ok(checked >= 20, `only ${checked} tensors were compared`);
});

test('a layer is drawn the same whichever layers are randomised with it, and the seed changes the draw', () => {
  const model = freshModel(7);
  const [logits, hidden] = layersFromTop(model);
  const alone = randomiseLayers(model, [logits!], 5).get('classifier.fc2.weight')!.values;
  const together = randomiseLayers(model, [logits!, hidden!], 5).get('classifier.fc2.weight')!.values;
  assert.deepEqual(together, alone);
  assert.notDeepEqual(randomiseLayers(model, [logits!], 6).get('classifier.fc2.weight')!.values, alone);
  assert.throws(() => randomiseLayers(model, [{ label: 'missing', prefixes: ['encoder.blocks.9'] }], 5), /not in this model/);
});
