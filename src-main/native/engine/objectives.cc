// Losses are written with plain ops (no fused custom kernels) so the PyTorch reference can mirror them exactly.
#include "engine/objectives.h"

#include <cmath>

#include "engine/engine_error.h"

namespace angio::engine {
namespace F = torch::nn::functional;

torch::Tensor NtXentLoss(const torch::Tensor& z1, const torch::Tensor& z2, double temperature) {
  if (z1.sizes() != z2.sizes() || z1.dim() != 2 || z1.size(0) < 2) {
    throw EngineError("invalid-batch", "NT-Xent needs two views of at least 2 images with matching shapes");
  }
  const int64_t n = z1.size(0);
  auto z = F::normalize(torch::cat({z1, z2}, 0), F::NormalizeFuncOptions().dim(1));
  auto logits = torch::mm(z, z.t()) / temperature;
  // A view is never its own negative: mask the diagonal out of the softmax.
  const auto onDevice = torch::TensorOptions().device(z.device());
  auto self = torch::eye(2 * n, onDevice.dtype(torch::kBool));
  logits = logits.masked_fill(self, -1e9);
  auto targets = torch::cat({torch::arange(n, 2 * n, onDevice.dtype(torch::kLong)), torch::arange(0, n, onDevice.dtype(torch::kLong))});
  return F::cross_entropy(logits, targets);
}

torch::Tensor WeightedCrossEntropy(const torch::Tensor& logits, const torch::Tensor& labels, const torch::Tensor& weights) {
  auto options = F::CrossEntropyFuncOptions();
  if (weights.defined()) options.weight(weights);
  return F::cross_entropy(logits, labels, options);
}

}  // namespace angio::engine

// ---- parity probe (engine/probes.h) ----
#include "engine/probes.h"

namespace angio::engine {

NtXentProbe ProbeNtXent(const float* z1, const float* z2, std::int64_t n, std::int64_t d, double temperature) {
  if (n < 2 || n > 65536 || d < 1 || d > 65536 || z1 == nullptr || z2 == nullptr) {
    throw EngineError("invalid-batch", "NT-Xent needs 2–65536 rows of 1–65536 values in each view.");
  }
  if (!std::isfinite(temperature) || temperature <= 0) {
    throw EngineError("invalid-config", "The NT-Xent temperature must be a positive number.");
  }
  auto a = torch::from_blob(const_cast<float*>(z1), {n, d}).clone().requires_grad_(true);
  auto b = torch::from_blob(const_cast<float*>(z2), {n, d}).clone().requires_grad_(true);
  auto loss = NtXentLoss(a, b, temperature);
  loss.backward();
  auto ga = a.grad().contiguous(), gb = b.grad().contiguous();
  return {loss.item<double>(), std::vector<float>(ga.data_ptr<float>(), ga.data_ptr<float>() + n * d),
          std::vector<float>(gb.data_ptr<float>(), gb.data_ptr<float>() + n * d)};
}

}  // namespace angio::engine
