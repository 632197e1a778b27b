// Training objectives: NT-Xent for SimCLR pretraining, class-weighted cross-entropy for fine-tuning.
#pragma once

#include <torch/torch.h>

namespace angio::engine {

/**
 * NT-Xent over 2N projections: z1[i] and z2[i] are the positive pair, the other 2N−2 are negatives.
 * Projections are L2-normalised here; `temperature` is τ (SimCLR default 0.5, ours 0.2).
 */
torch::Tensor NtXentLoss(const torch::Tensor& z1, const torch::Tensor& z2, double temperature);

/** Mean cross-entropy weighted per class (weights may be undefined for an unweighted mean). */
torch::Tensor WeightedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& weights);

}  // namespace angio::engine
