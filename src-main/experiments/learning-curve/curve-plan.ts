// The runs of a learning curve: SSL-Quantum and SSL without the quantum layer at every label count and seed, and
// SSL-Quantum with each other qubit count at the smallest label count. Ordered so that a curve stopped part-way
// has what matters most: every seed of the smallest label count and its qubit counts first, then the next small
// counts with every seed, then the larger counts seed by seed.
import { AppError } from '../../ipc/index.ts';
import { TrainingConfigSchema, type TrainingConfig } from '../../training/index.ts';
import { MODEL_CATALOG } from '../model-catalog.ts';
import { mergeSettings } from '../run-plan.ts';
import type { LearningCurveConfig } from './curve-config.ts';

export type CurveArm = 'ssl-quantum' | 'ssl-classical';

export interface CurveRun {
  /** Folder name and key: n50-seed0-ssl-quantum-q8, n50-seed0-ssl-classical. */
  id: string;
  labels: number;
  seed: number;
  arm: CurveArm;
  /** Qubits of an SSL-Quantum run; null for SSL without the quantum layer. */
  qubits: number | null;
  /** How many times the base epochs are repeated (curve-config.ts, stepFloorLabels). */
  epochScale: number;
  config: TrainingConfig;
}

/** The label counts run with every seed before the larger ones start. */
const SMALL_COUNTS_FIRST = 3;

export function epochScaleFor(labels: number, stepFloorLabels: number): number {
  return stepFloorLabels > labels ? Math.ceil(stepFloorLabels / labels) : 1;
}

function runConfig(curve: LearningCurveConfig, arm: CurveArm, labels: number, seed: number, qubits: number | null): { config: TrainingConfig; epochScale: number } {
  const base = curve.base;
  const layers = [base.training, curve.training, base.perModel[arm] ?? {}, MODEL_CATALOG[arm].training, qubits === null ? {} : { quantum: { qubits } }];
  const merged = mergeSettings(...(layers as Record<string, unknown>[]));
  const parsed = TrainingConfigSchema.safeParse({ ...merged, seed });
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError('experiment-config-invalid', `The training settings of the learning curve are invalid: ${reasons}. Nothing was trained.`);
  }
  const epochScale = epochScaleFor(labels, curve.stepFloorLabels);
  const ft = parsed.data.finetune;
  const finetune = { ...ft, headEpochs: ft.headEpochs * epochScale, epochs: ft.epochs * epochScale, patience: ft.patience * epochScale };
  return { config: { ...parsed.data, finetune }, epochScale };
}

/** The SSL-Quantum qubit count of the curve's main arm: the experiment's own setting. */
export function mainQubits(curve: LearningCurveConfig): number {
  return runConfig(curve, 'ssl-quantum', Math.max(...curve.labelCounts), curve.seeds[0]!, null).config.quantum.qubits;
}

export function planCurveRuns(curve: LearningCurveConfig): CurveRun[] {
  const counts = [...new Set(curve.labelCounts)].sort((a, b) => a - b);
  const qubits = mainQubits(curve);
  const make = (labels: number, seed: number, arm: CurveArm, q: number | null): CurveRun => ({
    id: `n${labels}-seed${seed}-${arm}${q === null ? '' : `-q${q}`}`, labels, seed, arm, qubits: q, ...runConfig(curve, arm, labels, seed, q),
  });
  const pair = (labels: number, seed: number) => [make(labels, seed, 'ssl-quantum', qubits), make(labels, seed, 'ssl-classical', null)];
  const runs: CurveRun[] = [];
  for (const seed of curve.seeds) runs.push(...pair(counts[0]!, seed));
  for (const q of curve.qubitCounts.filter((q) => q !== qubits)) for (const seed of curve.seeds) runs.push(make(counts[0]!, seed, 'ssl-quantum', q));
  for (const labels of counts.slice(1, SMALL_COUNTS_FIRST)) for (const seed of curve.seeds) runs.push(...pair(labels, seed));
  for (const seed of curve.seeds) for (const labels of counts.slice(SMALL_COUNTS_FIRST)) runs.push(...pair(labels, seed));
  return runs;
}
