// Single-purpose entry points the parity checks call: the NT-Xent loss and the quantum autograd function on given
// inputs, with their gradients, so a PyTorch reference can be compared number for number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "quantum/circuit.h"

namespace angio::engine {

struct NtXentProbe {
  double loss;
  std::vector<float> gradZ1, gradZ2;  // n × d each
};
NtXentProbe ProbeNtXent(const float* z1, const float* z2, std::int64_t n, std::int64_t d, double temperature);

struct QuantumProbe {
  std::vector<float> expectations, gradAngles, gradWeights;
};
/** Gradients of Σ gradOut·⟨Z⟩ through the autograd function (float32 in and out, float64 inside). */
QuantumProbe ProbeQuantumLayer(const quantum::CircuitSpec& spec, const float* angles, std::size_t batch,
                               const float* weights, const float* gradOut, int threads);

}  // namespace angio::engine
