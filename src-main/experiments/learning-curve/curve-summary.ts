// What a learning curve found, from the runs finished so far: mean test AUC per arm and label count with its
// interval, the paired SSL-Quantum − SSL (no quantum) test at every label count, and the qubit counts at the
// smallest label count with the one validation would choose.
import type { ConfidenceInterval } from '../../evaluation/index.ts';
import { machineLine } from '../../training/index.ts';
import { MODEL_CATALOG } from '../model-catalog.ts';
import type { LearningCurveConfig } from './curve-config.ts';
import { mainQubits } from './curve-plan.ts';
import type { EncoderRecord, ScoredCurveRun } from './curve-runner.ts';
import { type PooledAucComparison, pooledAucComparison, seedMeanAucInterval } from './seed-pooled-comparison.ts';

export interface CurvePoint {
  labels: number;
  arm: string;
  qubits: number | null;
  seeds: number[];
  valAuc: number[];
  testAuc: number[];
  meanValAuc: number;
  meanTestAuc: number;
  /** Sample sd over seeds (null with one seed). */
  sdTestAuc: number | null;
  /** Percentile bootstrap of the seed-mean test AUC, resampling the test images. */
  interval: ConfidenceInterval;
  epochScale: number;
  seconds: number[];
  /** SSL-Quantum runs ablated so far: the quantum path's own effect on the test AUC (quantum-ablation.ts). */
  ablation?: { runs: number; meanAlpha: number; aucChanges: number[]; meanAbsContribution: number };
}

export interface CurveComparison extends Omit<PooledAucComparison, 'perSeed'> {
  labels: number;
  perSeed: { seed: number; difference: number; low: number; high: number; pValue: number }[];
}

export interface LearningCurveResults {
  title: string;
  createdAt: string;
  planned: number;
  finished: number;
  /** Training and scoring time of the finished runs, summed (the encoder's pretraining not included). */
  trainingSeconds: number;
  encoder: EncoderRecord | null;
  machines: string[];
  labelCounts: number[];
  seeds: number[];
  stepFloorLabels: number;
  bootstrapReplicates: number;
  testImages: number;
  points: CurvePoint[];
  comparisons: CurveComparison[];
  qubits: { labels: number; points: CurvePoint[]; comparisons: CurveComparison[]; /** Qubits of the SSL-Quantum arm with the best mean validation AUC, among those with every seed finished. */
    chosenByValidation: number | null;
  } | null;
}

export const armName = (qubits: number | null) => (qubits === null ? MODEL_CATALOG['ssl-classical'].label : `${MODEL_CATALOG['ssl-quantum'].label} (${qubits} qubits)`);

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

function pointOf(runs: readonly ScoredCurveRun[], replicates: number): CurvePoint {
  const first = runs[0]!;
  return {
    labels: first.labels, arm: armName(first.qubits), qubits: first.qubits, seeds: runs.map((r) => r.seed),
    valAuc: runs.map((r) => r.valAuc), testAuc: runs.map((r) => r.testAuc), meanValAuc: mean(runs.map((r) => r.valAuc)), meanTestAuc: mean(runs.map((r) => r.testAuc)),
    sdTestAuc: sampleSd(runs.map((r) => r.testAuc)), interval: seedMeanAucInterval(runs, { replicates }), epochScale: first.epochScale, seconds: runs.map((r) => r.seconds),
    ...ablationOf(runs),
  };
}

function ablationOf(runs: readonly ScoredCurveRun[]): Pick<CurvePoint, 'ablation'> {
  const ablated = runs.flatMap((r) => (r.quantum ? [r.quantum] : []));
  if (ablated.length === 0) return {};
  return {
    ablation: {
      runs: ablated.length, meanAlpha: mean(ablated.map((a) => a.alpha)), aucChanges: ablated.map((a) => a.aucWithQuantum - a.aucQuantumAblated),
      meanAbsContribution: mean(ablated.map((a) => a.meanAbsContribution)),
    },
  };
}

function comparisonOf(quantum: readonly ScoredCurveRun[], classical: readonly ScoredCurveRun[], replicates: number): CurveComparison | null {
  const seeds = quantum.map((r) => r.seed).filter((seed) => classical.some((r) => r.seed === seed));
  if (seeds.length === 0) return null;
  const pick = (runs: readonly ScoredCurveRun[]) => seeds.map((seed) => runs.find((r) => r.seed === seed)!);
  const pooled = pooledAucComparison({ name: armName(quantum[0]!.qubits), runs: pick(quantum) }, { name: armName(null), runs: pick(classical) }, { replicates });
  return {
    ...pooled, labels: quantum[0]!.labels,
    perSeed: pooled.perSeed.map((pair, i) => ({ seed: seeds[i]!, difference: pair.deLong.difference, low: pair.bootstrapDifference.low, high: pair.bootstrapDifference.high, pValue: pair.deLong.pValue })),
  };
}

export function summariseCurve(curve: LearningCurveConfig, runs: readonly ScoredCurveRun[], planned: number, encoder: EncoderRecord | null): LearningCurveResults {
  const replicates = curve.bootstrapReplicates;
  const main = mainQubits(curve);
  const counts = [...new Set(curve.labelCounts)].sort((a, b) => a - b);
  const of = (labels: number, qubits: number | null) => runs.filter((r) => r.labels === labels && r.qubits === qubits).sort((a, b) => a.seed - b.seed);
  const points: CurvePoint[] = [];
  const comparisons: CurveComparison[] = [];
  for (const labels of counts) {
    for (const qubits of [main, null]) if (of(labels, qubits).length > 0) points.push(pointOf(of(labels, qubits), replicates));
    const compared = comparisonOf(of(labels, main), of(labels, null), replicates);
    if (compared) comparisons.push(compared);
  }
  let qubits: LearningCurveResults['qubits'] = null;
  const smallest = counts[0]!;
  const qubitCounts = [...new Set([...curve.qubitCounts, main])].sort((a, b) => a - b);
  if (curve.qubitCounts.length > 0) {
    const qPoints = [...qubitCounts, null].filter((q) => of(smallest, q).length > 0).map((q) => pointOf(of(smallest, q), replicates));
    const qComparisons = qubitCounts.flatMap((q) => comparisonOf(of(smallest, q), of(smallest, null), replicates) ?? []);
    // Validation decides; the test figures of every qubit count are shown, each scored once.
    const complete = qPoints.filter((p) => p.qubits !== null && p.seeds.length === curve.seeds.length);
    const best = complete.length > 0 ? complete.reduce((a, b) => (b.meanValAuc > a.meanValAuc ? b : a)) : null;
    qubits = { labels: smallest, points: qPoints, comparisons: qComparisons, chosenByValidation: best ? best.qubits : null };
  }
  return {
    title: curve.title, createdAt: new Date().toISOString(), planned, finished: runs.length, trainingSeconds: runs.reduce((s, r) => s + r.seconds, 0), encoder,
    machines: [...new Set(runs.map((r) => machineLine(r.machine)))], labelCounts: counts, seeds: curve.seeds, stepFloorLabels: curve.stepFloorLabels, bootstrapReplicates: replicates,
    testImages: runs[0]?.predictions.length ?? 0, points, comparisons, qubits,
  };
}
