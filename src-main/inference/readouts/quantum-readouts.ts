// How much the quantum layer changed a score, without claiming an additive split: the score with the actual q
// against the score with q replaced by its training-set mean, and the same per qubit (only qubit j replaced).
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';

export interface QuantumReadout {
  /** ⟨Z_q⟩ per qubit. */
  expectations: number[];
  /** P(stenosis) with every ⟨Z_q⟩ at its training mean. */
  baselineProbability: number;
  /** probability − baselineProbability. */
  contribution: number;
  /** Per qubit: probability − P(stenosis) with only that qubit at its training mean. */
  ablationDeltas: number[];
}

/**
 * For each of `batch` samples (features h, expectations q), runs the head once on 1 + Q counterfactual rows:
 * all-baseline, then one qubit at a time. `probability` are the samples' actual scores.
 */
export async function quantumReadouts(runtime: ClassifierRuntime, h: Float32Array, q: Float32Array, probability: Float32Array, batch: number): Promise<QuantumReadout[]> {
  const Q = runtime.qubits;
  const F = runtime.featureDim;
  const qMean = runtime.manifest.training.qMean!;
  const rows = batch * (1 + Q);
  const hRows = new Float32Array(rows * F);
  const qRows = new Float32Array(rows * Q);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r <= Q; r++) {
      const row = b * (1 + Q) + r;
      hRows.set(h.subarray(b * F, (b + 1) * F), row * F);
      for (let j = 0; j < Q; j++) {
        // r = 0: all qubits at baseline; r = j + 1: only qubit j at baseline.
        const ablated = r === 0 || r === j + 1;
        qRows[row * Q + j] = ablated ? qMean[j]! : q[b * Q + j]!;
      }
    }
  }
  const scores = await runtime.head(hRows, qRows, rows);
  return Array.from({ length: batch }, (_, b) => {
    const actual = probability[b]!;
    const baseline = scores[b * (1 + Q)]!;
    return {
      expectations: Array.from(q.subarray(b * Q, (b + 1) * Q)),
      baselineProbability: baseline,
      contribution: actual - baseline,
      ablationDeltas: Array.from({ length: Q }, (_, j) => actual - scores[b * (1 + Q) + 1 + j]!),
    };
  });
}

const two = (p: number): string => p.toFixed(2);

/** The layer's effect with as many digits as it takes to show one: "0.52 to 0.52" says nothing. */
function quantumMove(baseline: number, probability: number): string {
  if (two(baseline) !== two(probability)) return `The quantum layer moved the score from ${two(baseline)} to ${two(probability)}`;
  const change = probability - baseline;
  if (Math.abs(change) < 0.00005) return `The quantum layer changed nothing measurable: the score stays at ${probability.toFixed(4)}`;
  return `The quantum layer moved the score from ${baseline.toFixed(4)} to ${probability.toFixed(4)} (${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(4)})`;
}

/** One sentence a cardiologist can read next to the image. */
export function plainLanguage(probability: number, threshold: number, quantum: QuantumReadout | null): string {
  const decision = probability >= threshold ? 'stenosis' : 'no stenosis';
  const head = `Stenosis probability ${two(probability)}, read as ${decision} at the model's threshold of ${two(threshold)}.`;
  if (!quantum) return `${head} This model has no quantum layer.`;
  const moved = quantumMove(quantum.baselineProbability, probability);
  let strongest = 0;
  quantum.ablationDeltas.forEach((d, j) => {
    if (Math.abs(d) > Math.abs(quantum.ablationDeltas[strongest]!)) strongest = j;
  });
  const delta = quantum.ablationDeltas[strongest]!;
  const qubit = Math.abs(delta) >= 0.005 ? `; qubit ${strongest} mattered most (${delta >= 0 ? '+' : '−'}${two(Math.abs(delta))})` : '';
  return `${head} ${moved} compared with its average training-set output${qubit}.`;
}
