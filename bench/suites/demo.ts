// End-to-end wall time of `npm run demo` (import, pretrain, fine-tune three models, evaluate, report), measured
// once: it is minutes long, so it runs only when asked for (`npm run bench -- demo`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src-main/app/paths.ts';
import type { Figure, SuiteOptions } from '../types.ts';

export async function demoSuite(options: SuiteOptions): Promise<Figure[]> {
  const started = performance.now();
  const output = mkdtempSync(join(tmpdir(), 'angio-bench-demo-'));
  const run = spawnSync(process.execPath, [join(projectRoot(), 'src-main', 'cli', 'demo.ts')], {
    encoding: 'utf8',
    env: { ...process.env, ANGIO_DEMO_OUTPUT: output, ...(options.smoke ? { ANGIO_DEMO_SMOKE: '1' } : {}) },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`the demo failed: ${run.stderr.slice(-2000)}`);
  const seconds = (performance.now() - started) / 1000;
  return [
    { name: 'npm run demo wall time (after setup)', unit: 's', values: [seconds], target: 5 * 60, higherIsBetter: false },
    { name: 'npm run demo SSL-Quantum test AUC (the speed may not cost accuracy)', unit: 'AUC', values: [sslQuantumTestAuc(output)], target: DEMO_TEST_AUC_BEFORE },
  ];
}

/** The demo's test AUC before the engine was made faster (pinned kernels, docs/results.md): the bar it must keep. */
const DEMO_TEST_AUC_BEFORE = 0.793;

function sslQuantumTestAuc(output: string): number {
  const metrics = JSON.parse(readFileSync(join(output, 'metrics.json'), 'utf8')) as { table: { models: { model: string; metrics: { rocAuc: { mean: number } } }[] } };
  const row = metrics.table.models.find((model) => model.model === 'SSL-Quantum');
  if (!row) throw new Error('the demo reported no SSL-Quantum row');
  return row.metrics.rocAuc.mean;
}
