// Inside each finished SSL-Quantum run of a curve: the test AUC with every qubit expectation ⟨Z_q⟩ replaced by its
// mean over the run's own training labels (the experiment report's ablation), so a difference between the arms can
// be told apart from one the quantum path itself makes. Added to the run's scored.json; runs already done are kept.
import { join } from 'node:path';
import { preprocessingSpec } from '../../preprocessing/index.ts';
import { type EngineAddon, loadTrainingData } from '../../training/index.ts';
import { analyseQuantumRun } from '../quantum-analysis.ts';
import { writeJsonAtomically } from '../runner.ts';
import type { LearningCurveConfig } from './curve-config.ts';
import { planCurveRuns } from './curve-plan.ts';
import { curveRunsSoFar, scoredPath, subsetOf } from './curve-runner.ts';
import { nestedStratifiedSubsets } from './label-subsets.ts';
import { armName } from './curve-summary.ts';

export interface QuantumAblation {
  alpha: number;
  aucWithQuantum: number;
  aucQuantumAblated: number;
  meanAbsContribution: number;
}

export async function ablateQuantumRuns(curve: LearningCurveConfig, outputDir: string, engine: EngineAddon, onRun?: (id: string) => void): Promise<number> {
  const pending = curveRunsSoFar(curve, outputDir).runs.filter((run) => run.arm === 'ssl-quantum' && !run.quantum);
  if (pending.length === 0) return 0;
  const plan = new Map(planCurveRuns(curve).map((run) => [run.id, run]));
  const first = plan.get(pending[0]!.id)!;
  const labelled = loadTrainingData(curve.base.dataset, { ...first.config, method: 'supervised' }, preprocessingSpec(first.config.imageSize, first.config.input));
  for (const run of pending) {
    onRun?.(run.id);
    const planned = plan.get(run.id)!;
    const train = subsetOf(labelled.train, nestedStratifiedSubsets(labelled.train.labels!, curve.labelCounts, run.seed).get(run.labels)!, planned.config.imageSize);
    const asExperimentRun = { model: 'ssl-quantum' as const, label: armName(run.qubits), seed: run.seed, config: planned.config };
    const analysis = await analyseQuantumRun(engine, asExperimentRun, join(outputDir, 'runs', run.id, 'model.pt'), run.threshold, { train, test: labelled.test });
    const quantum: QuantumAblation = { alpha: analysis.alpha, aucWithQuantum: analysis.aucWithQuantum, aucQuantumAblated: analysis.aucQuantumAblated, meanAbsContribution: analysis.meanAbsContribution };
    writeJsonAtomically(scoredPath(outputDir, run.id), { ...run, quantum });
  }
  return pending.length;
}
