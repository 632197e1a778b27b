// The curation grid against a small fake main that keeps one reader's labels: labelling moves the cursor so fast
// typing labels consecutive items, answers fold into the rows and counts, undo says what it undid, "Label next"
// goes to the item main names, labelling without a reader is refused in words, and a scoring job ranks the pool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';
import { loadedReaders } from '../testing/readers.ts';

const { CurationStore } = await import('./curation.svelte.ts');

type Row = InvokeOutput<'dataset.items'>['rows'][number];
type Label = 'positive' | 'negative' | 'unsure' | 'exclude';
const ana = { id: 1, name: 'Ana', senior: true, createdAt: '2026-01-01T00:00:00Z' };

/** One reader's labels of four items, with an undo stack, answering as main's dataset channels do. */
function curationMain() {
  const labels = new Map<number, Label | null>([1, 2, 3, 4].map((id) => [id, null]));
  const done: { itemIds: number[]; before: (Label | null)[] }[] = [];
  const row = (id: number): Row => ({ id, label: labels.get(id) ?? null, mine: labels.get(id) ?? null, readers: labels.get(id) ? 1 : 0, split: null, patient: null, score: null, uncertainty: null });
  const counts = () => {
    const all = [...labels.values()];
    const n = (label: Label) => all.filter((l) => l === label).length;
    return { total: all.length, positive: n('positive'), negative: n('negative'), unsure: n('unsure'), exclude: n('exclude'), disputed: 0, unlabelled: all.filter((l) => l === null).length };
  };
  const change = (actionId: number | null, itemIds: number[]) => ({ actionId, itemIds, rows: itemIds.map(row), counts: counts(), history: { undo: done.length, redo: 0 } });
  const fake = createFakeApi()
    .handle('dataset.readers', () => ({ account: 'cathlab', readers: [ana], lastReaderId: 1 }))
    .handle('dataset.items', () => ({ rows: [...labels.keys()].map(row), counts: counts(), mine: { labelled: [...labels.values()].filter(Boolean).length }, splitId: null, model: null }))
    .handle('dataset.history', () => ({ undo: done.length, redo: 0 }))
    .handle('dataset.agreement', () => ({ readers: [{ ...ana, items: 0 }], pairs: [], fleiss: null, disagreements: [] }))
    .handle('dataset.label', ({ itemIds, label }) => {
      done.push({ itemIds, before: itemIds.map((id) => labels.get(id) ?? null) });
      for (const id of itemIds) labels.set(id, label);
      return change(done.length, itemIds);
    })
    .handle('dataset.undo', () => {
      const last = done.pop();
      if (!last) return change(null, []);
      last.itemIds.forEach((id, i) => labels.set(id, last.before[i]!));
      return change(done.length + 1, last.itemIds);
    });
  return fake;
}

async function setup() {
  const fake = curationMain();
  const readers = await loadedReaders(fake.api);
  const store = new CurationStore(fake.api, readers);
  await store.load();
  return { fake, store, readers };
}

test('two quick label keys label two consecutive items; counts and my tally follow', async () => {
  const { fake, store } = await setup();
  assert.deepEqual([store.rows.length, store.counts?.unlabelled, store.mine?.labelled], [4, 4, 0]);
  const first = store.label('positive');
  const second = store.label('negative');
  assert.equal(store.cursor, 2, 'the cursor moves at once, before main answers');
  await Promise.all([first, second]);
  assert.deepEqual(fake.inputsOf('dataset.label'), [{ readerId: 1, itemIds: [1], label: 'positive' }, { readerId: 1, itemIds: [2], label: 'negative' }]);
  assert.deepEqual(store.rows.map((r) => r.mine), ['positive', 'negative', null, null]);
  assert.deepEqual([store.counts?.positive, store.counts?.negative, store.mine?.labelled, store.history.undo], [1, 1, 2, 2]);
  assert.deepEqual(fake.violations, []);
});

test('a selection is labelled together; undo restores it, selects it and says what it undid', async () => {
  const { store } = await setup();
  store.select(1);
  store.select(3, 'range');
  assert.deepEqual([...store.selection], [2, 3, 4]);
  await store.label('exclude');
  assert.deepEqual(store.rows.map((r) => r.mine), [null, 'exclude', 'exclude', 'exclude']);
  await store.undo();
  assert.deepEqual(store.rows.map((r) => r.mine), [null, null, null, null]);
  assert.equal(store.notice, 'Undid the label of 3 items.');
  assert.equal(store.mine?.labelled, 0);
  await store.undo();
  assert.equal(store.notice, 'Nothing to undo.');
});

test('labelling without a reader is refused in words; a refused label keeps the row and shows main\'s reason', async () => {
  const { fake, store, readers } = await setup();
  readers.activeId = null;
  await store.label('positive');
  assert.equal(store.error, 'Choose or create a reader before labelling: every label records who gave it.');
  assert.equal(fake.inputsOf('dataset.label').length, 0);
  readers.activeId = 1;
  fake.handle('dataset.label', () => fail('split-locked', 'Item 1 is in a locked split.'));
  await store.label('positive');
  assert.equal(store.error, 'Item 1 is in a locked split. (split-locked)');
  assert.equal(store.rows[0]?.mine, null);
});

test('"Label next" goes to the item main names; a scoring job ranks the pool and reloads', async () => {
  const { fake, store } = await setup();
  fake.handle('dataset.next', () => ({ itemId: 3, by: 'uncertainty', remaining: 2 }));
  await store.next();
  assert.deepEqual([store.cursor, store.current?.id], [2, 3]);
  assert.match(store.notice!, /uncertain, unlike what is labelled \(2 left to read\)/);

  fake.handle('dataset.score', () => ({ jobId: 'score-1' }));
  await store.scoreWith('run-1');
  fake.emit('job.progress', { jobId: 'score-1', kind: 'dataset.score', stage: 'scoring', done: 2, total: 4 });
  assert.deepEqual(store.scoring, { jobId: 'score-1', done: 2, total: 4 });
  const loadsBefore = fake.inputsOf('dataset.items').length;
  fake.emit('job.finished', { jobId: 'score-1', kind: 'dataset.score', status: 'succeeded', result: { runId: 'run-1', scored: 4, cached: 0, skipped: 0, ranked: 4 } });
  await settle();
  assert.equal(store.scoring, null);
  assert.match(store.notice!, /^The pool is ranked by the model/);
  assert.equal(fake.inputsOf('dataset.items').length, loadsBefore + 1);
  assert.deepEqual(fake.violations, []);
});
