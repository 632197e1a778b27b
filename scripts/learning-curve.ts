// The learning curve of docs/results.md ("The quantum question"): SSL-Quantum vs SSL without the quantum layer at
// each label count and seed, fine-tuned from one SimCLR encoder, paired tests per point, qubit counts at the
// smallest label count. Resumable: run it again and it continues at the run in progress.
// Usage: node scripts/learning-curve.ts [experiments/learning-curve.json] [--out <folder>] [--encoder <model.pt>]
//        [--so-far] [--ablate] [--results docs/results.md]
// --encoder fine-tunes an existing SimCLR encoder (a pretraining's model.pt) instead of pretraining once here;
// --so-far trains nothing and writes the report of the runs finished so far; --ablate adds, to every finished
// SSL-Quantum run not yet ablated, its test AUC with the qubit expectations held at their training mean; --results
// also writes the table, figure and JSON into that Results page (between its learning-curve markers).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, sharedDataDir } from '../src-main/app/index.ts';
import { printProgress } from '../src-main/cli/progress-bar.ts';
import { planCurveRuns, readLearningCurveConfig, trainLearningCurve } from '../src-main/experiments/learning-curve/index.ts';
import { loadEngine, relaunchPinned, reproduciblePins } from '../src-main/training/index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, encoder: { type: 'string' }, 'so-far': { type: 'boolean', default: false }, ablate: { type: 'boolean', default: false }, results: { type: 'string' } },
});
try {
  const curve = readLearningCurveConfig(positionals[0] ?? join(projectRoot(), 'experiments', 'learning-curve.json'), sharedDataDir());
  const outputDir = resolve(values.out ?? join(projectRoot(), 'experiment-output', 'learning-curve'));
  const first = planCurveRuns(curve)[0]!;
  if (!values['so-far']) {
    if (first.config.reproducible) await relaunchPinned(reproduciblePins(first.config.threads));
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    const started = performance.now();
    const { runs } = await trainLearningCurve(curve, {
      engine: loadEngine(projectRoot()), outputDir, encoder: values.encoder ? resolve(values.encoder) : undefined, signal: controller.signal,
      onProgress: (p) => {
        if (!p.training) return console.log(`run ${p.run}/${p.runs} ${p.id}`);
        const t = p.training;
        const auc = t.metrics?.valAuc !== undefined ? ` val AUC ${t.metrics.valAuc.toFixed(3)}` : '';
        printProgress({ stage: `${p.id} ${t.stage}`, done: t.step, total: t.stepsInEpoch, etaSeconds: t.etaSeconds, message: `epoch ${t.epoch}/${t.epochs} loss ${t.loss.toFixed(4)}${auc}` });
      },
    });
    for (const run of runs) console.log(`  ${run.id}: test AUC ${run.testAuc.toFixed(3)} (val ${run.valAuc.toFixed(3)}, ${run.epochsRun} epochs, ${Math.round(run.seconds)} s)`);
    console.log(`trained in ${Math.round((performance.now() - started) / 1000)} s`);
  }
  // Loaded here, after training, so a long run only needs the report code when it gets there.
  const { ablateQuantumRuns, writeCurveReport } = await import('../src-main/experiments/learning-curve/index.ts');
  if (values.ablate) {
    const count = await ablateQuantumRuns(curve, outputDir, loadEngine(projectRoot()), (id) => console.log(`ablating the quantum path of ${id}`));
    console.log(`ablated ${count} SSL-Quantum runs`);
  }
  const report = await writeCurveReport(curve, outputDir, values.results ? resolve(values.results) : undefined);
  console.log(`\n${report.markdown}\nwrote ${report.files.join(', ')}`);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(`\n${code ? `[${code}] ` : ''}${(error as Error).message}`);
  process.exit(1);
}
