// End-to-end wall time of `npm run demo` (import, pretrain, fine-tune three models, evaluate, report), measured
// once: it is minutes long, so it runs only when asked for (`npm run bench -- demo`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
  return [{ name: 'npm run demo wall time (after setup)', unit: 's', values: [(performance.now() - started) / 1000], target: 15 * 60, higherIsBetter: false }];
}
