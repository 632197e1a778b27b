// Worker jobs through Electron's utility-process launcher (played by the fake electron's utilityProcess, a real
// child process): a crash is reported as a failed job with worker-crashed, and the restarted job completes. And the
// built app's worker threads (training, import, codecs) are bundle entries that the bundled code finds and runs.
import assert from 'node:assert/strict';
import { globSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { utilityProcessLauncher } from '../src-main/electron/utility-launcher.ts';
import { EventBus } from '../src-main/ipc/event-bus.ts';
import { JobRunner } from '../src-main/jobs/job-runner.ts';
import { BUNDLED_WORKERS } from '../src-main/workers/worker-entry.ts';
import { WorkerJobs } from '../src-main/workers/worker-host.ts';
import { IPC_EVENT, IPC_INVOKE } from '../src-preload/ipc-names.ts';
import { recorded, utilityProcess } from './support/fake-electron/electron.ts';
import { launchMain, quitMain } from './support/fake-electron/launch-main.ts';

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

test('the built main bundle finds and runs its worker threads: a folder import through IPC decodes every XA file', async () => {
  const mainDir = join(projectRoot(), 'out', 'main');
  for (const name of Object.keys(BUNDLED_WORKERS)) assert.ok(readdirSync(mainDir).includes(`${name}.js`), `out/main/${name}.js was not built`);
  for (const file of globSync('**/*.js', { cwd: mainDir })) {
    assert.doesNotMatch(readFileSync(join(mainDir, file), 'utf8'), /new URL\(["'`]\.\.?\/[\w./-]+\.ts["'`]/, `out/main/${file} points a worker at a .ts source that the app does not ship`);
  }
  const launched = await launchMain({ root: mkdtempSync(join(tmpdir(), 'angio-bundle-workers-')) });
  const rendererUrl = launched.windows[0]!.loadedUrl!;
  const invoke = launched.invokeHandlers.get(IPC_INVOKE)!;
  const folder = join(sharedDataDir(), 'dicom', 'xa');
  const answer = (await invoke({ senderFrame: { url: rendererUrl, parent: null } }, 'ingest.importFolder', { root: folder })) as { ok: boolean; value: { jobId: string } };
  assert.ok(answer.ok, JSON.stringify(answer));
  const finishedEvent = () => recorded.sent.find((args) => args[0] === IPC_EVENT && args[1] === 'job.finished' && (args[2] as { jobId: string }).jobId === answer.value.jobId);
  for (let i = 0; i < 1500 && !finishedEvent(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const end = finishedEvent()?.[2] as { status: string; result?: { imported: number; rejected: number }; error?: unknown } | undefined;
  assert.equal(end?.status, 'succeeded', JSON.stringify(end));
  assert.equal(end.result!.rejected, 0, 'every XA syntax decodes in the bundled workers');
  assert.equal(end.result!.imported, readdirSync(folder).filter((f) => f.endsWith('.dcm')).length);
  await quitMain();
});
