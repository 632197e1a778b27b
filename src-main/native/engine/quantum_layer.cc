// Autograd glue for the simulator. The circuit's Backward sums θ-gradients over the batch in a fixed order, so a
// step's gradients are bit-identical for any thread count, which deterministic resume relies on.
#include "engine/quantum_layer.h"

#include <cmath>

#include "engine/engine_error.h"

namespace angio::engine {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

quantum::CircuitSpec SpecFrom(AutogradContext* ctx) {
  quantum::CircuitSpec spec;
  spec.qubits = static_cast<int>(ctx->saved_data["qubits"].toInt());
  spec.layers = static_cast<int>(ctx->saved_data["layers"].toInt());
  spec.rotation = static_cast<quantum::Rotation>(ctx->saved_data["rotation"].toInt());
  spec.entangler = static_cast<quantum::Entangler>(ctx->saved_data["entangler"].toInt());
  spec.reupload = ctx->saved_data["reupload"].toBool();
  return spec;
}

// The simulator is CPU code: tensors on another device come over for it, and results go back.
torch::Tensor AsDouble(const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kFloat64).contiguous(); }

struct QuantumExpectationFunction : torch::autograd::Function<QuantumExpectationFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& angles, const torch::Tensor& weights,
                               int64_t qubits, int64_t layers, int64_t rotation, int64_t entangler, bool reupload,
                               int64_t threads) {
    ctx->saved_data["qubits"] = qubits;
    ctx->saved_data["layers"] = layers;
    ctx->saved_data["rotation"] = rotation;
    ctx->saved_data["entangler"] = entangler;
    ctx->saved_data["reupload"] = reupload;
    ctx->saved_data["threads"] = threads;
    ctx->save_for_backward({angles, weights});
    const auto spec = SpecFrom(ctx);
    const auto batch = static_cast<std::size_t>(angles.size(0));
    auto u = AsDouble(angles), theta = AsDouble(weights);
    quantum::RequireFinite(u.data_ptr<double>(), u.numel(), "quantum layer angles");
    auto out = torch::empty({angles.size(0), qubits}, torch::kFloat64);
    quantum::Forward(spec, u.data_ptr<double>(), batch, theta.data_ptr<double>(), out.data_ptr<double>(),
                     static_cast<int>(threads));
    return out.to(angles.device(), angles.scalar_type());
  }

  static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& angles = saved[0];
    const auto& weights = saved[1];
    const auto spec = SpecFrom(ctx);
    const auto batch = static_cast<std::size_t>(angles.size(0));
    auto u = AsDouble(angles), theta = AsDouble(weights), gradOut = AsDouble(gradOutputs[0]);
    auto gradU = torch::empty_like(u), gradTheta = torch::empty_like(theta);
    quantum::Backward(spec, u.data_ptr<double>(), batch, theta.data_ptr<double>(), gradOut.data_ptr<double>(),
                      gradU.data_ptr<double>(), gradTheta.data_ptr<double>(), nullptr,
                      static_cast<int>(ctx->saved_data["threads"].toInt()));
    return {gradU.to(angles.device(), angles.scalar_type()), gradTheta.to(weights.device(), weights.scalar_type()),
            torch::Tensor(), torch::Tensor(),
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor QuantumExpectations(const torch::Tensor& angles, const torch::Tensor& weights,
                                  const quantum::CircuitSpec& spec, int threads) {
  if (angles.dim() != 2 || angles.size(1) != spec.qubits) {
    throw EngineError("invalid-config", "quantum layer expects batch × " + std::to_string(spec.qubits) + " angles");
  }
  if (weights.numel() != quantum::ParamCount(spec)) {
    throw EngineError("invalid-config", "quantum layer expects " + std::to_string(quantum::ParamCount(spec)) + " weights");
  }
  return QuantumExpectationFunction::apply(angles, weights, spec.qubits, spec.layers, static_cast<int64_t>(spec.rotation),
                                           static_cast<int64_t>(spec.entangler), spec.reupload, threads);
}

QuantumLayerImpl::QuantumLayerImpl(const quantum::CircuitSpec& spec_, int threads_) : spec(spec_), threads(threads_) {
  quantum::Validate(spec, 1);
  // Uniform in [0, 2π): every rotation starts anywhere on its circle, as PennyLane's TorchLayer initialises.
  weights = register_parameter("weights", torch::rand({quantum::ParamCount(spec)}) * (2 * M_PI));
}

torch::Tensor QuantumLayerImpl::forward(const torch::Tensor& angles) {
  return QuantumExpectations(angles, weights, spec, threads);
}

}  // namespace angio::engine

// ---- parity probe (engine/probes.h) ----
#include "engine/probes.h"

namespace angio::engine {

QuantumProbe ProbeQuantumLayer(const quantum::CircuitSpec& spec, const float* angles, std::size_t batch,
                               const float* weights, const float* gradOut, int threads) {
  try {
    quantum::Validate(spec, batch);
  } catch (const std::invalid_argument& error) {
    throw EngineError("invalid-config", std::string("Quantum layer settings rejected: ") + error.what());
  }
  if (batch < 1 || angles == nullptr || weights == nullptr || gradOut == nullptr) {
    throw EngineError("invalid-batch", "The quantum layer probe needs at least one row of angles.");
  }
  const auto b = static_cast<int64_t>(batch);
  auto u = torch::from_blob(const_cast<float*>(angles), {b, spec.qubits}).clone().requires_grad_(true);
  auto theta = torch::from_blob(const_cast<float*>(weights), {quantum::ParamCount(spec)}).clone().requires_grad_(true);
  auto g = torch::from_blob(const_cast<float*>(gradOut), {b, spec.qubits}).clone();
  auto out = QuantumExpectations(u, theta, spec, threads);
  out.backward(g);
  auto flat = [](const torch::Tensor& t) {
    auto c = t.contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  };
  return {flat(out.detach()), flat(u.grad()), flat(theta.grad())};
}

}  // namespace angio::engine
