// Readouts per image: probability and class at the stored threshold, the quantum contribution against the
// training-mean q, per-qubit ablations, the OOD flag and the sentence.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readImages, prepareBatch } from './image-readouts.ts';
import { quantumReadouts } from './readouts/quantum-readouts.ts';
import { ClassifierRuntime } from './runtime/classifier-runtime.ts';
import { fixtureModel } from './testing/fixture-model.ts';
import { labelledPatches } from './testing/padsd.ts';

let runtime: ClassifierRuntime;
before(async () => {
  runtime = await ClassifierRuntime.load((await fixtureModel(7)).file);
});
after(() => runtime.release());

test('probability, decision and the quantum contribution agree with separate head evaluations', async () => {
  const images = labelledPatches('val', 2).map((p) => p.image);
  const readouts = await readImages(runtime, images);
  const { input } = prepareBatch(runtime, images);
  const direct = await runtime.predict(input, images.length);
  const qMean = Float32Array.from(runtime.manifest.training.qMean!);
  for (const [b, readout] of readouts.entries()) {
    assert.ok(Math.abs(readout.probability - direct.probability[b]!) < 1e-6);
    assert.equal(readout.decision, readout.probability >= runtime.manifest.threshold ? 'stenosis' : 'no stenosis');
    const h = direct.h.subarray(b * 1280, (b + 1) * 1280);
    const baseline = (await runtime.head(h, qMean, 1))[0]!;
    assert.ok(Math.abs(readout.quantum!.contribution - (readout.probability - baseline)) < 1e-6);
    const q = direct.q!.slice(b * 4, (b + 1) * 4);
    for (let j = 0; j < 4; j++) {
      const ablated = q.slice();
      ablated[j] = qMean[j]!;
      const expected = readout.probability - (await runtime.head(h, ablated, 1))[0]!;
      assert.ok(Math.abs(readout.quantum!.ablationDeltas[j]! - expected) < 1e-6, `qubit ${j} ablation delta`);
      assert.ok(Math.abs(readout.quantum!.expectations[j]! - q[j]!) < 1e-7);
    }
    // Two decimals when they show the change, four when two would read "0.67 to 0.67".
    const digits = readout.quantum!.baselineProbability.toFixed(2) === readout.probability.toFixed(2) ? 4 : 2;
    if (Math.abs(readout.quantum!.contribution) >= 0.00005) {
      assert.match(readout.summary, new RegExp(`moved the score from ${readout.quantum!.baselineProbability.toFixed(digits)} to ${readout.probability.toFixed(digits)}`));
    }
  }
  assert.ok(readouts.some((r) => Math.abs(r.quantum!.contribution) > 1e-4), 'the quantum layer should move some scores');
});

test('a sample whose q equals the training mean has zero quantum contribution and zero ablation deltas', async () => {
  const { input } = prepareBatch(runtime, labelledPatches('val', 1).map((p) => p.image).slice(0, 1));
  const { h } = await runtime.encode(input, 1);
  const qMean = Float32Array.from(runtime.manifest.training.qMean!);
  const probability = await runtime.head(h, qMean, 1);
  const [readout] = await quantumReadouts(runtime, h, qMean, probability, 1);
  assert.ok(Math.abs(readout!.contribution) < 1e-6);
  assert.ok(readout!.ablationDeltas.every((d) => Math.abs(d) < 1e-6));
});

test('training-like patches pass the OOD check; a saturated noise image is flagged with a reason', async () => {
  const patches = labelledPatches('test', 5).map((p) => p.image);
  const inDistribution = await readImages(runtime, patches);
  assert.ok(inDistribution.filter((r) => r.ood.outOfDistribution).length <= 1, 'most test patches should look like training patches');
  const noise = new Uint8Array(64 * 64).map((_, i) => ((i * 2654435761) >>> 24 > 127 ? 255 : 0));
  const [flagged] = await readImages(runtime, [{ width: 64, height: 64, pixels: noise }]);
  assert.equal(flagged!.ood.outOfDistribution, true);
  assert.ok(flagged!.ood.reasons.length > 0);
});
