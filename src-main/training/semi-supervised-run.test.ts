// Semi-supervised fine-tuning through the training driver on the real P-ADSD folders: each fine-tuning epoch
// records its pseudo-label share, a run stopped mid-fine-tuning resumes to the same result as one never stopped,
// and a run without an unlabelled pool is refused with a sentence that says what to change.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import type { TrainingConfigInput } from './config.ts';
import type { EpochRecord } from './driver.ts';
import { executeRun } from './run-job.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const config: TrainingConfigInput = {
  ...SMALL_RUN_CONFIG,
  finetune: { ...SMALL_RUN_CONFIG.finetune, unlabeledConsistency: { weight: 1, threshold: 0.6, ratio: 2 } },
};

const withoutSeconds = (history: EpochRecord[]) => history.map(({ seconds: _seconds, ...rest }) => rest);

test('fine-tuning epochs record their pseudo-label share, and a stopped run resumes to the same result', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-fixmatch-run-'));
  try {
    const source = padsdSource(sharedDataDir());
    const straight = await executeRun({ runDir: join(root, 'straight'), config, source, resume: false }, new AbortController().signal, () => {});
    assert.equal(straight.status, 'completed');
    const finetuneEpochs = straight.history.filter((epoch) => epoch.stage === 'finetune');
    assert.ok(finetuneEpochs.length > 0);
    for (const epoch of finetuneEpochs) {
      assert.ok(epoch.pseudoLabelShare !== undefined && epoch.pseudoLabelShare >= 0 && epoch.pseudoLabelShare <= 1, `share ${epoch.pseudoLabelShare}`);
    }
    assert.ok(straight.history.filter((epoch) => epoch.stage !== 'finetune').every((epoch) => epoch.pseudoLabelShare === undefined));

    const stopper = new AbortController();
    const stoppedDir = join(root, 'stopped');
    // Every step reports (interval 0); stopping after step 3 of 6 checkpoints mid-epoch, pseudo-label sum included.
    const stopped = await executeRun({ runDir: stoppedDir, config, source, resume: false, progressIntervalMs: 0 }, stopper.signal, (p) => {
      if (p.kind === 'step' && p.stage === 'finetune' && p.epoch === 2 && p.step === 3) stopper.abort();
    });
    assert.equal(stopped.status, 'cancelled', 'stopped in the middle of the second fine-tuning epoch');
    const resumed = await executeRun({ runDir: stoppedDir, config, source, resume: true }, new AbortController().signal, () => {});
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(withoutSeconds(resumed.history), withoutSeconds(straight.history), 'same epochs, losses, AUCs and pseudo-label shares');
    assert.deepEqual(resumed.metrics, straight.metrics);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('semi-supervised fine-tuning without an unlabelled pool is refused before training', async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-fixmatch-nopool-'));
  try {
    const noPool: TrainingConfigInput = { ...config, pretrain: { ...SMALL_RUN_CONFIG.pretrain, epochs: 0 } };
    await assert.rejects(
      executeRun({ runDir: root, config: noPool, source: padsdSource(sharedDataDir()), resume: false }, new AbortController().signal, () => {}),
      (error: Error & { code?: string }) => error.code === 'training-config-invalid' && /unlabelled pool/.test(error.message),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
