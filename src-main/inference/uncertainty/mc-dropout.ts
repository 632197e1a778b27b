// MC-dropout uncertainty: the encoder and quantum layer run once, the head T times with seeded dropout masks
// (keep/(1−p) or 0 per hidden unit, as nn.Dropout in training). The spread of the T scores is the uncertainty;
// their mutual information (BALD) separates model doubt from an honestly 50/50 image.
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { seededRandom as sharedSeededRandom } from '../../random/index.ts';

export interface McDropoutResult {
  /** Per sample: mean and standard deviation of P(stenosis) over the T passes. */
  mean: Float32Array;
  std: Float32Array;
  /** Mutual information between prediction and weights (nats): entropy of the mean minus mean entropy. */
  bald: Float32Array;
  /** Encoder features, batch × F (for diversity in the labelling ranking). */
  h: Float32Array;
}

/** The project's one seeded generator (mulberry32, src-main/random): the same seed gives the same sequence. */
export function seededUniform(seed: number): () => number {
  return sharedSeededRandom(seed).next;
}

const entropy = (p: number): number => {
  const clipped = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return -(clipped * Math.log(clipped) + (1 - clipped) * Math.log(1 - clipped));
};

export async function mcDropout(runtime: ClassifierRuntime, images: Float32Array, batch: number, passes = 20, seed = 0): Promise<McDropoutResult> {
  const { h, u } = await runtime.encode(images, batch);
  const q = u ? await runtime.expectations(u) : null;
  return mcDropoutOfFeatures(runtime, h, q, batch, passes, seed);
}

/**
 * The same from an encoding already at hand (features h, batch × F, and expectations q, batch × Q): the T passes
 * go through the head as one batch of T × batch rows. Equal to mcDropout on the images that gave h and q.
 */
export async function mcDropoutOfFeatures(runtime: ClassifierRuntime, h: Float32Array, q: Float32Array | null, batch: number, passes = 20, seed = 0): Promise<McDropoutResult> {
  const F = runtime.featureDim;
  const Q = runtime.qubits;
  const H = runtime.manifest.architecture.classifierHidden;
  const p = runtime.manifest.architecture.dropout;
  const random = seededUniform(seed);
  const rows = batch * passes;
  const hRows = new Float32Array(rows * F);
  const qRows = q ? new Float32Array(rows * Q) : null;
  const keep = new Float32Array(rows * H);
  for (let t = 0; t < passes; t++) {
    hRows.set(h, t * batch * F);
    if (qRows) qRows.set(q!, t * batch * Q);
  }
  for (let i = 0; i < keep.length; i++) keep[i] = random() >= p ? 1 / (1 - p) : 0;
  const scores = await runtime.head(hRows, qRows, rows, keep);
  const mean = new Float32Array(batch);
  const std = new Float32Array(batch);
  const bald = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    let squares = 0;
    let meanEntropy = 0;
    for (let t = 0; t < passes; t++) {
      const s = scores[t * batch + b]!;
      sum += s;
      squares += s * s;
      meanEntropy += entropy(s) / passes;
    }
    mean[b] = sum / passes;
    std[b] = Math.sqrt(Math.max(0, squares / passes - mean[b]! ** 2));
    bald[b] = Math.max(0, entropy(mean[b]!) - meanEntropy);
  }
  return { mean, std, bald, h };
}
