// The Training screen's "processes" setting: a run with processes 2 trains as two rank processes started by the
// training service (the app's own process launcher), reports as one run, fails as a whole with rank-lost when a
// rank is killed, and resumes from rank 0's checkpoint to a finished model.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import type { WorkerLauncher } from '../workers/index.ts';
import { TrainingService } from './service.ts';

test('processes: 2 starts two ranks; a killed rank fails the run with rank-lost; resume finishes it', { timeout: 600_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-training-ranks-'));
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const launched: { name: string; pid: number | undefined }[] = [];
  const launch = ctx.launchProcess!;
  const counting = ((entry, name, env) => {
    const child = launch(entry, name, env);
    launched.push({ name, pid: child.pid });
    return child;
  }) as WorkerLauncher;
  const service = new TrainingService({ ...ctx, launchProcess: counting });
  let killed = false;
  ctx.bus.subscribe((event, payload) => {
    const p = payload as { kind?: string };
    if (event === 'training.progress' && p.kind === 'epoch' && !killed) {
      killed = true;
      const rank1 = launched.find((l) => l.name === 'angio-training-rank-1');
      if (rank1?.pid) process.kill(rank1.pid, 'SIGKILL');
    }
  });
  const config = { method: 'supervised' as const, encoder: 'simple_cnn' as const, imageSize: 32, batchSize: 16, threads: 1, processes: 2, finetune: { epochs: 3, maxStepsPerEpoch: 4, patience: 5 } };
  const { runId } = service.start(config);
  await ctx.jobs.drain();
  assert.deepEqual(launched.map((l) => l.name), ['angio-training-rank-0', 'angio-training-rank-1']);
  assert.ok(killed, 'an epoch ended before the kill');
  const failed = service.get(runId);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error?.code, 'rank-lost', JSON.stringify(failed.error));
  assert.ok(existsSync(join(failed.runDir, 'checkpoint.pt')), 'rank 0 wrote a checkpoint before the kill');

  service.resume(runId);
  await ctx.jobs.drain();
  const run = service.get(runId);
  assert.equal(run.status, 'succeeded', `resumed run ended ${run.status}: ${JSON.stringify(run.error)}`);
  assert.equal(launched.length, 4, 'the resume started two ranks again');
  assert.ok(run.files?.model && existsSync(run.files.model));
  assert.ok((run.metrics as { valAuc: number }).valAuc >= 0);

  assert.throws(() => service.start({ ...config, batchSize: 15 }), { code: 'invalid-config' });
  const noLauncher = new TrainingService({ ...ctx, launchProcess: undefined });
  assert.throws(() => noLauncher.start(config), { code: 'processes-need-launcher' });
  await closeAppContext(ctx);
  rmSync(dataDir, { recursive: true });
});
