// Eval-mode BatchNorm folded into the preceding convolution or linear layer: y = s·(Wx + b − μ) + β with
// s = γ/√(σ² + ε). Computed in float64 and rounded once, so folding adds no more error than one float32 store.
import type { WeightMap } from './weights.ts';
import { takeWeight } from './weights.ts';

/** PyTorch's and libtorch's BatchNorm default. */
export const BATCH_NORM_EPSILON = 1e-5;

export interface FoldedLayer {
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * `weight` has `channels` rows (output channels first, as Conv and Linear store them); `bias` may be absent.
 * `bnPrefix` names the BatchNorm's tensors: weight, bias, running_mean, running_var.
 */
export function foldBatchNorm(weights: WeightMap, weight: Float32Array, bias: Float32Array | null, channels: number, bnPrefix: string): FoldedLayer {
  const gamma = takeWeight(weights, `${bnPrefix}.weight`, [channels]);
  const beta = takeWeight(weights, `${bnPrefix}.bias`, [channels]);
  const mean = takeWeight(weights, `${bnPrefix}.running_mean`, [channels]);
  const variance = takeWeight(weights, `${bnPrefix}.running_var`, [channels]);
  const perChannel = weight.length / channels;
  const folded = new Float32Array(weight.length);
  const foldedBias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const scale = gamma[c]! / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON);
    for (let k = 0; k < perChannel; k++) folded[c * perChannel + k] = weight[c * perChannel + k]! * scale;
    foldedBias[c] = ((bias ? bias[c]! : 0) - mean[c]!) * scale + beta[c]!;
  }
  return { weight: folded, bias: foldedBias };
}
