// One job as a panel follows it, against a fake main: events that overtake the start answer are replayed, other
// jobs' events are ignored, the typed result arrives once, and a refused start or cancel is said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';

const { JobWatch } = await import('./job-watch.svelte.ts');

test('events that arrive before the job id are replayed; the result and the end are reported once', async () => {
  const fake = createFakeApi().handle('network.retrieve.start', () => {
    // Main starts the job before it answers: its first events race ahead of the id.
    fake.emit('job.progress', { jobId: 'job-1', kind: 'network.retrieve', stage: 'retrieve', done: 1, total: 4, message: 'study 1 of 2' });
    fake.emit('job.progress', { jobId: 'job-0', kind: 'network.retrieve', stage: 'retrieve', done: 9, total: 9 });
    return { jobId: 'job-1', transferId: 't-1' };
  });
  const watch = new JobWatch(fake.api, 'network.retrieve');
  const ends: unknown[] = [];
  watch.onFinished = (status, result) => ends.push([status, result]);
  assert.equal(await watch.start(() => fake.api.invoke['network.retrieve.start']({ studyInstanceUids: ['1.2.3'], method: 'get' })), true);
  assert.deepEqual([watch.status, watch.done, watch.total, watch.message], ['running', 1, 4, 'study 1 of 2']);

  fake.emit('job.finished', { jobId: 'job-0', kind: 'network.retrieve', status: 'failed' });
  assert.equal(watch.running, true, "another job's end is not this one's");
  fake.emit('job.finished', { jobId: 'job-1', kind: 'network.retrieve', status: 'succeeded', result: { completed: 4, failed: 0, warnings: 0 } });
  assert.equal(watch.status, 'succeeded');
  assert.deepEqual(watch.result, { completed: 4, failed: 0, warnings: 0 });
  assert.deepEqual(ends, [['succeeded', { completed: 4, failed: 0, warnings: 0 }]]);
  watch.reset();
  assert.deepEqual([watch.status, watch.jobId, watch.result], ['idle', null, null]);
  assert.deepEqual(fake.violations, []);
});

test('a refused start fails with main\'s words; a failed job keeps its error; cancel asks main', async () => {
  const fake = createFakeApi().handle('jobs.cancel', () => fail('job-unknown', 'That job has already ended.'));
  const watch = new JobWatch(fake.api, 'media.import');
  assert.equal(await watch.start(async () => ({ ok: false, error: { code: 'network-no-pacs', message: 'No PACS is configured.' } })), false);
  assert.deepEqual([watch.status, watch.error], ['failed', 'No PACS is configured.']);

  await watch.start(async () => ({ ok: true, value: { jobId: 'job-2' } }));
  assert.equal(await watch.start(async () => ({ ok: true, value: { jobId: 'job-3' } })), false, 'one job at a time');
  await watch.cancel();
  assert.deepEqual(fake.inputsOf('jobs.cancel'), [{ jobId: 'job-2' }]);
  assert.equal(watch.error, 'That job has already ended.');
  fake.emit('job.finished', { jobId: 'job-2', kind: 'media.import', status: 'failed', error: { code: 'worker-crashed', message: 'The import worker stopped unexpectedly.' } });
  await settle();
  assert.deepEqual([watch.status, watch.error, watch.result], ['failed', 'The import worker stopped unexpectedly.', null]);
});
