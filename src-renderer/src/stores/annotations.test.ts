// Boxes on a run's frames against a fake main that keeps revisions: drawing saves a box, edits show at once and
// save one after another with the revision the last one left, a refused edit reloads what main holds, grades cycle
// through the class list, and failures are said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { AnnotationStore } = await import('./annotations.svelte.ts');

type Box = InvokeOutput<'annotations.list'>['boxes'][number];

/** Main's box table for one instance: every update must name the box's current revision. */
function boxMain() {
  const boxes = new Map<number, Box>();
  let nextId = 1;
  const fake = createFakeApi()
    .handle('annotations.classes.get', () => ({ classes: [{ name: 'stenosis', grades: ['mild', 'severe'] }, { name: 'occlusion', grades: [] }], gradesEnabled: true }))
    .handle('annotations.recipe', () => fail('recipe-unavailable', 'No patch recipe in this test.'))
    .handle('annotations.list', ({ instanceId }) => ({ boxes: [...boxes.values()].filter((b) => b.instanceId === instanceId) }))
    .handle('annotations.create', ({ instanceId, frame, shape, x, y, width, height, label, grade, reader }) => {
      const box: Box = { id: nextId++, instanceId, frame, patientId: 1, studyId: 1, shape, x, y, width, height, label, grade, reader, revision: 1, createdAt: 't0', updatedAt: 't0' };
      boxes.set(box.id, box);
      return { box };
    })
    .handle('annotations.update', ({ id, revision, reader: _reader, ...change }) => {
      const box = boxes.get(id)!;
      if (box.revision !== revision) return fail('annotation-conflict', 'The box was changed elsewhere; reload it.');
      const saved = { ...box, ...change, revision: revision + 1, updatedAt: `t${revision}` };
      boxes.set(id, saved);
      return { box: saved };
    })
    .handle('annotations.delete', ({ id }) => (boxes.delete(id) ? { deleted: true as const } : fail('annotation-missing', `Box ${id} does not exist.`)));
  return { fake, boxes };
}

test('a drawn box is saved and selected; quick edits save in order, each with the revision the last one left', async () => {
  const { fake, boxes } = boxMain();
  const store = new AnnotationStore(fake.api);
  store.reader = ' Ana ';
  await store.load(7);
  const box = await store.create(3, { x: 10, y: 20, width: 40, height: 30 });
  assert.deepEqual([box?.id, store.selected?.id, store.framesWithBoxes], [1, 1, [3]]);
  assert.equal((fake.inputsOf('annotations.create')[0] as { reader: string }).reader, 'Ana');

  const first = store.edit(1, { x: 12 });
  const second = store.edit(1, { width: 50 });
  assert.deepEqual([store.boxes[0]?.x, store.boxes[0]?.width], [12, 50], 'edits show before main answers');
  await Promise.all([first, second]);
  assert.deepEqual(fake.inputsOf('annotations.update').map((u) => (u as { revision: number }).revision), [1, 2]);
  assert.deepEqual([boxes.get(1)?.x, boxes.get(1)?.width, store.boxes[0]?.revision], [12, 50, 3]);
  assert.deepEqual(store.boxesOn(3).map((b) => b.id), [1]);
  assert.deepEqual(fake.violations, []);
});

test('grades cycle through the class list and back to none', async () => {
  const { fake } = boxMain();
  const store = new AnnotationStore(fake.api);
  await store.start();
  assert.equal(store.recipe, null, 'a recipe main cannot give leaves patch generation off');
  await store.load(7);
  await store.create(0, { x: 0, y: 0, width: 16, height: 16 });
  assert.deepEqual(store.grades, ['mild', 'severe']);
  await store.cycleGrade(1);
  await store.cycleGrade(1);
  assert.equal(store.boxes[0]?.grade, 'severe');
  await store.cycleGrade(1);
  assert.equal(store.boxes[0]?.grade, null);
});

test('an edit main refuses is said in words and the box is reloaded as main holds it', async () => {
  const { fake, boxes } = boxMain();
  const store = new AnnotationStore(fake.api);
  await store.load(7);
  await store.create(0, { x: 5, y: 5, width: 16, height: 16 });
  boxes.set(1, { ...boxes.get(1)!, x: 99, revision: 5 });
  await store.edit(1, { x: 6 });
  assert.equal(store.error, 'The change was not saved: The box was changed elsewhere; reload it.');
  assert.deepEqual([store.boxes[0]?.x, store.boxes[0]?.revision], [99, 5]);

  await store.remove(1);
  assert.deepEqual(store.boxes, []);
  assert.equal(store.selectedId, null);
  await store.remove(1);
  assert.equal(store.error, 'The box was not deleted: Box 1 does not exist.');
});

test('the boxes of an image loaded later win over a slower earlier answer', async () => {
  const { fake } = boxMain();
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  fake.handle('annotations.list', async ({ instanceId }) => {
    if (instanceId === 1) await slow;
    return { boxes: [] };
  });
  const store = new AnnotationStore(fake.api);
  const first = store.load(1);
  await store.load(2);
  release();
  await first;
  await settle();
  assert.equal(store.instanceId, 2);
  fake.handle('annotations.list', () => fail('storage-busy', 'The catalog is busy.'));
  await store.load(2);
  assert.equal(store.error, 'The boxes of this image could not be loaded: The catalog is busy.');
});
