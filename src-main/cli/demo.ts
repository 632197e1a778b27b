// `npm run demo`: the main job, headless, on the bundled data (../shared/data): check the components, import the
// P-ADSD patches into a de-identified store, then pretrain and fine-tune SSL-Quantum, SSL without the quantum layer
// and supervised MobileNetV2 (experiments/demo.json), evaluate them on the test split and write the report folder.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AppContext, closeAppContext, createAppContext, projectRoot, sharedDataDir } from '../app/index.ts';
import { runSelfCheck } from '../diagnostics/index.ts';
import { experimentPins, readExperimentConfig, scoredSoFar } from '../experiments/index.ts';
import { IngestService } from '../ingest/index.ts';
import { readSystemInfo } from '../system/index.ts';
import { INFERENCE_MODEL_FILE, relaunchPinned, reproduciblePins } from '../training/index.ts';
import { printProgress } from './progress-bar.ts';
import { runExperimentWithProgress } from './run-experiment.ts';

/** Starts a job, draws its progress, and resolves with its outcome. */
function followJob(ctx: AppContext, start: () => string): Promise<{ status: string; result?: unknown; error?: { message: string } }> {
  return new Promise((done) => {
    let jobId = '';
    const stop = ctx.bus.subscribe((event, payload) => {
      const job = payload as { jobId: string; stage: string; done: number; total: number; message?: string; etaSeconds?: number | null; status: string; result?: unknown; error?: { message: string } };
      if (job.jobId !== jobId) return;
      if (event === 'job.progress') printProgress(job);
      if (event === 'job.finished') {
        stop();
        done(job);
      }
    });
    jobId = start();
  });
}

const root = projectRoot();
const demoConfig = readExperimentConfig(join(root, 'experiments', 'demo.json'), sharedDataDir());
// The self-check below loads libtorch: a reproducible demo must have its kernel pins in the environment first.
const reproducible = experimentPins(demoConfig);
if (reproducible) await relaunchPinned(reproduciblePins(reproducible.threads));
const dataDir = resolve(process.env.ANGIO_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'angio-demo-')));
const outputDir = resolve(process.env.ANGIO_DEMO_OUTPUT ?? join(root, 'demo-output'));
const ctx = createAppContext({ appRoot: root, dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
const info = readSystemInfo(ctx);
console.log(`${info.appName} ${info.appVersion} on Node ${info.nodeVersion}; data ${dataDir}; shared data ${info.sharedDataDir}`);

try {
  const check = await followJob(ctx, () => ctx.jobs.start('diagnostics', (job) => runSelfCheck(ctx, job, 0)));
  const checks = check.result as { passed: number; failed: number } | undefined;
  if (check.status !== 'succeeded' || checks?.failed !== 0) throw new Error(`self-check: ${checks?.failed ?? '?'} component(s) failed; run \`npm run setup\``);

  console.log('\nimporting the P-ADSD patches (labelled and unlabelled) into the de-identified store…');
  const ingest = new IngestService(ctx);
  const imported = await followJob(ctx, () => ingest.importFolder({ root: join(info.sharedDataDir, 'p-adsd') }));
  if (imported.status !== 'succeeded') throw new Error(`import ${imported.status}: ${imported.error?.message ?? ''}`);
  console.log(`imported: ${JSON.stringify(imported.result)}`);

  await runExperimentWithProgress(demoConfig, outputDir);
  console.log(`report folder: ${outputDir}`);
  // The first configured model (SSL-Quantum) is the one to open: the Viewer's "Model file" field or the CLI take it.
  const modelFile = scoredSoFar(demoConfig, outputDir).runs.map((run) => join(run.runDir, INFERENCE_MODEL_FILE)).find((path) => existsSync(path));
  if (!modelFile) throw new Error(`no run in ${outputDir} wrote ${INFERENCE_MODEL_FILE}`);
  console.log(`model file to open (Viewer: "Model file"): ${modelFile}`);
  console.log(`open it from the command line: npx angio predict ${join(info.sharedDataDir, 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm')} --frame 40 --model ${modelFile}`);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(`\ndemo failed: ${code ? `[${code}] ` : ''}${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeAppContext(ctx);
}
