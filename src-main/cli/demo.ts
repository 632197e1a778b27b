// `npm run demo`: the main job, headless, on the bundled data (../shared/data). It grows with the capabilities:
// today it runs the self-check of every component through the same job runner and events the UI uses.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { runSelfCheck } from '../diagnostics/self-check.ts';
import { readSystemInfo } from '../system/system-info.ts';
import { printProgress } from './progress-bar.ts';

const dataDir = process.env.ANGIO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'angio-demo-'));
const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
const info = readSystemInfo(ctx);
console.log(`${info.appName} ${info.appVersion} on Node ${info.nodeVersion}; data ${dataDir}; shared data ${info.sharedDataDir}`);

ctx.bus.subscribe((event, payload) => {
  if (event === 'job.progress') printProgress(payload as { stage: string; done: number; total: number; message?: string });
  if (event === 'diagnostics.check') {
    const check = payload as { name: string; ok: boolean; detail: string };
    console.log(`  ${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
  }
});

const finished = new Promise<{ status: string; result?: unknown }>((resolve) =>
  ctx.bus.subscribe((event, payload) => event === 'job.finished' && resolve(payload as { status: string; result?: unknown })),
);
ctx.jobs.start('diagnostics', (job) => runSelfCheck(ctx, job, 0));
const outcome = await finished;
await closeAppContext(ctx);
const summary = outcome.result as { passed: number; failed: number } | undefined;
console.log(`self-check ${outcome.status}: ${summary?.passed ?? 0} passed, ${summary?.failed ?? 0} failed`);
process.exit(outcome.status === 'succeeded' && summary?.failed === 0 ? 0 : 1);
