// Worker jobs through Electron's utility-process launcher (played by the fake electron's utilityProcess, a real
// child process): a crash is reported as a failed job with worker-crashed, and the restarted job completes.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src-main/app/paths.ts';
import { utilityProcessLauncher } from '../src-main/electron/utility-launcher.ts';
import { EventBus } from '../src-main/ipc/event-bus.ts';
import { JobRunner } from '../src-main/jobs/job-runner.ts';
import { WorkerJobs } from '../src-main/workers/worker-host.ts';
import { recorded, utilityProcess } from './support/fake-electron/electron.ts';

const entry = join(projectRoot(), 'src-main', 'workers', 'fixtures', 'test-job.ts');

test('a crashed utility process fails its job, and the job restarts in a fresh process', async () => {
  const bus = new EventBus();
  const finished = new Map<string, { status: string; error?: { code: string } }>();
  bus.subscribe((event, payload) => {
    if (event === 'job.finished') finished.set((payload as { jobId: string }).jobId, payload as { status: string });
  });
  const workers = new WorkerJobs(new JobRunner(bus), utilityProcessLauncher(utilityProcess.fork as never));
  const until = async (jobId: string) => {
    while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
    return finished.get(jobId)!;
  };
  const marker = join(mkdtempSync(join(tmpdir(), 'angio-utility-')), 'crashed');
  const first = workers.start({ kind: 'batch-inference', entry, input: { mode: 'abort-once', marker } });
  const crash = await until(first);
  assert.equal(crash.status, 'failed');
  assert.equal(crash.error?.code, 'worker-crashed');
  const again = await until(workers.restart(first));
  assert.equal(again.status, 'succeeded');
  assert.equal(recorded.utilityProcesses.length, 2, 'the restart must start a fresh process');
  assert.equal(recorded.utilityProcesses[0]!.options.serviceName, 'angio-batch-inference', 'utility processes are named for the task manager');
});
