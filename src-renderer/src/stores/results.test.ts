// The Results screen's data against a fake main: the overview opens its first run's predictions, sorting flips on a
// second click, a run's shift-robustness rows and Fig. 8 reach the screen as the contract carries them, and a failure
// is said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { ResultsStore } = await import('./results.svelte.ts');

const overview: InvokeOutput<'results.overview'> = {
  testSet: 'padsd-test', images: 3, positives: 1,
  runs: [{ runId: 'run-2', model: 'SSL-Quantum', seed: 2, createdAt: '2026-03-02T10:00:00Z' }, { runId: 'run-1', model: 'SSL-Quantum', seed: 1, createdAt: '2026-03-01T10:00:00Z' }],
  rows: [], metricLabels: [], figures: {}, otherRuns: 0, graded: [],
  shiftRobustness: null, shiftCommand: 'npx angio evaluate-shifts --model /runs/run-2/model.angio --data padsd-test --save',
};
const predictions = (runId: string): InvokeOutput<'results.predictions'> => ({
  runId, model: 'SSL-Quantum', seed: 1, threshold: 0.5, testSet: 'padsd-test',
  predictions: [
    { id: 'a', itemId: 1, file: 'a.png', label: 1, score: 0.9 },
    { id: 'b', itemId: 2, file: 'b.png', label: 0, score: 0.8 },
    { id: 'c', itemId: null, file: 'c.png', label: 1, score: 0.2 },
  ],
});

test('the overview opens the newest run; predictions sort by error, then by score, flipping on a second click', async () => {
  const fake = createFakeApi().handle('results.overview', () => overview).handle('results.predictions', ({ runId }) => predictions(runId));
  const store = new ResultsStore(fake.api);
  await store.load();
  assert.equal(store.loading, false);
  assert.equal(store.runId, 'run-2');
  assert.deepEqual(fake.inputsOf('results.predictions'), [{ runId: 'run-2' }]);
  assert.deepEqual(store.sorted.map((p) => p.id), ['b', 'c', 'a'], 'largest error first: a negative scored 0.8, a positive scored 0.2');
  store.sortBy('score');
  assert.deepEqual(store.sorted.map((p) => p.id), ['a', 'b', 'c']);
  store.sortBy('score');
  assert.deepEqual(store.sorted.map((p) => p.id), ['c', 'b', 'a']);

  await store.load('run-1');
  assert.deepEqual(fake.inputsOf('results.overview').at(-1), { runId: 'run-1' });
  assert.equal(store.runId, 'run-1');
  assert.deepEqual(fake.violations, []);
});

test('an overview main cannot make is said in words and nothing is opened', async () => {
  const fake = createFakeApi().handle('results.overview', () => fail('no-runs', 'No finished run shares a test set yet: train one first.'));
  const store = new ResultsStore(fake.api);
  await store.load();
  assert.equal(store.error, 'No finished run shares a test set yet: train one first. (no-runs)');
  assert.equal(store.overview, null);
  assert.equal(store.loading, false);
  assert.equal(fake.inputsOf('results.predictions').length, 0);
});

test('shift-robustness rows and Fig. 8 reach the screen as main sends them; a row without its paired interval breaks the contract', async () => {
  const shiftRobustness: NonNullable<InvokeOutput<'results.overview'>['shiftRobustness']> = {
    runId: 'run-2', model: 'SSL-Quantum', seed: 2, images: 3, positives: 1, replicates: 1000,
    rows: [
      { shift: 'none', auc: 0.81, low: 0.74, high: 0.88, difference: null, differenceLow: null, differenceHigh: null },
      { shift: 'gamma 2', auc: 0.72, low: 0.63, high: 0.8, difference: -0.09, differenceLow: -0.14, differenceHigh: -0.04 },
    ],
  };
  const measured = { ...overview, figures: { 'fig8-shift-robustness': '<svg/>' }, shiftRobustness, shiftCommand: null };
  const fake = createFakeApi().handle('results.overview', () => measured).handle('results.predictions', ({ runId }) => predictions(runId));
  const store = new ResultsStore(fake.api);
  await store.load();
  assert.deepEqual(store.overview?.shiftRobustness, shiftRobustness);
  assert.equal(store.overview?.figures['fig8-shift-robustness'], '<svg/>');
  assert.equal(store.overview?.shiftCommand, null);
  assert.deepEqual(fake.violations, []);

  const { differenceLow: _dropped, ...torn } = shiftRobustness.rows[1]!;
  const broken = createFakeApi().handle('results.overview', () => ({ ...measured, shiftRobustness: { ...shiftRobustness, rows: [shiftRobustness.rows[0]!, torn] } }) as never);
  await new ResultsStore(broken.api).load().catch(() => undefined);
  assert.equal(broken.violations.length, 1, 'main could never send a shift row without its paired interval');
});
