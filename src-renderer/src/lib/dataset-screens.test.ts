// The pure parts of the dataset screens' stores: the training configuration check against the contract, and
// the review order of per-image predictions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortPredictions, predictionError } from './prediction-order.ts';
import { PRESETS, validateConfig } from './training-config.ts';

test('both presets pass the contract; edits that break it are named by path', () => {
  for (const preset of Object.values(PRESETS)) assert.equal(validateConfig(JSON.stringify(preset)).ok, true);
  const bad = validateConfig('{"encoder": "vgg", "finetune": {"epochs": 0}, "extra": 1}');
  assert.equal(bad.ok, false);
  const problems = bad.ok ? [] : bad.problems.join('\n');
  assert.match(problems as string, /^encoder: /m);
  assert.match(problems as string, /^finetune\.epochs: /m);
  assert.match(problems as string, /extra/);
  const notJson = validateConfig('{ method: ');
  assert.ok(!notJson.ok && /^Not JSON/.test(notJson.problems[0]!));
});

test('predictions sort by score and by error, ties broken by id', () => {
  const rows = [
    { id: 'a', label: 1 as const, score: 0.2 },
    { id: 'b', label: 0 as const, score: 0.9 },
    { id: 'c', label: 1 as const, score: 0.95 },
    { id: 'd', label: 0 as const, score: 0.2 },
  ];
  assert.deepEqual(sortPredictions(rows, 'score').map((r) => r.id), ['c', 'b', 'a', 'd']);
  assert.deepEqual(sortPredictions(rows, 'error').map((r) => r.id), ['b', 'a', 'd', 'c']);
  assert.deepEqual(sortPredictions(rows, 'error', false).map((r) => r.id), ['c', 'd', 'a', 'b']);
  assert.ok(Math.abs(predictionError(rows[0]!) - 0.8) < 1e-12);
});
