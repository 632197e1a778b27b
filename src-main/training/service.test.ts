// The training service as the app uses it: a run in a worker thread reports progress over the event bus, is
// cancelled at the next step (record: cancelled, checkpoint kept), resumes to completion (record: succeeded with
// metrics and files), and shows up through the training.listRuns IPC channel.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { composeHandlers } from '../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry } from '../ipc/registry.ts';
import { TrainingService } from './service.ts';

test('start → progress → cancel → resume → succeeded, recorded in the store', { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-training-service-'));
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const service = new TrainingService(ctx);
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  ctx.bus.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));

  const config = {
    method: 'supervised' as const,
    encoder: 'simple_cnn' as const,
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
  const refused = await registry.invoke('training.start', { config: { encoder: 'vgg' } }, { host: 'cli', origin: 'test' });
  assert.ok(!refused.ok && refused.error.code === 'invalid-input');

  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
});
