// The quantum layer as a libtorch autograd function over the statevector simulator (quantum/circuit.h):
// forward = batched ⟨Z_q⟩, backward = adjoint gradients. Tensors stay float32 in the network; the simulator
// works in float64, so values are converted at this boundary (and gradients converted back).
#pragma once

#include <torch/torch.h>

#include "quantum/circuit.h"

namespace angio::engine {

/** angles: batch × Q (radians), weights: ParamCount(spec) → batch × Q expectations, differentiable in both. */
torch::Tensor QuantumExpectations(const torch::Tensor& angles, const torch::Tensor& weights,
                                  const quantum::CircuitSpec& spec, int threads);

struct QuantumLayerImpl : torch::nn::Module {
  QuantumLayerImpl(const quantum::CircuitSpec& spec, int threads);
  torch::Tensor forward(const torch::Tensor& angles);

  quantum::CircuitSpec spec;
  int threads;
  torch::Tensor weights;  // θ, layout of circuit.h: [(l*Q + q)*A + a]
};
TORCH_MODULE(QuantumLayer);

}  // namespace angio::engine
