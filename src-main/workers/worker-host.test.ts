// Worker jobs: the body runs in another process, progress arrives as job events, a crash (abort, throw) fails the
// job with a code the UI can act on, the job can be restarted, cancel kills the process, and main stays responsive.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { test } from 'node:test';
import { EventBus } from '../ipc/event-bus.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { forkLauncher } from './fork-launcher.ts';
import { WorkerJobs } from './worker-host.ts';
import type { TestJobInput } from './fixtures/test-job.ts';

const entry = join(import.meta.dirname, 'fixtures', 'test-job.ts');

function setup() {
  const bus = new EventBus();
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  bus.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
  const workers = new WorkerJobs(new JobRunner(bus), forkLauncher, { cancelGraceMs: 200 });
  const finished = (jobId: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = events.find((e) => e.event === 'job.finished' && e.payload.jobId === jobId);
      if (seen) return resolve(seen.payload);
      const stop = bus.subscribe((event, payload) => {
        if (event === 'job.finished' && (payload as { jobId: string }).jobId === jobId) {
          stop();
          resolve(payload as Record<string, unknown>);
        }
      });
    });
  const start = (input: TestJobInput) => workers.start({ kind: 'batch-inference', entry, input });
  return { workers, events, finished, start };
}

test('a worker job runs in another process and reports progress and its result', async () => {
  const { events, finished, start } = setup();
  const jobId = start({ mode: 'succeed' });
  const end = await finished(jobId);
  assert.equal(end.status, 'succeeded');
  const result = end.result as { pid: number };
  assert.notEqual(result.pid, process.pid, 'the job body ran on the main process');
  const progress = events.filter((e) => e.event === 'job.progress' && e.payload.jobId === jobId).map((e) => e.payload.done);
  assert.deepEqual(progress, [0, 2]);
});

test('a worker that aborts fails its job as worker-crashed, and the restarted job succeeds', async () => {
  const { workers, finished, start } = setup();
  const marker = join(mkdtempSync(join(tmpdir(), 'angio-worker-')), 'crashed');
  const jobId = start({ mode: 'abort-once', marker });
  const crash = await finished(jobId);
  assert.equal(crash.status, 'failed');
  const error = crash.error as { code: string; message: string; details: { signal: string | null; code: number | null } };
  assert.equal(error.code, 'worker-crashed');
  assert.match(error.message, /batch-inference worker stopped unexpectedly .*restart the job/);
  assert.ok(error.details.signal === 'SIGABRT' || (error.details.code ?? 0) !== 0, JSON.stringify(error.details));
  assert.equal(workers.running.size, 0, 'the crashed process is still tracked');

  const again = workers.restart(jobId);
  assert.notEqual(again, jobId);
  assert.equal((await finished(again)).status, 'succeeded');
  assert.throws(() => workers.restart('no-such-job'), /cannot be restarted/);
});

test('an exception in the worker fails the job with its message, without a crash', async () => {
  const { finished, start } = setup();
  const end = await finished(start({ mode: 'throw' }));
  assert.equal(end.status, 'failed');
  assert.match((end.error as { message: string }).message, /the model file is corrupt/);
});

test('an aborting worker does not take main down (process.abort in a worker thread would)', async () => {
  const { finished, start } = setup();
  const end = await finished(start({ mode: 'abort' }));
  assert.equal((end.error as { code: string }).code, 'worker-crashed');
});

test('cancel ends the job as cancelled and the worker process goes away', async () => {
  const { workers, finished, start } = setup();
  const jobId = start({ mode: 'wait' });
  while (workers.running.size === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const pid = workers.running.get(jobId)!;
  await new Promise((resolve) => setTimeout(resolve, 300)); // let it reach its wait
  const runner = (workers as unknown as { jobs: JobRunner }).jobs;
  assert.equal(runner.cancel(jobId), true);
  assert.equal((await finished(jobId)).status, 'cancelled');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the cancelled worker is still alive');
});

test('main keeps a responsive event loop while a worker keeps a core busy', async () => {
  const { finished, start } = setup();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 20);
  const end = await finished(start({ mode: 'spin', spinMs: 1_500 }));
  clearInterval(ticker);
  delay.disable();
  assert.equal(end.status, 'succeeded');
  assert.ok(ticks >= 40, `only ${ticks} timer ticks in ~1.5 s: main was blocked`);
  assert.ok(delay.max / 1e6 < 250, `event loop stalled for ${(delay.max / 1e6).toFixed(0)} ms`);
});
