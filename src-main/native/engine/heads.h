// What sits on top of the pooled encoder feature h: the SimCLR projection head (MLP → 128, L2-normalised by the
// loss) and the classifier head, optionally with quantum fusion h̃ = h + α·W_r·q(π·tanh(W_q·h + b_q)).
#pragma once

#include <torch/torch.h>

#include "engine/quantum_layer.h"

namespace angio::engine {

struct ProjectionHeadImpl : torch::nn::Module {
  ProjectionHeadImpl(int64_t featureDim, int64_t hiddenDim, int64_t outputDim);
  torch::Tensor forward(const torch::Tensor& h);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
};
TORCH_MODULE(ProjectionHead);

struct QuantumFusionImpl : torch::nn::Module {
  QuantumFusionImpl(int64_t featureDim, const quantum::CircuitSpec& circuit, int threads, double alphaInit);
  torch::Tensor forward(const torch::Tensor& h);
  torch::nn::Linear toAngles{nullptr}, fuse{nullptr};
  QuantumLayer quantum{nullptr};
  torch::Tensor alpha;  // learnable fusion gain, starts small so the quantum path cannot swamp h early on
};
TORCH_MODULE(QuantumFusion);

struct ClassifierOptions {
  bool quantumFusion = true;
  quantum::CircuitSpec circuit;
  int threads = 1;
  double alphaInit = 0.1;
  int64_t hiddenDim = 256;
  double dropout = 0.3;
  int64_t classes = 2;  // {no stenosis, stenosis}
};

struct ClassifierHeadImpl : torch::nn::Module {
  ClassifierHeadImpl(int64_t featureDim, const ClassifierOptions& options);
  /** h → logits (batch × classes); softmax is applied by the loss or by Predict. */
  torch::Tensor forward(const torch::Tensor& h);
  QuantumFusion fusion{nullptr};  // null for the classical baselines
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::nn::BatchNorm1d bn{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(ClassifierHead);

}  // namespace angio::engine
