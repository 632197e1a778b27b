// Bad experiment configurations are refused with a clear reason before anything trains.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { parseExperimentConfig } from './config.ts';
import { preflight } from './preflight.ts';
import { planRuns } from './run-plan.ts';

const shared = sharedDataDir();

test('an unknown model is named in the error, with the models that exist', () => {
  assert.throws(
    () => parseExperimentConfig({ title: 't', dataset: { labeledRoot: 'p-adsd/labeled' }, models: ['ssl-quantum', 'vgg16'] }, shared),
    (error: Error & { code?: string }) => error.code === 'experiment-config-invalid' && /vgg16/.test(error.message) && /resnet18/.test(error.message),
  );
});

test('a missing dataset is refused before training', () => {
  const config = parseExperimentConfig({ title: 'missing', dataset: { labeledRoot: '/nonexistent/labeled' }, models: ['mobilenet_v2'] }, shared);
  assert.throws(() => preflight(config), (error: Error & { code?: string }) => error.code === 'experiment-dataset-invalid' && /\/nonexistent\/labeled\/train\/positive is missing/.test(error.message));
});

test('a test split with one class is refused before training', () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-experiment-'));
  const source = join(shared, 'p-adsd', 'labeled');
  for (const split of ['train', 'val', 'test']) {
    for (const label of ['positive', 'negative']) {
      const dir = join(root, split, label);
      mkdirSync(dir, { recursive: true });
      if (split === 'test' && label === 'negative') continue;
      for (const name of readdirSync(join(source, split, label)).slice(0, 2)) copyFileSync(join(source, split, label, name), join(dir, name));
    }
  }
  const config = parseExperimentConfig({ title: 'one class', dataset: { labeledRoot: root }, models: ['simple_cnn'] }, shared);
  assert.throws(() => preflight(config), /the test split has 2 positive and 0 negative images: it needs both classes/);
});

test('the shared P-ADSD set passes the preflight with its published counts', () => {
  const config = parseExperimentConfig({ title: 'p-adsd', dataset: { labeledRoot: 'p-adsd/labeled', unlabeledDir: 'p-adsd/unlabeled' }, models: ['ssl-quantum'] }, shared);
  const counts = preflight(config);
  assert.deepEqual(counts.splits, { train: { positive: 500, negative: 500 }, val: { positive: 150, negative: 150 }, test: { positive: 150, negative: 150 } });
  assert.equal(counts.unlabeled, 8000);
});

test('every model × seed gets parsed settings; an invalid setting fails before the first run', () => {
  const config = parseExperimentConfig(
    { title: 'plan', dataset: { labeledRoot: 'p-adsd/labeled' }, models: ['ssl-quantum', 'resnet18'], seeds: [1, 2], training: { imageSize: 64, finetune: { epochs: 3 } }, perModel: { resnet18: { finetune: { epochs: 5 } } } },
    shared,
  );
  const runs = planRuns(config);
  assert.deepEqual(runs.map((r) => `${r.model}:${r.seed}:${r.config.method}:${r.config.encoder}:${r.config.finetune.epochs}`), [
    'ssl-quantum:1:ssl-quantum:mobilenet_v2:3',
    'resnet18:1:supervised:resnet18:5',
    'ssl-quantum:2:ssl-quantum:mobilenet_v2:3',
    'resnet18:2:supervised:resnet18:5',
  ]);
  const bad = parseExperimentConfig({ title: 'bad', dataset: { labeledRoot: 'p-adsd/labeled' }, models: ['resnet18'], training: { batchSize: 1 } }, shared);
  assert.throws(() => planRuns(bad), (error: Error & { code?: string }) => error.code === 'experiment-config-invalid' && /batchSize/.test(error.message));
});
