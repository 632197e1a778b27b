// Worker jobs through Electron's utility-process launcher (played by the fake electron's utilityProcess, a real
// child process): a crash is reported as a failed job with worker-crashed, and the restarted job completes; a
// reproducible training run trains in a utility process whose environment carries the kernel pins. And the
// built app's worker threads (training, import, codecs) are bundle entries that the bundled code finds and runs.
import assert from 'node:assert/strict';
import { globSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../src-main/app/context.ts';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { utilityProcessLauncher } from '../src-main/electron/utility-launcher.ts';
import { EventBus } from '../src-main/ipc/event-bus.ts';
import { JobRunner } from '../src-main/jobs/job-runner.ts';
import { reproduciblePins } from '../src-main/training/cpu-kernels.ts';
import { TrainingService } from '../src-main/training/service.ts';
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

/** The environment a process started with, as the kernel keeps it (what libtorch's libraries read at load). */
function startEnvironment(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

test('a reproducible run in the app trains in a utility process started with the kernel pins', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-utility-training-'));
  const launchProcess = utilityProcessLauncher(utilityProcess.fork as never);
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'electron', log: () => undefined, launchProcess });
  const service = new TrainingService(ctx);
  const before = recorded.utilityProcesses.length;
  let trainerEnv: Record<string, string> | undefined;
  ctx.bus.subscribe((event) => {
    // Read while the process still runs: its start environment, not what it set for itself later.
    if (event === 'training.progress' && !trainerEnv) trainerEnv = startEnvironment(recorded.utilityProcesses[before]!.pid!);
  });
  const { runId } = service.start({ method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 16, reproducible: true, finetune: { epochs: 1, maxStepsPerEpoch: 3 } });
  await ctx.jobs.drain();
  const run = service.get(runId);
  assert.equal(run.status, 'succeeded', `reproducible run ended ${run.status}: ${JSON.stringify(run.error)}`);
  const started = recorded.utilityProcesses.slice(before);
  assert.equal(started.length, 1, 'the run trains in one utility process');
  assert.equal(started[0]!.options.serviceName, 'angio-training');
  const pins = reproduciblePins(2);
  assert.ok(trainerEnv, 'no progress arrived while the utility process ran');
  for (const [name, value] of Object.entries(pins)) assert.equal(trainerEnv[name], value, `${name} in the utility process's start environment`);
  assert.deepEqual(run.machine?.pins, pins);
  assert.equal(run.machine?.kernels.onednnIsa, 'avx2', 'oneDNN ran capped at AVX2');
  assert.equal(run.machine?.kernels.openblasCore, 'Haswell');
  assert.equal(run.machine?.kernels.atenCpuCapability, 'AVX2');
  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
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
