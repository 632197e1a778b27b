// The transfers list against a fake main: loaded from the log, kept live by network.transfer events (a row that
// changed while the list was loading is kept), filtered by direction, cancelled through the job, errors in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../../../src-preload/channels/network.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { TransfersStore } = await import('./transfers.svelte.ts');

const row = (id: string, patch: Partial<Transfer> = {}): Transfer => ({
  id, direction: 'incoming', kind: 'retrieve', peerAeTitle: 'PACS', peerHost: '10.0.0.5', status: 'running', startedAt: `2026-03-01T10:00:0${id.length}Z`,
  finishedAt: null, done: 0, failed: 0, total: null, bytes: 0, errorCode: null, message: null, jobId: `job-${id}`, ...patch,
});

test('the log loads, live rows win over the answer, and the direction filter narrows the list', async () => {
  let answer!: (value: { transfers: Transfer[] }) => void;
  const fake = createFakeApi().handle('network.transfers.list', () => new Promise((resolve) => (answer = resolve)));
  const store = new TransfersStore(fake.api);
  const loading = store.load();
  await settle();
  fake.emit('network.transfer', row('a', { done: 7 }));
  answer({ transfers: [row('a', { done: 2 }), row('b', { direction: 'outgoing', kind: 'send' })] });
  await loading;
  assert.equal(store.loaded, true);
  assert.equal(store.list.find((t) => t.id === 'a')?.done, 7, 'the row that changed while loading is newer than the answer');
  assert.deepEqual(fake.inputsOf('network.transfers.list'), [{ limit: 200 }]);
  store.direction = 'outgoing';
  assert.deepEqual(store.shown.map((t) => t.id), ['b']);
  assert.deepEqual(fake.violations, []);
});

test('a receive that stored images tells the library; one that stored none does not', () => {
  const fake = createFakeApi();
  const store = new TransfersStore(fake.api);
  let arrived = 0;
  store.onArrived = () => arrived++;
  fake.emit('network.transfer', row('r', { kind: 'receive', status: 'succeeded', done: 0 }));
  fake.emit('network.transfer', row('s', { kind: 'receive', status: 'succeeded', done: 3 }));
  assert.equal(arrived, 1);
});

test('cancel goes to the job; a failed list or cancel is said in words', async () => {
  const fake = createFakeApi()
    .handle('network.transfers.list', () => fail('storage-busy', 'The library is busy.'))
    .handle('jobs.cancel', () => fail('job-unknown', 'That job has already ended.'));
  const store = new TransfersStore(fake.api);
  await store.load();
  assert.equal(store.loaded, false);
  assert.match(store.error!, /^The transfers list could not be read: The library is busy\. Try again/);
  await store.cancel(row('c'));
  assert.deepEqual(fake.inputsOf('jobs.cancel'), [{ jobId: 'job-c' }]);
  assert.equal(store.error, 'That transfer could not be cancelled: That job has already ended.');
  await store.cancel(row('d', { jobId: null }));
  assert.equal(fake.inputsOf('jobs.cancel').length, 1, 'a row without a job has nothing to cancel');
});
