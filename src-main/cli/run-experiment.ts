// Shared by `npm run experiment` and `npm run demo`: runs an experiment in this process with a progress bar
// and prints the comparison table at the end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../app/index.ts';
import { addShiftRobustness, type ExperimentConfig, type ExperimentOutputs, preflight, scoredSoFar, trainExperiment, writeExperimentOutputs, writeJsonAtomically } from '../experiments/index.ts';
import { AppError } from '../ipc/index.ts';
import { codeVersion, INFERENCE_MODEL_FILE, loadEngine } from '../training/index.ts';
import { printProgress } from './progress-bar.ts';

export async function runExperimentWithProgress(config: ExperimentConfig, outputDir: string): Promise<ExperimentOutputs> {
  const engine = loadEngine(projectRoot());
  const started = performance.now();
  console.log(`experiment "${config.title}": ${config.models.join(', ')} × seeds ${config.seeds.join(', ')} → ${outputDir}`);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.log('\ncancelling after the current step (checkpoints are kept; run again to resume)…');
    controller.abort();
  });
  const { counts, runs } = await trainExperiment(config, {
    engine,
    labeledRoot: config.dataset.labeledRoot,
    outputDir,
    signal: controller.signal,
    onProgress: (progress) => {
      if (!progress.training) return;
      const t = progress.training;
      const stage = `${progress.run}/${progress.runs} ${progress.model} s${progress.seed} ${t.stage}`;
      const auc = t.metrics?.valAuc !== undefined ? ` val AUC ${t.metrics.valAuc.toFixed(3)}` : t.metrics?.knnAuc !== undefined ? ` kNN AUC ${t.metrics.knnAuc.toFixed(3)}` : '';
      printProgress({ stage, done: t.step, total: t.stepsInEpoch, etaSeconds: t.etaSeconds, message: `epoch ${t.epoch}/${t.epochs} loss ${t.loss.toFixed(4)} ${t.imagesPerSecond.toFixed(0)} img/s${auc}` });
    },
  });
  for (const run of runs) {
    const modelFile = join(run.runDir, INFERENCE_MODEL_FILE);
    console.log(`  ${run.label} seed ${run.seed}: test AUC ${run.testAuc.toFixed(3)} (val ${run.valAuc.toFixed(3)}) in ${Math.round(run.seconds)} s${existsSync(modelFile) ? `; model file ${modelFile}` : ''}`);
  }
  const outputs = await writeExperimentOutputs(config, counts, runs, outputDir, codeVersion(projectRoot()));
  console.log(`\n${outputs.markdown}`);
  console.log(`wrote ${outputs.files.length} files to ${outputDir} in ${Math.round((performance.now() - started) / 1000)} s`);
  return outputs;
}

/** The report of the runs finished so far in `outputDir`, without training: the title says how many of the plan. */
export async function reportSoFar(config: ExperimentConfig, outputDir: string): Promise<ExperimentOutputs> {
  const { runs, planned } = scoredSoFar(config, outputDir);
  // Runs scored before the experiment asked for shift robustness get it now (scoring only, no training).
  for (const run of runs) if (await addShiftRobustness(config, run)) writeJsonAtomically(join(run.runDir, 'scored.json'), run);
  if (runs.length === 0) throw new AppError('experiment-nothing-finished', `No run of "${config.title}" has finished in ${outputDir} yet: run the experiment first (it resumes where it stopped).`);
  const partial = runs.length < planned ? { ...config, title: `${config.title} (partial: ${runs.length} of ${planned} runs finished)` } : config;
  const outputs = await writeExperimentOutputs(partial, preflight(config), runs, outputDir, codeVersion(projectRoot()));
  console.log(`${outputs.markdown}\nwrote the report of ${runs.length} of ${planned} runs to ${outputDir}`);
  return outputs;
}
