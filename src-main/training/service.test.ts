// The training service as the app uses it: a run in a worker thread reports progress over the event bus, is
// cancelled at the next step (record: cancelled, checkpoint kept), resumes to completion (record: succeeded with
// metrics and files, model.angio among them), shows up through the training.listRuns IPC channel, and its
// inference model heads the Viewer's recent models. A reproducible run trains in a child process whose kernels are
// pinned, even after this process has loaded libtorch without the pins; a host without a process launcher refuses it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { composeHandlers } from '../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry } from '../ipc/registry.ts';
import { reproduciblePins } from './cpu-kernels.ts';
import { TrainingService } from './service.ts';

test('start → progress → cancel → resume → succeeded, recorded in the store', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-training-service-'));
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const service = new TrainingService(ctx);
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  ctx.bus.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));

  const config = {
    method: 'supervised' as const,
    encoder: 'mobilenet_v2' as const,
    imageSize: 32,
    batchSize: 16,
    finetune: { epochs: 2, maxStepsPerEpoch: 20, patience: 3 },
  };
  const { runId } = service.start(config);
  let cancelled = false;
  ctx.bus.subscribe((event) => {
    if (event === 'training.progress' && !cancelled) cancelled = service.cancel(runId);
  });
  await ctx.jobs.drain();
  assert.ok(cancelled, 'a progress event arrived and the run accepted the cancel');
  assert.equal(service.get(runId).status, 'cancelled');
  assert.equal(events.find((e) => e.event === 'job.finished')?.payload.status, 'cancelled');
  assert.ok(existsSync(join(service.get(runId).runDir, 'checkpoint.pt')), 'cancelling writes a checkpoint');

  service.resume(runId);
  await ctx.jobs.drain();
  const run = service.get(runId);
  assert.equal(run.status, 'succeeded', `resumed run ended ${run.status}: ${JSON.stringify(run.error)}`);
  const metrics = run.metrics as { testAuc: number; threshold: { prevalence: number } };
  assert.ok(metrics.testAuc > 0 && metrics.testAuc <= 1);
  assert.equal(metrics.threshold.prevalence, 0.5, 'the validation split is balanced 150/150');
  assert.ok(run.files?.model && existsSync(run.files.model));
  assert.equal(run.preprocessingVersion, 'patch-v1');
  const progress = events.filter((e) => e.event === 'training.progress').map((e) => e.payload);
  assert.ok(progress.some((p) => p.kind === 'epoch' && typeof (p.metrics as { valAuc?: number })?.valAuc === 'number'));

  const registry = createIpcRegistry(composeHandlers(ctx));
  const listed = await registry.invoke('training.listRuns', {}, { host: 'cli', origin: 'test' });
  assert.ok(listed.ok && (listed.value as { runs: { id: string }[] }).runs.some((r) => r.id === runId));
  // The run's inference model is offered in the Viewer's model list straight away.
  assert.ok(run.files?.inferenceModel && existsSync(run.files.inferenceModel), 'model.angio was written');
  const recent = await registry.invoke('inference.models.recent', {}, { host: 'cli', origin: 'test' });
  assert.ok(recent.ok && (recent.value as { models: string[] }).models[0] === run.files.inferenceModel, JSON.stringify(recent));
  const refused = await registry.invoke('training.start', { config: { encoder: 'vgg' } }, { host: 'cli', origin: 'test' });
  assert.ok(!refused.ok && refused.error.code === 'invalid-input');

  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
});

test('a reproducible run trains in its own pinned process and its record names the machine', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-training-pinned-'));
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const service = new TrainingService(ctx);
  const { runId } = service.start({ method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 16, reproducible: true, finetune: { epochs: 1, maxStepsPerEpoch: 3 } });
  await ctx.jobs.drain();
  const run = service.get(runId);
  assert.equal(run.status, 'succeeded', `reproducible run ended ${run.status}: ${JSON.stringify(run.error)}`);
  assert.deepEqual(run.machine?.pins, reproduciblePins(2));
  assert.equal(run.machine?.kernels.onednnIsa, 'avx2', 'oneDNN ran capped at AVX2');
  assert.equal(run.machine?.kernels.openblasCore, 'Haswell');
  assert.equal(run.machine?.kernels.atenCpuCapability, 'AVX2');
  const registry = createIpcRegistry(composeHandlers(ctx));
  const listed = await registry.invoke('training.listRuns', {}, { host: 'cli', origin: 'test' });
  const summary = listed.ok ? (listed.value as { runs: { id: string; machine?: { pins: unknown } }[] }).runs.find((r) => r.id === runId) : undefined;
  assert.deepEqual(summary?.machine?.pins, reproduciblePins(2), 'the run list carries the machine');
  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
});

test('a host that cannot start a process refuses a reproducible run before recording it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-training-no-launcher-'));
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const service = new TrainingService({ ...ctx, launchProcess: undefined });
  assert.throws(() => service.start({ method: 'supervised', encoder: 'simple_cnn', imageSize: 32, reproducible: true }), { code: 'reproducible-needs-process' });
  assert.deepEqual(service.list(), []);
  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
});
