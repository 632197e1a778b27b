// job.finished carries the result its kind declares in the contract; main refuses to send one that breaks it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobResult, type JobFinished } from '../../src-preload/contract.ts';
import { AppError, EventBus } from '../ipc/index.ts';
import { JobRunner } from './index.ts';

function runner() {
  const bus = new EventBus();
  const finished = new Map<string, JobFinished>();
  bus.subscribe((event, payload) => {
    if (event === 'job.finished') finished.set((payload as JobFinished).jobId, payload as JobFinished);
  });
  const jobs = new JobRunner(bus);
  const end = async (jobId: string) => {
    await jobs.drain();
    return finished.get(jobId)!;
  };
  return { jobs, end };
}

test("a result of its kind's shape arrives typed by kind", async () => {
  const { jobs, end } = runner();
  const event = await end(jobs.start('diagnostics', async () => ({ passed: 3, failed: 1 })));
  assert.equal(event.status, 'succeeded');
  assert.deepEqual(jobResult(event, 'diagnostics'), { passed: 3, failed: 1 });
  assert.equal(jobResult(event, 'import'), null, 'another kind has no result here');
});

test('a result that breaks its kind fails the job as a malformed answer, naming the field', async () => {
  const { jobs, end } = runner();
  // A kind known only at run time (a string) is unchecked by the type checker: the run-time check catches it.
  const kind: string = 'network.retrieve';
  const event = await end(jobs.start(kind, async () => ({ completed: 2, failed: 'none' })));
  assert.equal(event.status, 'failed');
  assert.equal(event.error?.code, 'invalid-output');
  assert.match(event.error!.message, /network\.retrieve job/);
  assert.ok(Array.isArray(event.error?.details) && event.error.details.length > 0, 'the refused fields are the details');
  assert.equal(event.result, undefined);
});

test('a kind the contract does not list (a worker module named at run time) carries any JSON result', async () => {
  const { jobs, end } = runner();
  const event = await end(jobs.start('batch-inference', async () => ({ pid: 42, mode: 'succeed' })));
  assert.equal(event.status, 'succeeded');
  assert.deepEqual(event.result, { pid: 42, mode: 'succeed' });
});

test('error details are plain facts; a detail that is not keeps the code and message and drops the details', async () => {
  const { jobs, end } = runner();
  const facts = await end(jobs.start('import', async () => { throw new AppError('item-missing', 'Item 7 is gone.', { itemId: 7, path: null }); }));
  assert.deepEqual(facts.error, { code: 'item-missing', message: 'Item 7 is gone.', details: { itemId: 7, path: null } });
  const opaque = await end(jobs.start('import', async () => { throw new AppError('odd', 'Something odd.', { when: new Map() }); }));
  assert.deepEqual(opaque.error, { code: 'odd', message: 'Something odd.' });
});
