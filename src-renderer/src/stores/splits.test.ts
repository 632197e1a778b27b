// Split versions against a fake main: building a version shows it with a sentence, a new version that would
// replace the locked split asks first (and "keep" leaves the locked one active), and failures are said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';
import { loadedReaders } from '../testing/readers.ts';

const { SplitsStore, levelWords } = await import('./splits.svelte.ts');

type Summary = InvokeOutput<'dataset.splits'>['splits'][number];
const part = { items: 0, positives: 0, negatives: 0, unlabelled: 0, patients: 0, imageLevelItems: 0 };

/** Main's split versions: building one makes it the active one. */
function splitsMain(first: Partial<Summary> = {}) {
  const splits: Summary[] = [{ id: 1, name: 'main', version: 1, origin: 'built', seed: 1, ratios: { train: 70, val: 15, test: 15 }, level: 'patient', warnings: [], parentId: null, createdAt: 't0', createdBy: 'Ana', lockedAt: null, lockedBy: null, items: 10, active: true, ...first }];
  const detail = (split: Summary): InvokeOutput<'dataset.split'> => ({ split, parts: { train: part, val: part, test: part }, groups: [], leakage: { status: 'green', leaks: [], arrivals: 0, unassigned: 0 }, labelDrift: 0 });
  const fake = createFakeApi()
    .handle('dataset.readers', () => ({ account: 'cathlab', readers: [{ id: 4, name: 'Ana', senior: true, createdAt: 't0' }], lastReaderId: 4 }))
    .handle('dataset.splits', () => ({ splits: structuredClone(splits) }))
    .handle('dataset.split', ({ splitId }) => detail(splits.find((s) => s.id === splitId)!))
    .handle('dataset.buildSplit', ({ name, ratios, seed }) => {
      for (const s of splits) s.active = false;
      const made: Summary = { ...splits[0]!, id: splits.length + 1, name, version: splits.length + 1, seed, ratios, lockedAt: null, lockedBy: null, active: true };
      splits.push(made);
      return detail(made);
    })
    .handle('dataset.activateSplit', ({ splitId }) => {
      for (const s of splits) s.active = s.id === splitId;
      return structuredClone(splits.find((s) => s.id === splitId)!);
    });
  return { fake, splits };
}

async function setup(first?: Partial<Summary>) {
  const { fake, splits } = splitsMain(first);
  const readers = await loadedReaders(fake.api);
  const store = new SplitsStore(fake.api, readers);
  await store.refresh();
  return { fake, splits, store };
}

test('a built version is shown and said in words, by the active reader', async () => {
  const { fake, store } = await setup();
  assert.equal(store.detail?.split.id, 1, 'the active split is opened');
  store.seed = 7;
  store.ratios = { train: 60, val: 20, test: 20 };
  await store.build();
  assert.deepEqual(fake.inputsOf('dataset.buildSplit'), [{ name: 'main', ratios: { train: 60, val: 20, test: 20 }, seed: 7, readerId: 4 }]);
  assert.equal(store.notice, `Built main v2 (seed 7): 10 items, ${levelWords('patient')}.`);
  assert.deepEqual(store.splits.map((s) => [s.id, s.active]), [[1, false], [2, true]]);
  assert.equal(store.busy, false);
  assert.deepEqual(fake.violations, []);
});

test('replacing a locked split asks first; "keep" makes the version but leaves the locked one active', async () => {
  const { fake, store, splits } = await setup({ lockedAt: 't1', lockedBy: 'Ana' });
  await store.build();
  assert.equal(store.replacing?.locked.id, 1);
  assert.equal(fake.inputsOf('dataset.buildSplit').length, 0, 'nothing is made before the answer');
  await store.answerReplace('keep');
  assert.equal(fake.inputsOf('dataset.buildSplit').length, 1);
  assert.deepEqual(splits.map((s) => [s.id, s.active]), [[1, true], [2, false]]);
  assert.match(store.notice!, /main v1 stays the active split\.$/);
  await store.build();
  await store.answerReplace('cancel');
  assert.equal(fake.inputsOf('dataset.buildSplit').length, 1);
});

test('a version main refuses is said in words and nothing changes', async () => {
  const { fake, store } = await setup();
  fake.handle('dataset.buildSplit', () => fail('split-no-items', 'There are no labelled items to split yet.'));
  await store.build();
  assert.equal(store.error, 'There are no labelled items to split yet. (split-no-items)');
  assert.deepEqual([store.detail?.split.id, store.busy, store.notice], [1, false, null]);
});
