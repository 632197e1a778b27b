// `npm run demo` end to end, as a user runs it: self-check, import of the P-ADSD patches, SSL-Quantum,
// SSL-no-quantum and MobileNetV2 trained on the demo budget, evaluation and the report folder. The SSL-Quantum
// model must reach a test AUC of at least 0.70 (chance is 0.5; a plain PyTorch build of the method reaches ~0.72).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../app/paths.ts';

test('the demo imports, trains three models, writes the report folder, and SSL-Quantum reaches test AUC ≥ 0.70', { timeout: 40 * 60_000 }, () => {
  const output = mkdtempSync(join(tmpdir(), 'angio-demo-test-'));
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(projectRoot(), 'src-main', 'cli', 'demo.ts')], {
    encoding: 'utf8',
    env: { ...process.env, ANGIO_DEMO_OUTPUT: output },
    maxBuffer: 256 * 1024 * 1024,
  });
  const minutes = (performance.now() - started) / 60_000;
  assert.equal(run.status, 0, `demo failed:\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-3000)}`);
  console.log(`demo took ${minutes.toFixed(1)} min`);

  for (const file of ['metrics.json', 'predictions.csv', 'comparison.md', 'experiment.json', 'report.pdf']) {
    assert.ok(existsSync(join(output, file)) && statSync(join(output, file)).size > 100, `${file} missing or empty`);
  }
  for (const figure of ['fig1-metric-bars', 'fig2-radar', 'fig3-confusion-matrices', 'fig4-roc-curves']) {
    for (const ext of ['svg', 'png']) assert.ok(statSync(join(output, 'figures', `${figure}.${ext}`)).size > 1000, `${figure}.${ext}`);
  }
  const metrics = JSON.parse(readFileSync(join(output, 'metrics.json'), 'utf8')) as { table: { images: number; models: { model: string; metrics: { rocAuc: { mean: number } } }[] } };
  assert.equal(metrics.table.images, 300, 'the whole labelled test split is scored');
  const auc = Object.fromEntries(metrics.table.models.map((m) => [m.model, m.metrics.rocAuc.mean]));
  console.log(`test AUC: ${JSON.stringify(auc)}`);
  assert.deepEqual(Object.keys(auc).sort(), ['MobileNetV2', 'SSL (no quantum)', 'SSL-Quantum']);
  assert.ok(auc['SSL-Quantum']! >= 0.7, `SSL-Quantum test AUC ${auc['SSL-Quantum']} is below 0.70`);
  assert.match(run.stdout, /\| SSL-Quantum \|/, 'the comparison table is printed');
  const predictions = readFileSync(join(output, 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(predictions.length, 1 + 300 * 3, 'one row per test image and run, plus the header');
  rmSync(output, { recursive: true });
});
