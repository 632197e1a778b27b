// End to end on the real data: the product pipeline (SimCLR pretraining with the kNN monitor, frozen-encoder
// head stage, fine-tuning with the hybrid quantum head, early stopping, Youden threshold on validation) on P-ADSD
// at 64 px, in a budget of about five minutes on two cores, must separate stenosis from no stenosis on the
// untouched test split: AUC ≥ 0.65.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { executeRun } from './run-job.ts';
import { padsdSource } from './training-data.ts';

export const E2E_CONFIG = {
  method: 'ssl-quantum' as const,
  encoder: 'mobilenet_v2' as const,
  imageSize: 64,
  batchSize: 32,
  seed: 1,
  threads: 2,
  pretrain: { epochs: 1, maxStepsPerEpoch: 30, warmupSteps: 5, unlabeledLimit: 2000 },
  // With only a short pretraining budget the whole encoder is fine-tuned (19 blocks), at the full rate.
  finetune: { headEpochs: 1, epochs: 6, trainableBlocks: 19, encoderLrScale: 1, learningRate: 2e-3, patience: 3 },
};

test('SSL-quantum MobileNetV2 on P-ADSD 64 px reaches test AUC ≥ 0.65 in about five minutes', { timeout: 900_000 }, async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'angio-padsd-'));
  const started = performance.now();
  const epochs: string[] = [];
  const result = await executeRun({ runDir, config: E2E_CONFIG, source: padsdSource(sharedDataDir()), resume: false }, new AbortController().signal, (p) => {
    if (p.kind === 'epoch') epochs.push(`${p.stage} ${p.epoch}: loss ${p.loss.toFixed(3)} ${JSON.stringify(p.metrics)} ${p.imagesPerSecond.toFixed(1)} img/s`);
  });
  const minutes = (performance.now() - started) / 60_000;
  console.log(epochs.join('\n'));
  console.log(`test AUC ${result.metrics?.testAuc.toFixed(3)}, val AUC ${result.metrics?.valAuc.toFixed(3)}, threshold ${JSON.stringify(result.metrics?.threshold)}, ${minutes.toFixed(1)} min`);
  assert.equal(result.status, 'completed');
  assert.ok((result.metrics?.testAuc ?? 0) >= 0.65, `test AUC ${result.metrics?.testAuc} is below 0.65`);
  rmSync(runDir, { recursive: true });
});
