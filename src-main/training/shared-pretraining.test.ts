// An experiment pretrains once: a 'pretrain-only' run exports the SimCLR encoder, and 'skip-pretrain' runs of other
// heads (here SSL-Quantum) start from exactly those encoder and projector weights while keeping their own head.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { parseTrainingConfig } from './config.ts';
import { RUN_FILES, runTraining } from './driver.ts';
import { loadEngine, sessionSpecFor, type NamedArray } from './engine.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { loadTrainingData, padsdSource } from './training-data.ts';

const engine = loadEngine();
const config = parseTrainingConfig({ ...SMALL_RUN_CONFIG, method: 'ssl-classical' });
const quantumConfig = parseTrainingConfig({ ...SMALL_RUN_CONFIG, method: 'ssl-quantum', seed: 12 });
const preprocessing = preprocessingSpec(config.imageSize);

async function weightsAfterImport(path: string, parts?: ('encoder' | 'projector' | 'classifier')[]): Promise<Map<string, NamedArray>> {
  const session = new engine.TrainingSession(sessionSpecFor(quantumConfig, preprocessing));
  await session.importModel(path, parts);
  return new Map(session.parameters(true).map((p) => [p.name, p]));
}

test('pretrain-only exports the encoder; a run of another head starts from it without pretraining again', { timeout: 300_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-shared-pretrain-'));
  const data = loadTrainingData(padsdSource(sharedDataDir()), config, preprocessing);

  const pretraining = await runTraining({ engine, runDir: join(root, 'pretrain'), config, preprocessing, data, resume: true, stages: 'pretrain-only' });
  assert.equal(pretraining.status, 'completed');
  assert.deepEqual(pretraining.history.map((epoch) => epoch.stage), ['pretrain'], 'only the SimCLR stage ran');
  assert.equal(pretraining.metrics, undefined, 'a pretraining has no classifier metrics');
  const encoderFile = pretraining.files.model as string;

  const fresh = new Map(new engine.TrainingSession(sessionSpecFor(quantumConfig, preprocessing)).parameters(true).map((p) => [p.name, p]));
  const loaded = await weightsAfterImport(encoderFile, ['encoder', 'projector']);
  const stored = new Map((await (async () => {
    const session = new engine.TrainingSession(sessionSpecFor(config, preprocessing));
    await session.importModel(encoderFile);
    return session.parameters(true);
  })()).map((p) => [p.name, p]));
  let encoderTensors = 0;
  for (const [name, value] of loaded) {
    if (name.startsWith('encoder.') || name.startsWith('projector.')) {
      encoderTensors++;
      assert.deepEqual(value.values, stored.get(name)?.values, `${name} was not taken from the pretraining`);
    } else {
      assert.deepEqual(value.values, fresh.get(name)?.values, `${name} belongs to the new head and must keep its own initialisation`);
    }
  }
  assert.ok(encoderTensors > 4 && loaded.has('classifier.fusion.alpha'), 'the quantum head is present and the encoder was loaded');

  const finetuned = await runTraining({
    engine, runDir: join(root, 'quantum'), config: quantumConfig, preprocessing, data: { ...data, pretrain: null }, resume: true,
    stages: 'skip-pretrain', pretrainedModel: encoderFile,
  });
  assert.equal(finetuned.status, 'completed');
  assert.ok(!finetuned.history.some((epoch) => epoch.stage === 'pretrain'), 'no second pretraining');
  assert.ok(finetuned.metrics && finetuned.metrics.testAuc >= 0 && finetuned.metrics.testAuc <= 1);
  const meta = JSON.parse(readFileSync(join(root, 'quantum', RUN_FILES.result), 'utf8')) as { status: string };
  assert.equal(meta.status, 'completed');

  // A part the model does not have is the caller's mistake, refused before the file is read; a damaged file is the file's.
  await assert.rejects(weightsAfterImport(encoderFile, ['nothing-of-the-kind' as 'encoder']), {
    code: 'invalid-argument',
    message: /parts\[0\] is 'nothing-of-the-kind': use encoder, projector or classifier/,
  });
  const truncated = join(root, 'truncated.pt');
  writeFileSync(truncated, readFileSync(encoderFile).subarray(0, -64));
  await assert.rejects(weightsAfterImport(truncated, ['encoder', 'projector']), { code: 'checkpoint-corrupt' });
  rmSync(root, { recursive: true });
});
