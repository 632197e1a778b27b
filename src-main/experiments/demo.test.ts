// `npm run demo` end to end, as a user runs it: self-check, import of the P-ADSD patches, SSL-Quantum,
// SSL-no-quantum and MobileNetV2 trained on the demo budget, evaluation and the report folder. The SSL-Quantum
// model must reach a test AUC of at least 0.75 (chance is 0.5): the budget (two SimCLR epochs over all unlabelled
// patches, then three head epochs and eight gentle fine-tuning epochs) gives the pretrained encoder something to keep,
// where the earlier 40-step pretraining left the SSL models no better than supervised MobileNetV2 (~0.70).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../app/paths.ts';

test('the demo imports, trains three models, writes the report folder, and SSL-Quantum reaches test AUC ≥ 0.75', { timeout: 40 * 60_000 }, () => {
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
  assert.ok(auc['SSL-Quantum']! >= 0.75, `SSL-Quantum test AUC ${auc['SSL-Quantum']} is below 0.75`);
  assert.match(run.stdout, /\| SSL-Quantum \|/, 'the comparison table is printed');
  const predictions = readFileSync(join(output, 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(predictions.length, 1 + 300 * 3, 'one row per test image and run, plus the header');
  // What the quantum layer did, measured through the app's inference path (the experiment report's quantum analysis).
  const full = JSON.parse(readFileSync(join(output, 'metrics.json'), 'utf8')) as { quantumAnalysis: { alpha: number; aucWithQuantum: number; aucQuantumAblated: number; zPositive: number[] }[] };
  assert.equal(full.quantumAnalysis.length, 1, 'one SSL-Quantum run, one analysis');
  const analysis = full.quantumAnalysis[0]!;
  assert.ok(Number.isFinite(analysis.alpha) && analysis.zPositive.length === 8);
  assert.ok(Math.abs(analysis.aucWithQuantum - auc['SSL-Quantum']!) < 0.01, `inference-path AUC ${analysis.aucWithQuantum} vs the engine's ${auc['SSL-Quantum']}`);
  assert.match(readFileSync(join(output, 'comparison.md'), 'utf8'), /### Quantum analysis \(SSL-Quantum, test split\)/);

  // Every trained run can be opened: each wrote the app's model file, and the command the demo prints opens one.
  for (const model of ['ssl-quantum', 'ssl-classical', 'mobilenet_v2']) assert.ok(existsSync(join(output, 'runs', `${model}-seed1`, 'model.angio')), `${model} wrote no model.angio`);
  const printed = /^open it from the command line: npx angio (.+)$/m.exec(run.stdout)?.[1];
  assert.ok(printed, 'the demo prints the command that opens its model');
  const opened = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'angio.js'), ...printed.split(' '), '--json'], { encoding: 'utf8' });
  assert.equal(opened.status, 0, opened.stderr);
  assert.equal((JSON.parse(opened.stdout) as { kind: string }).kind, 'scan', 'the printed command scans a cine frame');

  // The report "so far" of a finished experiment is the same report, rebuilt from the runs on disk without training.
  const experimentCli = join(projectRoot(), 'src-main', 'cli', 'experiment.ts');
  const soFar = spawnSync(process.execPath, [experimentCli, join(projectRoot(), 'experiments', 'demo.json'), '--out', output, '--so-far'], { encoding: 'utf8' });
  assert.equal(soFar.status, 0, soFar.stderr);
  assert.match(soFar.stdout, /wrote the report of 3 of 3 runs/);
  const rebuilt = JSON.parse(readFileSync(join(output, 'metrics.json'), 'utf8')) as typeof metrics;
  assert.deepEqual(Object.fromEntries(rebuilt.table.models.map((m) => [m.model, m.metrics.rocAuc.mean])), auc);
  const empty = mkdtempSync(join(tmpdir(), 'angio-demo-empty-'));
  const nothing = spawnSync(process.execPath, [experimentCli, join(projectRoot(), 'experiments', 'demo.json'), '--out', empty, '--so-far'], { encoding: 'utf8' });
  assert.equal(nothing.status, 1);
  assert.match(nothing.stderr, /\[experiment-nothing-finished\] No run of .* has finished/);
  rmSync(empty, { recursive: true });
  rmSync(output, { recursive: true });
});
