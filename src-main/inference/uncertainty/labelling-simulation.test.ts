// The active-learning check on the real P-ADSD patches: start from 100 labels, add 100 per round for three
// rounds, either the app's "label next" ranking (uncertain, then diverse) or at random, same seeds and training.
// The ranking must end with a higher mean test AUC than random at 400 labels, and be ahead over the whole curve.
// A small CNN at 32 px keeps the 21 trainings to a few minutes; training is deterministic, so the run repeats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedDataDir } from '../../app/paths.ts';
import { loadLabeledSplit } from '../../training/dataset.ts';
import { preprocessingSpec } from '../../preprocessing/index.ts';
import { padsdSource } from '../../training/training-data.ts';
import { meanOf, simulateLabelling } from './labelling-simulation.ts';

test('labelling by the ranking beats labelling at random at equal labels, averaged over three seeds', { timeout: 900_000 }, async () => {
  const source = padsdSource(sharedDataDir());
  const size = 32;
  const result = await simulateLabelling({
    pool: loadLabeledSplit(source.labeledRoot, 'train', preprocessingSpec(size)),
    test: loadLabeledSplit(source.labeledRoot, 'test', preprocessingSpec(size)),
    imageSize: size,
    encoder: 'simple_cnn',
    seeds: [1, 2, 3],
    startLabels: 100,
    perRound: 100,
    rounds: 3,
    epochs: 15,
    batchSize: 32,
    learningRate: 1e-3,
    candidateFactor: 3,
  });
  const ranked = result.ranked.map((round) => meanOf(round.auc));
  const random = result.random.map((round) => meanOf(round.auc));
  console.log(`test AUC, mean of 3 seeds: 100 labels ${meanOf(result.start).toFixed(3)}; ` +
    result.ranked.map((round, i) => `${round.labels}: ranked ${ranked[i]!.toFixed(3)} vs random ${random[i]!.toFixed(3)}`).join('; '));

  assert.deepEqual(result.ranked.map((round) => round.labels), [200, 300, 400]);
  assert.ok(result.ranked.every((round) => round.auc.length === 3) && result.random.every((round) => round.auc.length === 3));
  assert.ok(ranked[2]! > random[2]!, `at 400 labels the ranking reached ${ranked[2]} and random ${random[2]}`);
  assert.ok(meanOf(ranked) > meanOf(random), `over the curve: ranking ${meanOf(ranked)} vs random ${meanOf(random)}`);
  assert.ok(ranked[2]! > meanOf(result.start), 'more labels helped at all');
});
