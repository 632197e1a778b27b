// The run plan derived from a config: issue-6 defaults, stage order, step budgets, and class weights only when
// the training split is imbalanced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrainingConfig } from './config.ts';
import { planStages } from './stages.ts';
import { classWeightsFor } from './training-classes.ts';

test('defaults are the product model’s: MobileNetV2 at 64 px, τ = 0.2, Q = 8, L = 3, α = 0.1, Youden', () => {
  const config = parseTrainingConfig({});
  assert.equal(config.encoder, 'mobilenet_v2');
  assert.equal(config.imageSize, 64);
  assert.equal(config.pretrain.temperature, 0.2);
  assert.deepEqual([config.quantum.qubits, config.quantum.layers, config.quantum.alphaInit], [8, 3, 0.1]);
  assert.equal(config.threshold.rule, 'youden');
  assert.throws(() => parseTrainingConfig({ encoder: 'vgg16' }));
  assert.throws(() => parseTrainingConfig({ learningRate: 1 }), 'unknown top-level keys are refused');
});

test('SSL runs pretrain, train the head on a frozen encoder, then fine-tune; supervised runs one stage', () => {
  const ssl = planStages(parseTrainingConfig({ pretrain: { epochs: 2, maxStepsPerEpoch: 10 } }), { pretrain: 9000, train: 1000, trainClassCounts: [500, 500] });
  assert.deepEqual(ssl.map((s) => s.spec.kind), ['pretrain', 'head', 'finetune']);
  assert.equal(ssl[0]?.stepsPerEpoch, 10);
  assert.equal(ssl[0]?.spec.totalSteps, 20, 'the cosine spans the whole capped stage');
  assert.equal(ssl[2]?.spec.trainableBlocks, 6);
  assert.ok(ssl[2]?.earlyStopping && !ssl[1]?.earlyStopping);
  const supervised = planStages(parseTrainingConfig({ method: 'supervised', encoder: 'resnet18' }), { pretrain: 0, train: 1000, trainClassCounts: [500, 500] });
  assert.deepEqual(supervised.map((s) => s.spec.kind), ['supervised']);
});

test('class weights appear only for an imbalanced split, inversely to class frequency', () => {
  assert.equal(classWeightsFor([500, 500], 'auto'), undefined);
  assert.deepEqual(classWeightsFor([800, 200], 'auto'), [1000 / 1600, 1000 / 400]);
  assert.equal(classWeightsFor([800, 200], 'none'), undefined);
});

test('graded class weights balance every class present and leave an absent grade at 0', () => {
  // sklearn's "balanced": n / (k · n_c) over the k classes present.
  assert.deepEqual(classWeightsFor([600, 200, 0, 100], 'auto'), [900 / 1800, 900 / 600, 0, 900 / 300]);
  assert.equal(classWeightsFor([300, 0, 0, 0], 'auto'), undefined);
});
