// The reader profiles against a fake main: who is active after a refresh, adding and choosing a reader, and a
// refusal shown in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { ReadersStore } = await import('./readers.svelte.ts');

const ana = { id: 1, name: 'Ana', senior: true, createdAt: '2026-01-01T00:00:00Z' };
const ben = { id: 2, name: 'Ben', senior: false, createdAt: '2026-01-02T00:00:00Z' };

test('the only profile is active; with several and none remembered the screens must ask', async () => {
  let readers = [ana];
  const fake = createFakeApi().handle('dataset.readers', () => ({ account: 'cathlab', readers, lastReaderId: null }));
  const store = new ReadersStore(fake.api);
  await store.refresh();
  assert.equal(store.account, 'cathlab');
  assert.equal(store.active?.name, 'Ana');
  assert.equal(store.ambiguous, false);

  const fresh = new ReadersStore(fake.api);
  readers = [ana, ben];
  await fresh.refresh();
  assert.equal(fresh.active, null);
  assert.equal(fresh.ambiguous, true);
  assert.deepEqual(fake.violations, []);
});

test('adding a reader makes them active and fills an empty name field, never a typed one', async () => {
  const readers = [ana];
  const fake = createFakeApi()
    .handle('dataset.readers', () => ({ account: 'cathlab', readers, lastReaderId: 1 }))
    .handle('dataset.addReader', ({ name, senior }) => {
      const reader = { id: 3, name, senior, createdAt: '2026-02-01T00:00:00Z' };
      readers.push(reader);
      return reader;
    });
  const store = new ReadersStore(fake.api);
  assert.equal(await store.add('Cleo', false), true);
  assert.equal(store.active?.name, 'Cleo');
  assert.deepEqual(fake.inputsOf('dataset.addReader'), [{ name: 'Cleo', senior: false }]);

  let name = '';
  await store.fillName('', (value) => (name = value));
  assert.equal(name, 'Cleo');
  await store.fillName('Dr. Typed', (value) => (name = value));
  assert.equal(name, 'Cleo', 'a name already typed stays');
});

test('a refused reader is said in words and nothing changes; choosing one is remembered in main', async () => {
  const fake = createFakeApi()
    .handle('dataset.readers', () => ({ account: 'cathlab', readers: [ana, ben], lastReaderId: 1 }))
    .handle('dataset.addReader', () => fail('reader-exists', 'A reader named Ana already exists.'))
    .handle('dataset.rememberReader', ({ readerId }) => (readerId === 2 ? ben : ana));
  const store = new ReadersStore(fake.api);
  await store.refresh();
  assert.equal(await store.add('Ana', false), false);
  assert.equal(store.error, 'A reader named Ana already exists. (reader-exists)');
  assert.equal(store.active?.name, 'Ana');

  await store.select(2);
  assert.equal(store.active?.name, 'Ben');
  assert.equal(store.error, null);
  assert.deepEqual(fake.inputsOf('dataset.rememberReader'), [{ readerId: 2 }]);
});
