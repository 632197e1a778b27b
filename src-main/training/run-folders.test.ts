// Run folders from `npm run demo` / `npm run experiment` on the Training screen: a report folder lists each run that
// wrote model.angio (with the experiment's label, seed and AUCs), a single run folder lists itself, opening is
// remembered across restarts of the store, and a folder without a model file is refused with a way on.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../store/index.ts';
import { INFERENCE_MODEL_FILE, openRunFolder, readRunFolder, rememberedRunFolders } from './index.ts';

function reportFolder(root: string): string {
  const out = join(root, 'demo-output');
  const run = (name: string, files: Record<string, unknown>) => {
    mkdirSync(join(out, 'runs', name), { recursive: true });
    for (const [file, value] of Object.entries(files)) writeFileSync(join(out, 'runs', name, file), typeof value === 'string' ? value : JSON.stringify(value));
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'metrics.json'), JSON.stringify({ title: 'Demo: SSL-Quantum vs SSL (no quantum) vs MobileNetV2' }));
  run('ssl-quantum-seed1', { [INFERENCE_MODEL_FILE]: 'model bytes', 'scored.json': { label: 'SSL-Quantum', seed: 1, testAuc: 0.793, valAuc: 0.81 } });
  run('mobilenet_v2-seed1', { [INFERENCE_MODEL_FILE]: 'model bytes', 'result.json': { metrics: { testAuc: 0.65, valAuc: 0.7 } } });
  run('pretrain-0123456789', { 'model.pt': 'encoder only' });
  return out;
}

test('a report folder lists the runs that wrote model.angio, with what the experiment recorded of them', () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-run-folders-'));
  try {
    const folder = readRunFolder(reportFolder(root));
    assert.equal(folder.problem, null);
    assert.equal(folder.title, 'Demo: SSL-Quantum vs SSL (no quantum) vs MobileNetV2');
    assert.deepEqual(folder.runs.map((r) => [r.name, r.label, r.seed, r.testAuc, r.valAuc]), [
      ['mobilenet_v2-seed1', 'mobilenet_v2-seed1', null, 0.65, 0.7],
      ['ssl-quantum-seed1', 'SSL-Quantum', 1, 0.793, 0.81],
    ]);
    assert.equal(folder.runs[1]!.modelPath, join(root, 'demo-output', 'runs', 'ssl-quantum-seed1', INFERENCE_MODEL_FILE));
    // Its runs/ folder and a single run folder list the same runs.
    assert.deepEqual(readRunFolder(join(root, 'demo-output', 'runs')).runs.map((r) => r.name), ['mobilenet_v2-seed1', 'ssl-quantum-seed1']);
    assert.deepEqual(readRunFolder(join(root, 'demo-output', 'runs', 'ssl-quantum-seed1')).runs.map((r) => r.label), ['SSL-Quantum']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('an opened folder is remembered across restarts; one without a model file is refused; one that went away says so', () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-run-folders-'));
  const dataDir = join(root, 'data');
  try {
    const out = reportFolder(root);
    const single = join(out, 'runs', 'ssl-quantum-seed1');
    let store = openStore(dataDir);
    assert.deepEqual(rememberedRunFolders(store), []);
    openRunFolder(store, out);
    assert.deepEqual(openRunFolder(store, single).map((f) => f.path), [single, out], 'newest first');
    store.close();
    store = openStore(dataDir);
    assert.deepEqual(rememberedRunFolders(store).map((f) => f.path), [single, out]);

    const empty = join(root, 'empty');
    mkdirSync(empty);
    assert.throws(() => openRunFolder(store, empty), (error: { code?: string; message: string }) => error.code === 'run-folder-empty' && /No run in .*empty has written model\.angio yet/.test(error.message));
    assert.throws(() => openRunFolder(store, join(root, 'nowhere')), { code: 'run-folder-empty' });
    assert.equal(rememberedRunFolders(store).length, 2, 'a refused folder is not remembered');

    rmSync(single, { recursive: true });
    const [gone, kept] = rememberedRunFolders(store);
    assert.match(gone!.problem ?? '', /is not a folder \(any more\)/);
    assert.deepEqual(kept!.runs.map((r) => r.name), ['mobilenet_v2-seed1']);
    store.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
