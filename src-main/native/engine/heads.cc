// Heads are tiny next to the encoders; their layout is mirrored by src-main/testing/torch-reference/engine_networks.py for parity checks.
#include "engine/heads.h"

#include <cmath>

namespace angio::engine {
namespace nn = torch::nn;

ProjectionHeadImpl::ProjectionHeadImpl(int64_t featureDim, int64_t hiddenDim, int64_t outputDim) {
  fc1 = register_module("fc1", nn::Linear(featureDim, hiddenDim));
  bn = register_module("bn", nn::BatchNorm1d(hiddenDim));
  fc2 = register_module("fc2", nn::Linear(hiddenDim, outputDim));
}

torch::Tensor ProjectionHeadImpl::forward(const torch::Tensor& h) {
  return fc2->forward(torch::relu(bn->forward(fc1->forward(h))));
}

QuantumFusionImpl::QuantumFusionImpl(int64_t featureDim, const quantum::CircuitSpec& circuit, int threads,
                                     double alphaInit) {
  toAngles = register_module("toAngles", nn::Linear(featureDim, circuit.qubits));
  quantum = register_module("quantum", QuantumLayer(circuit, threads));
  fuse = register_module("fuse", nn::Linear(nn::LinearOptions(circuit.qubits, featureDim).bias(false)));
  alpha = register_parameter("alpha", torch::full({1}, alphaInit));
}

torch::Tensor QuantumFusionImpl::forward(const torch::Tensor& h) {
  // π·tanh bounds the encoding angles to (−π, π): beyond that RY wraps and nearby features would alias.
  auto angles = M_PI * torch::tanh(toAngles->forward(h));
  auto q = quantum->forward(angles);
  return h + alpha * fuse->forward(q);
}

ClassifierHeadImpl::ClassifierHeadImpl(int64_t featureDim, const ClassifierOptions& options) {
  if (options.quantumFusion) {
    fusion = register_module("fusion", QuantumFusion(featureDim, options.circuit, options.threads, options.alphaInit));
  }
  fc1 = register_module("fc1", nn::Linear(featureDim, options.hiddenDim));
  bn = register_module("bn", nn::BatchNorm1d(options.hiddenDim));
  dropout = register_module("dropout", nn::Dropout(options.dropout));
  fc2 = register_module("fc2", nn::Linear(options.hiddenDim, options.classes));
}

torch::Tensor ClassifierHeadImpl::forward(const torch::Tensor& h) {
  auto fused = fusion ? fusion->forward(h) : h;
  return fc2->forward(dropout->forward(torch::relu(bn->forward(fc1->forward(fused)))));
}

}  // namespace angio::engine
